"""Corrections: the user's edits to the entity overlay (merge, drop, forget), kept beside the index.

In: a value, a target and optionally a facet. Out: the overlay file rewritten atomically
(`search.query.overlay`), and a call to `changed` so the searcher rebuilds its facet table.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from search.errors import QueryError
from search.query.overlay import ANY_FACET, Overlay, load_overlay, save_overlay


class Corrections:
    """Edits one index's overlay; `changed` runs after each edit."""

    def __init__(
        self, index_dir: Path, facet_names: tuple[str, ...], changed: Callable[[], None]
    ):
        self.index_dir = index_dir
        self.facet_names = facet_names
        self._changed = changed

    def merge(self, source: str, target: str, facet: str | None = None) -> None:
        """Count `source` as `target` from now on (in every facet unless one is named)."""
        self._edit(lambda o: o.merge(source, target, self._facet_or_any(facet)))

    def drop(self, value: str, facet: str | None = None) -> None:
        """Hide a value from facets (in every facet unless one is named)."""
        self._edit(lambda o: o.drop(value, self._facet_or_any(facet)))

    def forget(self, value: str) -> bool:
        """Undo every merge and drop of a value; True if there was one."""
        found: list[bool] = []
        self._edit(lambda o: found.append(o.forget(value)))
        return found[0]

    def rows(self) -> list[tuple[str, str, str, str]]:
        """The stored corrections as (action, facet, value, target) rows."""
        return load_overlay(self.index_dir).rows()

    def _facet_or_any(self, facet: str | None) -> str:
        if facet is None:
            return ANY_FACET
        if facet not in self.facet_names:
            raise QueryError(
                f"unknown facet {facet!r}",
                hint=f"choose one of: {', '.join(self.facet_names)}",
            )
        return facet

    def _edit(self, change: Callable[[Overlay], object]) -> None:
        overlay = load_overlay(self.index_dir)
        change(overlay)
        save_overlay(self.index_dir, overlay)
        self._changed()
