"""Query: an index folder and a query string in, plain `SearchResults` out.

`searcher` opens and refreshes an index; `pipeline` runs a query down its stages (parse →
rewrite → filter → match → facets → snippets → suggestions) using `parsing`, `ranking`,
`limits`, `facets`, `snippets`; `explain` takes a score apart; `documents` reads stored
documents and index facts; `overlay` and `corrections` keep the user's entity fixes.
"""
