"""Overlay: a user's corrections to entity values, applied at query time without re-indexing.

`:merge "U.S." "United States"` folds one value into another; `:drop person "He"` hides a
value. The overlay is a small JSON file beside the index, read whenever the facet table is
built, so facet counts, filters and completion all see the corrected values.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from search.errors import SearchError
from search.files import write_atomically
from search.ingest.normalize import facet_key

OVERLAY_FILE = "entity-overlay.json"
ANY_FACET = "*"


@dataclass(slots=True)
class Overlay:
    """Merges (facet → key → target display value) and drops (facet → keys)."""

    merges: dict[str, dict[str, str]] = field(default_factory=dict)
    drops: dict[str, set[str]] = field(default_factory=dict)

    def merges_for(self, facet: str) -> dict[str, str]:
        return {**self.merges.get(ANY_FACET, {}), **self.merges.get(facet, {})}

    def drops_for(self, facet: str) -> set[str]:
        return self.drops.get(ANY_FACET, set()) | self.drops.get(facet, set())

    def merge(self, source: str, target: str, facet: str = ANY_FACET) -> None:
        if facet_key(source) == facet_key(target):
            raise SearchError(
                f"{source!r} and {target!r} are already one value",
                hint="values that differ only in case or accents are merged already",
            )
        self.merges.setdefault(facet, {})[facet_key(source)] = target

    def drop(self, value: str, facet: str = ANY_FACET) -> None:
        self.drops.setdefault(facet, set()).add(facet_key(value))

    def forget(self, value: str) -> bool:
        """Remove every merge and drop of a value; True if there was one."""
        key = facet_key(value)
        found = False
        for merges in self.merges.values():
            found |= merges.pop(key, None) is not None
        for drops in self.drops.values():
            if key in drops:
                drops.discard(key)
                found = True
        return found

    def rows(self) -> list[tuple[str, str, str, str]]:
        """(action, facet, value key, target) for listing."""
        out = [
            ("merge", f, k, t)
            for f, m in sorted(self.merges.items())
            for k, t in sorted(m.items())
        ]
        out += [
            ("drop", f, k, "") for f, d in sorted(self.drops.items()) for k in sorted(d)
        ]
        return out

    def to_json(self) -> str:
        return json.dumps(
            {
                "merges": self.merges,
                "drops": {f: sorted(keys) for f, keys in self.drops.items()},
            },
            indent=2,
            ensure_ascii=False,
        )


def load_overlay(index_dir: Path) -> Overlay:
    """The overlay stored beside an index (empty when there is none)."""
    path = index_dir / OVERLAY_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Overlay(
            merges={
                f: {str(k): str(v) for k, v in m.items()}
                for f, m in data.get("merges", {}).items()
            },
            drops={
                f: {str(k) for k in keys} for f, keys in data.get("drops", {}).items()
            },
        )
    except FileNotFoundError:
        return Overlay()
    # AttributeError, TypeError: valid JSON of the wrong shape ([], {"merges": "x"})
    except (OSError, ValueError, AttributeError, TypeError) as exc:
        raise SearchError(
            f"cannot read the entity overlay {path}: {exc}",
            hint=f"fix or delete {path} (it only holds :merge and :drop corrections)",
        ) from exc


def save_overlay(index_dir: Path, overlay: Overlay) -> None:
    write_atomically(index_dir / OVERLAY_FILE, overlay.to_json(), "the entity overlay")
