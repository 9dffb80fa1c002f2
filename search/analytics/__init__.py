"""Analytics: what a result set's entities say, saved searches, and ranking evaluation.

In: an open `search.query.searcher.Searcher` and a query with filters. Out: frozen data
(`cooccurrence`, `timeline`, `significance`), saved searches and watches (`saved`), and
BEIR-style effectiveness figures (`evaluation`, `metrics`).
"""
