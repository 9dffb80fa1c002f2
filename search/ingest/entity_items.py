"""Entity items: the records one document's normalisation works on and gives back.

`Item` is a mention that survived cleaning, on its way to a value; `Fate` is what became of a
mention and why (for `show --why`); `Analysis` is a document's result.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from search.ingest.normalize import facet_key


@dataclass(slots=True)
class Item:
    """One surviving mention while a document is being normalised (`document_entities`)."""

    facet: str
    value: str
    fate: Fate
    title: str | None = None
    shouted: bool = False

    @property
    def key(self) -> str:
        return facet_key(self.value)

    @property
    def words(self) -> list[str]:
        return self.value.split()

    def move(self, facet: str, value: str, why: str) -> None:
        """Change type or value, noting why in the mention's fate."""
        if (facet, value) != (self.facet, self.value):
            self.facet, self.value = facet, value
            self.fate.steps.append(why)


@dataclass(slots=True)
class Fate:
    """What one mention became: a value of a type (`other` included), or nothing, and why."""

    text: str
    label: str
    start: int
    steps: list[str]
    facet: str | None = None
    value: str | None = None

    def describe(self) -> str:
        """One line for `show --why`: "Putin" PERSON → person "Vladimir Putin" (why; why)."""
        head = f"{self.text!r} {self.label} @{self.start}"
        outcome = (
            "dropped"
            if self.facet is None or self.value is None
            else f"{self.facet} {self.value!r}"
        )
        why = "; ".join(self.steps)
        return f"{head} → {outcome}" + (f" ({why})" if why else "")


@dataclass(frozen=True, slots=True)
class Analysis:
    """One document's entities: facet → values (most mentioned first), `other` values, fates,
    `counts`: per type (`other` included) each value's mentions, in the same order, and the
    people never named by a short form here (`search.ingest.short_forms`), and the short
    forms it links to names."""

    facets: dict[str, list[str]]
    other: list[str]
    fates: list[Fate]
    counts: dict[str, dict[str, int]]
    named_in_full: frozenset[str] = frozenset()
    """People named several times here, never by first or last name alone."""
    short_forms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Value → the acronyms and clippings this document uses for it ("CCC", "Fed"): the
    corpus-level stage links them where they stand alone (`name_links.link_acronyms`)."""
    named_as_thing: frozenset[str] = frozenset()
    """Values this document writes as a work or product ("the comedy Sideways", "Apple's
    iTunes": `search.ingest.things`), evidence for the corpus-level typing."""
    listed: dict[str, int] = field(default_factory=dict)
    """Value → the number of the list of names it is written in here ("Sideways, Finding
    Neverland and Ray": `search.ingest.things.name_lists`): the corpus drops the names
    listed with its works and products."""
    named_with_the: frozenset[str] = frozenset()
    """Organisations named by one plural word after "the" every time here ("the Gunners":
    `search.ingest.nicknames`): the corpus links such nicknames to their teams."""
