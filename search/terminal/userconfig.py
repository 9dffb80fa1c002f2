"""User config: the settings file of the command-line program, as pgcli users expect one.

`$SEARCH_CONFIG`, else `config.toml` in the user's XDG config folder
(`~/.config/search/config.toml`), read with `tomllib`:

    index = "~/news/index"     # the index used when neither --index nor $SEARCH_INDEX says
    page_size = 20             # hits per page in the REPL (--limit wins)
    editing_mode = "vi"        # or "emacs" ($SEARCH_EDITING_MODE wins)
    pager = "auto"             # auto, on or off: see :pager
    pager_command = "less -S"  # $SEARCH_PAGER wins; else this, else $PAGER, else less
    [colours]                  # rich styles for the theme's names
    match = "bold red"
    person = "bright_green"

A missing file means the defaults. A bad one is an error naming the file and the line, and
what to write instead. Only the program reads it: `import search` never does, so scripts
give the same results on every machine.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from search.errors import SearchError

PAGER_MODES = ("auto", "on", "off")
EDITING_MODES = ("emacs", "vi")
KEYS = ("index", "page_size", "editing_mode", "pager", "pager_command", "colours")


class ConfigError(SearchError):
    """The user's config file cannot be used as written."""


@dataclass(frozen=True, slots=True)
class UserConfig:
    """What the config file sets; None (or empty) where it says nothing."""

    index: Path | None = None
    page_size: int | None = None
    editing_mode: str | None = None
    pager: str | None = None
    pager_command: str | None = None
    colours: dict[str, str] = field(default_factory=dict)
    path: Path | None = None


def config_path() -> Path:
    """$SEARCH_CONFIG, else config.toml in the user's XDG config folder."""
    override = os.environ.get("SEARCH_CONFIG")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("search")) / "config.toml"


_cache: dict[Path, tuple[int, UserConfig]] = {}


def load_config(path: Path | None = None) -> UserConfig:
    """The settings in the config file (defaults when there is none); ConfigError if bad."""
    path = path or config_path()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return UserConfig()
    cached = _cache.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"cannot read the config file {path}: {exc}",
            hint="make it a readable UTF-8 text file, or set SEARCH_CONFIG to another",
        ) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"{path}: {exc}",
            hint='it must be TOML, e.g. page_size = 20 and pager = "off" on lines of their own',
        ) from exc
    config = _parse(path, text, data)
    _cache[path] = (stamp, config)
    return config


def user_colours() -> dict[str, str]:
    """The config file's colours, or none when the file is missing or bad (said elsewhere)."""
    try:
        return load_config().colours
    except ConfigError:
        return {}


def _line(text: str, key: str) -> int:
    """The line of the file where a key is set (1 when it cannot be found)."""
    m = re.search(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=", text, re.MULTILINE)
    return text.count("\n", 0, m.start()) + 1 if m else 1


def _parse(path: Path, text: str, data: dict[str, Any]) -> UserConfig:
    def fail(key: str, problem: str, hint: str) -> ConfigError:
        return ConfigError(f"{path}:{_line(text, key)}: {problem}", hint=hint)

    for key in data:
        if key not in KEYS:
            raise fail(key, f"unknown setting {key!r}", f"the settings are {', '.join(KEYS)}")

    def choice(key: str, options: tuple[str, ...]) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or value.lower() not in options:
            raise fail(
                key, f"{key} is {value!r}", f'write {key} = "{options[0]}" (or ' + ", ".join(
                    f'"{o}"' for o in options[1:]) + ")"
            )
        return value.lower()

    index = data.get("index")
    if index is not None and (not isinstance(index, str) or not index.strip()):
        raise fail("index", f"index is {index!r}", 'write index = "path/to/index"')
    page_size = data.get("page_size")
    if page_size is not None and (
        isinstance(page_size, bool) or not isinstance(page_size, int) or page_size < 1
    ):
        raise fail(
            "page_size", f"page_size is {page_size!r}", "write a whole number of hits, e.g. page_size = 20"
        )
    command = data.get("pager_command")
    if command is not None and not isinstance(command, str):
        raise fail("pager_command", f"pager_command is {command!r}", 'write pager_command = "less -S"')
    return UserConfig(
        index=Path(index).expanduser() if index else None,
        page_size=page_size,
        editing_mode=choice("editing_mode", EDITING_MODES),
        pager=choice("pager", PAGER_MODES),
        pager_command=command,
        colours=_colours(path, text, data.get("colours")),
        path=path,
    )


def _colours(path: Path, text: str, table: Any) -> dict[str, str]:
    if table is None:
        return {}
    if not isinstance(table, dict):
        raise ConfigError(
            f"{path}:{_line(text, 'colours')}: colours must be a table",
            hint='write [colours] on its own line, then match = "bold red" under it',
        )
    from rich.errors import StyleSyntaxError
    from rich.style import Style

    from search.terminal.render import THEME

    names = sorted(n.removeprefix("search.") for n in THEME.styles if n.startswith("search."))
    out = {}
    for name, style in table.items():
        line = _line(text, name)
        if name.removeprefix("search.") not in names:
            raise ConfigError(
                f"{path}:{line}: no colour called {name!r}",
                hint=f"the colours are {', '.join(names)}",
            )
        try:
            if not isinstance(style, str):
                raise StyleSyntaxError(f"{style!r} is not text")
            Style.parse(style)
        except StyleSyntaxError as exc:
            raise ConfigError(
                f"{path}:{line}: {name} = {style!r} is not a style ({exc})",
                hint='write a rich style such as "bold red", "italic #ff8800" or "none"',
            ) from exc
        out[name.removeprefix("search.")] = style
    return out
