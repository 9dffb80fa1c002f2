"""Index: documents and their entity values in, a Whoosh index folder out.

`analysis` defines how text becomes terms, `schema` the fields, `meta` the record beside
the index (schema version, model, roots), `facet_base` the per-generation facet tables and
their cache, `indexer` the incremental, crash-safe build that returns `IndexStats`.
"""
