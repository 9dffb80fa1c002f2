"""Tests for search.terminal.userconfig: the TOML config file in the XDG config folder."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from prompt_toolkit.enums import EditingMode

from search import cli
from search.terminal.repl import editing_mode, pager_command
from search.terminal.userconfig import ConfigError, UserConfig, config_path, load_config


def write(isolated_env: Path, text: str) -> Path:
    path = isolated_env / ".config" / "search" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_means_the_defaults(isolated_env: Path) -> None:
    assert config_path() == isolated_env / ".config" / "search" / "config.toml"
    assert load_config() == UserConfig()
    assert editing_mode() is EditingMode.EMACS


def test_every_setting_is_read(isolated_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(isolated_env, """
# my settings
index = "~/news/index"
page_size = 20
editing_mode = "vi"
pager = "OFF"
pager_command = "less -S"

[colours]
match = "bold red"
person = "#00ff00"
""")
    config = load_config()
    assert config == UserConfig(isolated_env / "news" / "index", 20, "vi", "off", "less -S",
                                {"match": "bold red", "person": "#00ff00"}, path)
    assert editing_mode() is EditingMode.VI
    monkeypatch.setenv("SEARCH_EDITING_MODE", "emacs")  # the environment wins
    assert editing_mode() is EditingMode.EMACS
    monkeypatch.delenv("PAGER", raising=False)
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    assert pager_command() in ("less -S", None)  # None only where less is not installed
    monkeypatch.setenv("SEARCH_PAGER", "more")
    assert pager_command() == "more"


@pytest.mark.parametrize(
    ("text", "message", "hint"),
    [
        ('page_size = 20\npagesize = 5\n', ":2: unknown setting 'pagesize'", "page_size"),
        ('\n\npage_size = "twenty"\n', ":3: page_size is 'twenty'", "page_size = 20"),
        ("page_size = 0\n", ":1: page_size is 0", "whole number"),
        ('pager = "sometimes"\n', ":1: pager is 'sometimes'", '"auto"'),
        ('editing_mode = "nano"\n', ":1: editing_mode is 'nano'", '"emacs"'),
        ('[colours]\nmatch = "bold red"\ntitel = "bold"\n', ":3: no colour called 'titel'", "title"),
        ('[colours]\n\nmatch = "blod red"\n', ":3: match = 'blod red' is not a style", "bold red"),
        ('colours = "red"\n', ":1: colours must be a table", "[colours]"),
        ('page_size = 20\npager = "off\n', "(at line 2", "TOML"),
    ],
)
def test_a_bad_file_names_the_file_and_line(
    isolated_env: Path, text: str, message: str, hint: str
) -> None:
    path = write(isolated_env, text)
    with pytest.raises(ConfigError) as caught:
        load_config()
    assert str(path) in caught.value.message and message in caught.value.message
    assert hint in caught.value.hint


def test_the_program_uses_the_config_file(
    isolated_env: Path, news_index: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    write(isolated_env, f'index = "{news_index}"\npage_size = 1\n')
    monkeypatch.chdir(isolated_env)  # no ./index here: only the config file names one
    monkeypatch.setattr(sys, "stdin", io.StringIO("summit\n"))
    assert cli.main([]) == 0
    assert "4 hits in" in capsys.readouterr().out
    monkeypatch.setattr(sys, "stdin", io.StringIO("summit\n"))
    assert cli.main(["--json"]) == 0
    out = capsys.readouterr().out
    assert '"limit": 1' in out and '"pagecount": 4' in out
    monkeypatch.setattr(sys, "stdin", io.StringIO("summit\n"))
    assert cli.main(["--json", "--limit", "2"]) == 0  # the command line wins
    assert '"pagecount": 2' in capsys.readouterr().out
    assert cli.main(["query", "summit", "--json"]) == 0  # commands use its index too
    assert '"total": 4' in capsys.readouterr().out


def test_a_bad_config_file_is_a_clear_error_of_the_program(
    isolated_env: Path, news_index: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(isolated_env, '[colours]\nmatch = "blod"\n')
    assert cli.main(["query", "summit", "--index", str(news_index)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}:2: match = 'blod' is not a style")
    assert "hint: write a rich style" in err
