"""Text phase: every new or changed document's text written in committed batches.

Each document is searchable by its text once its batch is committed, flagged pending for the
entity phase (`enricher.py`); a document whose content hash matches a finished document's
(an exact copy) takes that document's entities at once, with no NER run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from typing import Any

from search.config import Settings
from search.index.enricher import entities_by_hash
from search.index.fields import document_fields, ner_text
from search.index.progress import Progress, RateMeter
from search.ingest.corpus import Document
from search.ingest.entities import Mention


def donors(ix: Any, todo: Sequence[Document], settings: Settings) -> dict[str, list[Mention]]:
    """The mentions of finished documents whose content some of `todo` repeats exactly."""
    if not settings.entities:
        return {}
    with ix.reader() as reader:
        return entities_by_hash(reader, {d.content_hash for d in todo}, tuple(settings.facets))


def ner_items(todo: Sequence[Document], given: Mapping[str, object]) -> list[tuple[str, str]]:
    """(content hash, text) of each distinct content the entity phase will run NER on."""
    items = {
        d.content_hash: ner_text(d.title, d.text) for d in todo if d.content_hash not in given
    }
    return list(items.items())


def write_texts(
    ix: Any,
    todo: list[Document],
    existing: dict[str, tuple[str, str]],
    settings: Settings,
    new_writer: Callable[[Any], Any],
    progress: Progress | None,
    given: Mapping[str, list[Mention]] | None = None,
) -> None:
    """Write the text of each document in committed batches, flagged pending entities;
    `given` are the mentions of exact copies of finished documents (`donors`)."""
    facets = tuple(settings.facets)
    total = len(todo)
    meter = RateMeter()
    if progress:
        progress(meter.report("text", 0, total))
    found_for = donors(ix, todo, settings) if given is None else given
    batch = settings.batch_size
    writer = None
    try:
        for done, doc in enumerate(todo, 1):
            if writer is None:
                writer = new_writer(ix)
            found = found_for.get(doc.content_hash)
            if found is None and not settings.entities:
                found = []  # no entities wanted: nothing pending
            fields = document_fields(doc, found, facets)
            if doc.id in existing:
                writer.update_document(**fields)
            else:
                writer.add_document(**fields)
            if done % batch == 0 or done == total:
                writer.commit()
                writer = None
            if progress:
                progress(meter.report("text", done, total))
    except BaseException:
        # a commit that failed part way (a full disk) has closed the writer already;
        # cancelling it then would replace the real error with "This writer is closed"
        if writer is not None and not writer.is_closed:
            with suppress(Exception):
                writer.cancel()
        raise
