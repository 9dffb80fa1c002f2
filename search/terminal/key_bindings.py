"""Key bindings of the REPL beyond prompt_toolkit's Emacs/Vi defaults (Ctrl-R, Ctrl-D…)."""

from __future__ import annotations

from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.filters import Condition
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent


def _run_command(event: KeyPressEvent, text: str) -> None:
    buffer = event.app.current_buffer
    buffer.text = text
    buffer.validate_and_handle()


def key_bindings() -> KeyBindings:
    """PageDown/PageUp page through results when the line is empty; Tab inserts the only
    completion at once."""
    kb = KeyBindings()
    empty = Condition(lambda: not _current_text())

    @kb.add("tab")
    def _complete(event: KeyPressEvent) -> None:
        """Next completion in an open menu; else the only one, inserted, or the menu.

        A Tab typed right after the word ("person:put⇥") comes before the completions
        computed while typing, and prompt_toolkit's own Tab then only opens the menu."""
        buffer = event.current_buffer
        if buffer.complete_state:
            buffer.complete_next()
            return
        completer = buffer.completer
        found = (
            list(completer.get_completions(buffer.document, CompleteEvent(completion_requested=True)))
            if completer is not None
            else []
        )
        if len(found) == 1:
            buffer.apply_completion(found[0])
        else:
            buffer.start_completion(insert_common_part=True)

    @kb.add("pagedown", filter=empty)
    def _next_page(event: KeyPressEvent) -> None:
        """Show the next page of results (same as :next)."""
        _run_command(event, ":next")

    @kb.add("pageup", filter=empty)
    def _prev_page(event: KeyPressEvent) -> None:
        """Show the previous page of results (same as :prev)."""
        _run_command(event, ":prev")

    return kb


def _current_text() -> str:
    from prompt_toolkit.application import get_app

    return str(get_app().current_buffer.text)
