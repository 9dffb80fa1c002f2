"""CLI `search dupes`: the stories with the most copies in the index, as tables or JSON lines."""

from __future__ import annotations

import argparse

from search.cli.commands import EXIT_OK, _emit_json, _settings, make_console


def cmd_dupes(args: argparse.Namespace) -> int:
    from search.query.searcher import Searcher
    from search.terminal import dupes

    with Searcher(_settings(args).index_dir) as searcher:
        clusters = searcher.copies.largest(args.limit)
    if args.json:
        for cluster in clusters:
            _emit_json(cluster.to_dict())
        return EXIT_OK
    console = make_console()
    if not clusters:
        console.print("no copies found in the index", style="search.meta", markup=False)
    for cluster in clusters:
        console.print(f"{cluster.size} copies", style="search.header", markup=False)
        console.print(dupes.copies_table(cluster.members[1:], cluster.members[0]))
    return EXIT_OK
