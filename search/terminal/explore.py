"""Explore: the REPL's entity-analytics commands, registered with `@command` on import.

:cooc, :timeline, :why, :explain, :save, :run, :saved, :merge, :drop, :aliases and
:export-session. Each works on the shell's current query and filters and calls the plain
API in `search.analytics`, `search.analytics.saved` and the searcher.
"""

from __future__ import annotations

import shlex
from typing import TypedDict

from rich.text import Text

from search.analytics import cooccurrence, significance, timeline
from search.analytics.saved import (
    SavedSearch,
    get_saved,
    load_saved,
    save_search,
    to_python,
)
from search.query.searcher import Filters
from search.terminal import charts
from search.terminal.output_file import output_file
from search.terminal.shell import CommandError, Output, Shell, command


class _Scope(TypedDict):
    query: str
    where: Filters | None
    exclude: Filters | None


def _scope(shell: Shell) -> _Scope:
    st = shell.state
    return {"query": st.query, "where": st.where or None, "exclude": st.exclude or None}


def _words(arg: str) -> list[str]:
    try:
        return shlex.split(arg)
    except ValueError as exc:
        raise CommandError(
            f"cannot read {arg!r}: {exc}",
            hint='close the quote: person:"Vladimir Putin"',
        ) from exc


def _entity(shell: Shell, spec: str) -> tuple[str, str]:
    facet, sep, value = spec.partition(":")
    if not sep or not value:
        raise CommandError(
            f"{spec!r} does not name an entity",
            hint='name one as facet:value, e.g. :cooc person:"Vladimir Putin"',
        )
    return shell.facet(facet), value.strip('"')


@command(":cooc", 'FACET:"VALUE" [TYPE] [N]', complete="entity")
def _cooc(shell: Shell, arg: str) -> Output:
    """Entities seen with one in the current results, a sentence each (> F.dot: a graph)."""
    target, redirect, dot_file = arg.partition(">")
    words = _words(target)
    if not words:
        raise CommandError("which entity?", hint=':cooc person:"Vladimir Putin" org 10')
    facet, value = _entity(shell, words[0])
    of, limit = None, 10
    for word in words[1:]:
        if word.isdigit():
            limit = int(word)
        elif word == "--dot":
            dot_file = dot_file or shlex.quote(f"{value.replace(' ', '_')}.dot")
        else:
            of = shell.facet(word)
    path = None
    if redirect or dot_file.strip():  # refused before the work, when it cannot be written
        path = output_file(shell, ":cooc", dot_file, ':cooc person:"Vladimir Putin" > putin.dot')
    pairs = cooccurrence.cooccurrence(
        shell.searcher, facet, value, of=of, limit=limit, **_scope(shell)
    )
    parts = [charts.cooccurrence_table(facet, value, pairs)]
    if path is not None:
        try:
            path.write_text(cooccurrence.to_dot(facet, value, pairs), encoding="utf-8")
        except OSError as exc:
            raise CommandError(
                f"cannot write {path}: {exc.strerror}", hint="choose a writable path"
            ) from exc
        parts.append(
            Text(
                f"wrote the graph to {path} (render: dot -Tsvg {path} > graph.svg)",
                style="search.meta",
            )
        )
    return Output(parts, page=True)


@command(
    ":timeline",
    "[day|week|month|year]",
    aliases=(":tl",),
    complete="day|week|month|year",
)
def _timeline(shell: Shell, arg: str) -> Output:
    """Matching documents over time, busiest periods marked with their top entities."""
    words = [w for w in _words(arg) if w != "--by"]
    by = words[0] if words else "month"
    tl = timeline.timeline(shell.searcher, by=by, **_scope(shell))
    return Output([charts.timeline_chart(tl)], page=True)


@command(":why", "[N]")
def _why(shell: Shell, arg: str) -> Output:
    """Entities over-represented in these results compared with the whole index."""
    limit = int(arg) if arg.isdigit() else 15
    if not shell.state.active:
        raise CommandError(
            "there are no results to characterise",
            hint="type a query or add a filter first",
        )
    found = significance.significant(shell.searcher, limit=limit, **_scope(shell))
    return Output([charts.significant_table(found)])


@command(":explain", "N", complete="hits")
def _explain(shell: Shell, arg: str) -> Output:
    """Why hit N scored what it did: per-field, per-term contributions and filters."""
    doc_id = shell.hit_id(arg)
    st = shell.state
    if st.like is not None:  # the hits on screen were scored by more-like-this
        e = shell.searcher.explain(
            doc_id, "", where=st.where or None, exclude=st.exclude or None, like=st.like
        )
        return Output([charts.explanation_tree(e, "", like=st.like_title)])
    if not st.query:
        raise CommandError(
            "there is no query to explain",
            hint="hits found by filters alone all score the same",
        )
    e = shell.searcher.explain(
        doc_id, st.query, where=st.where or None, exclude=st.exclude or None
    )
    return Output([charts.explanation_tree(e, st.query)])


@command(":save", "NAME")
def _save(shell: Shell, arg: str) -> Output:
    """Save the current query, filters and sort under NAME (for :run and `search watch`)."""
    st = shell.state
    if not arg:
        raise CommandError("name the search", hint=":save putin-calls")
    if not st.active or st.like:
        raise CommandError(
            "there is no query or filter to save", hint="type a query first"
        )
    saved = save_search(
        shell.searcher,
        SavedSearch(arg, st.query, dict(st.where), dict(st.exclude), st.sort),
    )
    return Output(
        [
            Text(
                f"saved {arg!r}: {len(saved.seen):,} documents now; `search watch {arg}` reports new ones",
                style="search.meta",
            )
        ]
    )


@command(":run", "NAME", complete="saved")
def _run(shell: Shell, arg: str) -> Output:
    """Run a saved search (its query, filters and sort replace the current ones)."""
    if not arg:
        raise CommandError(
            "which saved search?", hint=":saved lists them; :run NAME runs one"
        )
    saved = get_saved(shell.searcher, arg)
    st = shell.state
    st.query, st.sort, st.like, st.page = saved.query, saved.sort, None, 1
    st.where = {k: list(v) for k, v in saved.where.items()}
    st.exclude = {k: list(v) for k, v in saved.exclude.items()}
    return shell.run()


@command(":saved")
def _saved(shell: Shell, arg: str) -> Output:
    """List the saved searches."""
    rows = [
        (s.name, s.query, shell_filters(s), s.checked or "")
        for s in load_saved(shell.searcher.index_dir).values()
    ]
    return Output(
        [
            charts.rows_table(
                "Saved searches",
                ("name", "query", "filters", "last checked"),
                rows,
                "none yet: :save NAME",
            )
        ]
    )


def shell_filters(s: SavedSearch) -> str:
    return " ".join(
        [f'+{f}:"{v}"' for f, vs in s.where.items() for v in vs]
        + [f'-{f}:"{v}"' for f, vs in s.exclude.items() for v in vs]
    )


@command(":merge", '"VALUE" "INTO" [FACET]')
def _merge(shell: Shell, arg: str) -> Output:
    """Count one entity value as another from now on (no re-indexing): :merge "U.S." "United States"."""
    words = _words(arg)
    if len(words) not in (2, 3):
        raise CommandError(
            "merge needs two values", hint=':merge "Tony" "Tony Blair" person'
        )
    facet = shell.facet(words[2]) if len(words) == 3 else None
    shell.searcher.merge_entities(words[0], words[1], facet)
    return _note_and_rerun(shell, f"{words[0]} now counts as {words[1]}")


@command(":drop", 'FACET "VALUE"')
def _drop(shell: Shell, arg: str) -> Output:
    """Hide a junk entity value from facets: :drop person "He"."""
    words = _words(arg)
    if len(words) != 2:
        raise CommandError("drop needs a facet and a value", hint=':drop person "He"')
    shell.searcher.drop_entity(words[1], shell.facet(words[0]))
    return _note_and_rerun(shell, f"{words[1]} is hidden from {words[0]}")


@command(":aliases", "[forget VALUE]")
def _aliases(shell: Shell, arg: str) -> Output:
    """List your entity merges and drops (:aliases forget VALUE undoes one)."""
    words = _words(arg)
    if words and words[0] == "forget":
        if len(words) != 2:
            raise CommandError("forget which value?", hint=':aliases forget "U.S."')
        if not shell.searcher.forget_entity(words[1]):
            raise CommandError(
                f"no merge or drop of {words[1]!r}", hint=":aliases lists them"
            )
        return _note_and_rerun(shell, f"forgot the corrections of {words[1]}")
    rows = [
        (a, "all" if f == "*" else f, v, t)
        for a, f, v, t in shell.searcher.entity_overlay()
    ]
    return Output(
        [
            charts.rows_table(
                "Entity corrections",
                ("action", "facet", "value", "into"),
                rows,
                'none: :merge "A" "B" or :drop person "X"',
            )
        ]
    )


def _note_and_rerun(shell: Shell, note: str) -> Output:
    out = shell.run() if shell.state.active else Output()
    out.parts.insert(0, Text(note, style="search.meta"))
    return out


@command(":export-session", "FILE.py")
def _export_session(shell: Shell, arg: str) -> Output:
    """Write the current query, filters and sort as a Python script using the module API."""
    path = output_file(shell, ":export-session", arg, ":export-session finding.py")
    st = shell.state
    code = to_python(
        SavedSearch("session", st.query, dict(st.where), dict(st.exclude), st.sort),
        shell.searcher.index_dir.resolve(),
    )
    try:
        path.write_text(code, encoding="utf-8")
    except OSError as exc:
        raise CommandError(
            f"cannot write {path}: {exc.strerror}", hint="choose a writable path"
        ) from exc
    return Output(
        [Text(f"wrote {path}: run it with python {path}", style="search.meta")]
    )
