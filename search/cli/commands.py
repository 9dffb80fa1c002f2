"""CLI commands: each `cmd_*` takes parsed options, calls the library and prints the outcome.

Library errors propagate as `SearchError` for `search.cli.main` to print as error and hint.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from search.config import FACETS, Settings
from search.errors import SearchError

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def _settings(args: argparse.Namespace) -> Settings:
    from search.terminal.userconfig import load_config

    settings = Settings.from_env()
    config = load_config()  # a bad config file is said at once, whatever the command
    if getattr(args, "index", None):
        settings = replace(settings, index_dir=Path(args.index))
    elif not os.environ.get("SEARCH_INDEX") and config.index:
        settings = replace(settings, index_dir=config.index)
    if getattr(args, "model", None):
        settings = replace(settings, model=args.model)
    if getattr(args, "no_entities", False):
        settings = replace(settings, entities=False)
    if getattr(args, "follow_links", False):
        settings = replace(settings, follow_links=True)
    if getattr(args, "cluster", None):
        settings = replace(settings, cluster=args.cluster)
    return settings


def make_console(stderr: bool = False) -> Any:
    from search.terminal.console import make_console
    from search.terminal.userconfig import user_colours

    return make_console(stderr=stderr, colours=user_colours())


def _emit_json(obj: Any) -> None:
    from search.results import json_line

    sys.stdout.write(json_line(obj) + "\n")


def cmd_index(args: argparse.Namespace) -> int:
    from search.index.indexer import build
    from search.terminal import status

    settings = _settings(args)
    err = make_console(stderr=True)
    with _progress(err, bar=not args.json) as progress:
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
        make_console().print(status.index_stats(stats))
    return EXIT_OK


def _progress(err: Any, bar: bool = True) -> Any:
    """Indexing progress on stderr: bars in a terminal, else a line every few seconds."""
    from search.terminal.progress import ProgressDisplay

    return ProgressDisplay(err, bar=bar and err.is_terminal, lines=not err.is_terminal)


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
            limit=args.limit,
            sort=args.sort,
            facet_limit=args.facets,
            plain=args.plain,
            collapse=False if args.all else None,  # None: SEARCH_COLLAPSE decides
        )
        if args.page > res.pagecount:
            from search.errors import QueryError

            # pages hold stories while copies are folded: count what the pages hold
            folded = res.collapsed and 0 <= res.stories < res.total
            count = res.stories if folded else res.total
            noun = ("story", "stories") if folded else ("hit", "hits")
            found = (
                f"{noun[0]} for {text!r} ends" if count == 1 else f"{noun[1]} for {text!r} end"
            )
            raise QueryError(
                f"there is no page {args.page}: the {count:,} {found} on page "
                f"{res.pagecount}",
                hint=f"pages run from 1 to {res.pagecount} at --limit {args.limit}",
                query=text,
            )
        if args.json:
            _emit_json(res.to_dict())
            return EXIT_OK
        from search.query.snippets import highlight

        matcher = searcher.highlight_terms(text) if not args.plain else None
        spans = [highlight(h.title, matcher) if matcher else () for h in res.hits]
        options = _filter_suggestions(searcher, res.filters) if not res.total else ""
    console = make_console()
    console.print(render.results(res, spans))
    if options:
        console.print(render.suggestion(options))
    return EXIT_OK


def _filter_suggestions(searcher: Any, chosen: dict[str, tuple[str, ...]]) -> str:
    """--person blare → `--person "Tony Blair"`: the filters, each value that names no
    entity replaced by the nearest one, or "" when none is."""
    import shlex

    from search.query.suggest import nearest_value

    parts, changed = [], False
    for facet, values in chosen.items():
        for value in values:
            column = searcher.facets.columns[facet]
            near = nearest_value(column, searcher.facets.live, value, exact=True)
            changed |= near is not None
            parts.append(f"--{facet} {shlex.quote(near or value)}")
    return " ".join(parts) if changed else ""


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
        make_console(stderr=True).print(
            f"no entities: the index {why}", style="search.meta", highlight=False, markup=False
        )
    else:
        make_console().print(render.facet_table(counts))
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from search.query.searcher import Searcher
    from search.query.snippets import highlight
    from search.terminal import render
    from search.terminal.provenance import mention_fates

    with Searcher(_settings(args).index_dir) as searcher:
        doc = searcher.document(args.id, why=args.why)
        spans = (
            highlight(doc.text, searcher.highlight_terms(args.query))
            if args.query
            else ()
        )
    if args.json:
        _emit_json(doc.to_dict())
    else:
        why = [mention_fates(doc.why)] if args.why else []
        make_console().print(render.document(doc, spans), *why)
    return EXIT_OK


def cmd_info(args: argparse.Namespace) -> int:
    from search.query.searcher import Searcher
    from search.terminal import status

    with Searcher(_settings(args).index_dir) as searcher:
        info = searcher.info()
    if args.json:
        _emit_json(info.to_dict())
    else:
        make_console().print(status.index_info(info))
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
    console = make_console()
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
    err = make_console(stderr=True)
    with _progress(err, bar=not args.json) as progress:
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
    make_console().print(table)
    return EXIT_OK


def folder_index(folder: Path) -> Path:
    """Where `search FOLDER` keeps the folder's own index: in the user data folder, named
    after the folder and a digest of its full path (two folders named alike do not share)."""
    from platformdirs import user_data_dir

    real = folder.resolve()
    digest = hashlib.sha1(str(real).encode(), usedforsecurity=False).hexdigest()[:10]
    return Path(user_data_dir("search")) / "indexes" / f"{real.name or 'root'}-{digest}"


def cmd_open(args: argparse.Namespace) -> int:
    """`search FOLDER`: bring the folder's own index up to date, then open the REPL on it."""
    from search.errors import CorpusError
    from search.index.indexer import Indexer
    from search.terminal import status

    folder = Path(args.folder)
    if not folder.is_dir():
        raise CorpusError(
            f"{folder}: {'not a folder' if folder.exists() else 'no such folder'}",
            hint="give a folder of documents: `search FOLDER` indexes it and opens the REPL",
        )
    index_dir = Path(args.index) if getattr(args, "index", None) else folder_index(folder)
    settings = replace(_settings(args), index_dir=index_dir, corpus=(folder,))
    err = make_console(stderr=True)
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    indexer = Indexer(index_dir, settings)
    with _progress(err) as progress:
        # in a terminal the REPL opens once the text is in; entities follow in the background
        stats = indexer.run([folder], progress=progress, wait=not interactive)
    if stats.indexed or stats.removed:  # reopening an unchanged folder says nothing
        err.print(status.index_stats(stats))
        err.print(f"index: {index_dir}", style="search.meta", highlight=False, markup=False)
    elif interactive:
        indexer.resume()
    return _shell(settings, args, indexer)


def cmd_repl(args: argparse.Namespace) -> int:
    """No command: the REPL in a terminal, one query per line from a pipe.

    With no index yet, the text is indexed first and the REPL opens as soon as it is
    searchable; entities are added in the background meanwhile (also for an index left with
    entities pending). Quitting stops that work: what is committed stays, the next `search`
    or `search index` picks up the rest.
    """
    from search.index.indexer import Indexer
    from search.index.meta import index_exists

    settings = _settings(args)
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    indexer = Indexer(settings.index_dir, settings)
    err = make_console(stderr=True)
    if not index_exists(settings.index_dir):
        if not interactive:
            from search.errors import IndexNotFoundError

            raise IndexNotFoundError(
                f"no index in {settings.index_dir}/",
                hint="build one first with `search index [FOLDER]`",
            )
        err.print(
            f"No index in {settings.index_dir}/ yet: indexing {', '.join(map(str, settings.corpus))} first."
        )
        with _progress(err) as progress:
            stats = indexer.run(None, progress=progress, wait=False)
        from search.terminal import status

        err.print(status.index_stats(stats))
    elif interactive:
        indexer.resume()
    return _shell(settings, args, indexer)


def _shell(settings: Settings, args: argparse.Namespace, indexer: Any) -> int:
    """The REPL on an index in a terminal (entities going on in the background until the
    user leaves); one query per line when input is piped."""
    from search.query.searcher import Searcher
    from search.terminal.commands import Shell
    from search.terminal.userconfig import load_config

    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    config = load_config()
    console = make_console()
    with Searcher(settings.index_dir, settings) as searcher:
        # piped lines may come from anywhere: they write files only when asked to
        may_write = interactive or getattr(args, "allow_writes", False)
        shell = Shell(
            searcher, pagelen=args.limit or config.page_size or 10, may_write=may_write, tips=interactive
        )
        shell.pager = config.pager or shell.pager
        if interactive:
            from search.terminal.repl import run_repl, status_of

            try:
                return run_repl(shell, console, progress=status_of(indexer.enrichment))
            finally:
                _stop_entities(indexer, make_console(stderr=True))
        from search.terminal.pipe import run_pipe

        return run_pipe(shell, sys.stdin, console, args.json, sys.stdout)


def _stop_entities(indexer: Any, err: Any) -> None:
    """On leaving the REPL: stop the entity phase, keep its batches, say what is left."""
    enrichment = indexer.enrichment
    if enrichment is None:
        return
    enrichment.stop()
    try:
        enrichment.wait()
    except SearchError as exc:
        err.print(f"entities: {exc.message}", markup=False)
        return
    event = enrichment.last
    if event is None or event.done < event.total:
        done = f"{event.done:,} of {event.total:,}" if event else "none of the"
        err.print(
            f"Entities were added to {done} documents waiting for them; "
            "the next `search` or `search index` adds the rest.",
            markup=False,
        )
