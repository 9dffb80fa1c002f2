"""Entity provenance as rich text: one line per mention, for `search show --why`."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group
from rich.text import Text

from search.results import MentionFate
from search.terminal.render import clean_text


def mention_fates(fates: Sequence[MentionFate]) -> Group:
    """Each mention: its text and label, what it shows as (or "shown nowhere"), and why."""
    lines: list[Text] = [Text("Why these entities:", style="search.title")]
    if not fates:
        lines.append(Text("  no entity mentions are stored for this document", style="search.meta"))
    for fate in fates:
        line = Text("  ")
        line.append(clean_text(fate.text, keep_newlines=False), style="bold")
        line.append(f" {fate.label} @{fate.start} → ", style="search.meta")
        if fate.type is None or fate.value is None:
            line.append("shown nowhere", style="search.meta")
        else:
            line.append(f"{fate.type}: ", style="search.meta")
            line.append(clean_text(fate.value, keep_newlines=False), style=f"search.{fate.type}")
        lines.append(line)
        for reason in fate.reasons:
            lines.append(Text(f"      {clean_text(reason, keep_newlines=False)}", style="search.meta"))
    return Group(*lines)
