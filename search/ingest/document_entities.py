"""Document entities: one document's mentions in, its facet values and each mention's fate out.

Within one document `analyse_document` reads its tables and lists by column (`tables`), cleans
each mention (`normalize.clean_mention`), applies the mention rules (`mention_rules`:
sign-offs, bylines, nationality words, determiners, titles, shapes of names), repairs types by
majority, links surnames, first names, acronyms and clippings to the names they stand for
(`name_links`), flags the people it only ever names in full (`short_forms`), and records each
mention's *fate* (what it became and why) for `show --why`. Mentions with a non-entity label (`mention_rules.NON_ENTITY_LABELS`) become
values of the `other` type: never a facet, but evidence for the corpus-level typing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from search.config import FACETS
from search.ingest.entity_items import Analysis, Fate, Item
from search.ingest.joined_names import (
    JoinedMention,
    join_cut_firms,
    join_cut_heads,
    join_partners,
)
from search.ingest.mention_rules import (
    NON_ENTITY_LABELS,
    DatelineMention,
    after_quantity,
    article_role,
    countries,
    cut_trailing_numbers,
    furniture_role,
    is_acronym,
    is_dateline,
    is_demonym,
    looks_like_person,
    missed_datelines,
    name_before_lower_word,
    on_shouted_line,
    plays_as_team,
    title_before,
)
from search.ingest.name_heads import is_rating_here
from search.ingest.name_links import link_acronyms, link_surnames
from search.ingest.name_shapes import shape_type
from search.ingest.nicknames import named_with_the
from search.ingest.normalize import (
    OTHER,
    PERSON_LABEL,
    MentionLike,
    canonical,
    choose_display,
    clean_mention,
    facet_key,
)
from search.ingest.short_forms import named_in_full
from search.ingest.tables import (
    TableMention,
    figures_row_label,
    on_results_line,
    table_columns,
)
from search.ingest.things import flag_things, name_lists
from search.ingest.workplaces import works_at

__all__ = ["Analysis", "Fate", "analyse_document", "count_document", "normalize_document"]


def normalize_document(
    mentions: Sequence[MentionLike],
    facets: Mapping[str, Sequence[str]] = FACETS,
    text: str | None = None,
) -> dict[str, list[str]]:
    """One document's facet values: facet → distinct values, most mentioned first."""
    return analyse_document(mentions, facets, text).facets


def count_document(
    mentions: Sequence[MentionLike],
    facets: Mapping[str, Sequence[str]] = FACETS,
    text: str | None = None,
) -> dict[str, dict[str, int]]:
    """One document's facet values with their mentions: facet → {value: mentions}, most
    mentioned first (what facets break ties on)."""
    counts = analyse_document(mentions, facets, text).counts
    return {facet: counts[facet] for facet in facets}


def analyse_document(
    mentions: Sequence[MentionLike],
    facets: Mapping[str, Sequence[str]] = FACETS,
    text: str | None = None,
) -> Analysis:
    """One document's entities with each mention's fate; `text` (the text the mentions'
    offsets point into) lets sign-offs and bylines be recognised."""
    facet_of = {label: facet for facet, labels in facets.items() for label in labels}
    place, org = facet_of.get("GPE"), facet_of.get("ORG")
    person = facet_of.get(PERSON_LABEL)
    for label in NON_ENTITY_LABELS:
        facet_of.setdefault(label, OTHER)
    items: list[Item] = []
    fates: list[Fate] = []
    people = {(m.start, m.end) for m in mentions if m.label == PERSON_LABEL}
    for mention in _with_datelines(mentions, text, facets):
        facet = facet_of.get(mention.label)
        if facet is None:
            continue
        fate = Fate(mention.text, mention.label, mention.start, [])
        fates.append(fate)
        if isinstance(mention, DatelineMention):
            fate.steps.append("a dateline's town, which the model did not tag")
        elif isinstance(mention, (TableMention, JoinedMention)):
            fate.steps.append(mention.why)
        value = clean_mention(mention.text)
        if value is not None and (
            mention.label == PERSON_LABEL or looks_like_person(cut_trailing_numbers(value))
        ):
            value = cut_trailing_numbers(value)
        if value is not None and mention.label != PERSON_LABEL and facet != OTHER:
            head = name_before_lower_word(value)
            if head is None:
                fate.steps.append("one word, then a lower-case word that joins no name")
                continue
            value = head
        if value is None:
            fate.steps.append("not a name: a pronoun, number, clause or address")
            continue
        if value != mention.text:
            fate.steps.append(f"cleaned to {value!r}")
        role = furniture_role(text, mention.start, mention.end) if text else None
        if role is not None and facet != OTHER:
            fate.steps.append(f"the story's {role}, not a subject of it")
            continue
        if text and figures_row_label(text, mention.start, mention.end):
            fate.steps.append("the label of a row of a company's figures, not a name")
            continue
        quantity = after_quantity(text, mention.start, value) if text else None
        if quantity and (mention.label == PERSON_LABEL or facet == place):
            fate.steps.append(f"after {quantity!r}: a quantity's unit or currency")
            continue
        if mention.label != PERSON_LABEL and is_rating_here(
            value, text or "", mention.start, mention.end
        ):
            fate.steps.append("a credit rating, not an organisation")
            continue
        article = article_role(text, mention.start, mention.end, mention.label) if text else None
        if is_demonym(value):
            fate.steps.append("a nationality word (data: demonyms.tsv)")
            facet = OTHER
        elif place and text and facet != place and is_dateline(text, mention.start, mention.end):
            fate.steps.append("opens a dateline: the place the story was filed from")
            facet = place
        elif text and not is_dateline(text, mention.start, mention.end) and (
            (facet == place and plays_as_team(text, mention.start, mention.end))
            or (facet != OTHER and on_results_line(text, mention.start, mention.end, people))
        ):
            fate.steps.append(_TEAM)
            facet = org or facet
        elif article is not None:
            fate.steps.append(f"takes the article {article!r}: names a thing")
            facet = OTHER
        elif mention.label == PERSON_LABEL and text and works_at(text, mention.start, mention.end):
            fate.steps.append(_WORKPLACE)
            facet = org or facet
        elif mention.label == "NORP" and is_acronym(value):
            fate.steps.append("NORP written as an acronym: a party or group, an organisation")
            if org is None:
                continue
            facet = org
        elif mention.label == "NORP":
            fate.steps.append("NORP but no nationality word: a group or party, left out")
            continue
        elif facet == OTHER:
            fate.steps.append(f"{mention.label} names no person, place or organisation")
        facet = shape_type(facet, value, mention.label, fate)
        if not facet:
            continue
        # a person is never a country's other name ("Holland" of Jools Holland)
        alias = canonical(value) if mention.label != PERSON_LABEL else value
        if alias != value:
            fate.steps.append(f"alias of {alias!r} (data: aliases.tsv)")
        title = title_before(text, mention.start) if text else None
        # a headline's countries and datelines are real ("ROMANIA BEAT LITHUANIA",
        # "BELGRADE 1996-08-30"); its other capitalised words are mostly no names at all
        # ("PACT", "SQUASH")
        shouted = (
            bool(text)
            and on_shouted_line(text or "", mention.start)
            and not (
                mention.label in ("GPE", "LOC")
                and (alias.casefold() in countries() or isinstance(mention, DatelineMention)
                     or is_dateline(text or "", mention.start, mention.end))
            )
        )
        items.append(Item(facet, alias, fate, title, shouted))
    items = _outside_headlines(items)
    _throughout(items, _TEAM, "the team named with a score elsewhere here")
    _throughout(items, _WORKPLACE, "someone's workplace elsewhere here")
    if person is not None:
        _repair_types(items, person)
        link_surnames(items, person)
        _keep_titles(items, person)
    shortened = link_acronyms(items, person)
    _vote_other(items)
    things = flag_things(items, text, org) if text else set()
    lists = name_lists(items, text) if text else []
    with_the = named_with_the(items, text, org) if text else set()
    result = _aggregate(items, {**facets, OTHER: NON_ENTITY_LABELS}, person)
    for item in items:
        item.fate.facet, item.fate.value = item.facet, item.value
    shown = {facet: list(values) for facet, values in result.items()}
    other = shown.pop(OTHER)
    in_full = named_in_full(result.get(person, {}), text) if person and text else frozenset()
    short_forms = {
        value: tuple(sorted(shortened[key]))
        for values in result.values()
        for value in values
        if (key := facet_key(value)) in shortened
    }
    as_thing = frozenset(
        value for facet, values in shown.items() for value in values
        if facet_key(value) in things
    )
    list_of: dict[str, int] = {}  # key → its list, found on the mentions
    for number, members in enumerate(lists):
        for item in members:
            list_of.setdefault(item.key, number)
    listed = {
        value: list_of[key] for values in (*shown.values(), other) for value in values
        if (key := facet_key(value)) in list_of
    }
    nicknames = frozenset(v for v in shown.get(org or "", ()) if facet_key(v) in with_the)
    return Analysis(
        shown, other, fates, result, in_full, short_forms, as_thing, listed, nicknames
    )


def _outside_headlines(items: list[Item]) -> list[Item]:
    """Mentions on a shouted headline line count only if the text names them elsewhere."""
    if not any(item.shouted for item in items):
        return items
    plain = {item.key for item in items if not item.shouted}
    kept = []
    for item in items:
        if item.shouted and item.key not in plain:
            item.fate.steps.append("only in a headline written in capitals")
            continue
        kept.append(item)
    return kept


def _keep_titles(items: list[Item], person: str) -> None:
    """A bare surname left unlinked keeps its title ("Lord Falconer", "Mr Hayes"), so that
    the corpus can link it to a full name or tell it from a mononym."""
    for item in items:
        if item.facet == person and item.title and len(item.words) == 1:
            item.move(person, f"{item.title} {item.value}", f"written after {item.title!r}")


def _with_datelines(
    mentions: Sequence[MentionLike], text: str | None, facets: Mapping[str, Sequence[str]]
) -> list[MentionLike]:
    """The mentions (names the tagger cut joined again: `joined_names`) and the
    towns of datelines no mention covers, in text order."""
    if not text or not any("GPE" in labels for labels in facets.values()):
        return list(mentions)
    missed = missed_datelines(text, [(m.start, m.end) for m in mentions])
    ordered = sorted([*mentions, *missed], key=lambda m: m.start)
    found = join_cut_heads(text, join_cut_firms(text, join_partners(text, ordered)))
    facet_of = {label: facet for facet, labels in facets.items() for label in labels}
    return table_columns(text, found, facet_of)


_TEAM = "a score or a match beside it: a team, an organisation"


_WORKPLACE = "after a job and 'of', 'with' or 'at': a workplace, an organisation"


def _throughout(items: list[Item], step: str, why: str) -> None:
    """Give every mention of a name the type that one mention with `step` among its fates
    proved: a place that plays as a team once is that team throughout the document."""
    decided = {item.key: item.facet for item in items if step in item.fate.steps}
    for item in items:
        facet = decided.get(item.key)
        if facet is not None and item.facet != facet and item.facet != OTHER:
            item.move(facet, item.value, why)


def _vote_other(items: list[Item]) -> None:
    """A name tagged mostly as a nationality, work, event or product in this document is one."""
    by_key: dict[str, list[Item]] = {}
    for item in items:
        by_key.setdefault(item.key, []).append(item)
    for group in by_key.values():
        other = [item for item in group if item.facet == OTHER]
        if other and 2 * len(other) > len(group):
            for item in group:
                item.move(OTHER, other[0].value, "tagged mostly as a non-entity here")


def _repair_types(items: list[Item], person: str) -> None:
    """Give each name one side of the person/non-person divide, surnames of people included."""
    multi = [item for item in items if len(item.words) > 1]
    _vote(multi, person)
    surnames = _surname_index(items, person)
    for item in items:
        if item.facet not in (person, OTHER) and len(item.words) == 1 and item.key in surnames:
            item.move(person, item.value, "the surname of a person named here")
    _vote([item for item in items if len(item.words) == 1], person)


def _vote(items: list[Item], person: str) -> None:
    """Where a key is tagged both person and not, the majority wins (person on a tie)."""
    by_key: dict[str, list[Item]] = {}
    for item in items:
        by_key.setdefault(item.key, []).append(item)
    for group in by_key.values():
        others = Counter(item.facet for item in group if item.facet != person)
        people = sum(1 for item in group if item.facet == person)
        if not others or not people:
            continue
        winner = person if people >= others.total() else others.most_common(1)[0][0]
        why = f"tagged {winner} by {max(people, others[winner])} of {len(group)} mentions here"
        for item in group:
            if winner == person or item.facet == person:
                item.move(winner, item.value, why)


def _surname_index(items: list[Item], person: str) -> dict[str, list[str]]:
    """facet_key of a last name → the distinct full person names (values) ending in it."""
    index: dict[str, list[str]] = {}
    seen: set[str] = set()
    for item in items:
        if item.facet != person or len(item.words) < 2 or item.key in seen:
            continue
        seen.add(item.key)
        index.setdefault(facet_key(item.words[-1]), []).append(item.value)
    return index


def _aggregate(
    items: list[Item], facets: Mapping[str, Sequence[str]], person: str | None
) -> dict[str, dict[str, int]]:
    """Count values per facet, order by count then first appearance, keep people out of others."""
    counts: dict[str, dict[str, Counter[str]]] = {facet: {} for facet in facets}
    for item in items:
        counts[item.facet].setdefault(item.key, Counter())[item.value] += 1
    people = set(counts[person]) if person is not None else set()
    result: dict[str, dict[str, int]] = {}
    for facet, by_key in counts.items():
        # dicts keep insertion order, so the enumeration index is the first appearance.
        ranked = sorted(
            enumerate(by_key.items()), key=lambda pair: (-pair[1][1].total(), pair[0])
        )
        result[facet] = {
            choose_display(forms): forms.total()
            for _, (key, forms) in ranked
            if facet == person or key not in people
        }
    return result
