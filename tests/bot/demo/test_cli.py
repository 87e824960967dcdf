"""``python -m bot demo`` on the command line: the optional extra, and a bot that never loads simcord."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from bot.cli import main
from bot.settings import PROJECT_ROOT


def test_a_missing_extra_is_one_line_naming_the_install_command(monkeypatch, capsys):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name in ("simcord", "av") else real(name, *a)
    )
    assert main(["demo", "--no-browser", "--seconds", "1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "missing: simcord, av" in err and "pip install -e '.[demo]'" in err


def test_the_real_bot_never_loads_simcord():
    code = (
        "import sys\n"
        "from bot.cli import build_parser\n"
        "import bot.app, cogs.moderation, cogs.checkins, cogs.reminders, cogs.knowledge\n"
        "build_parser().parse_args(['run'])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('simcord', 'av', 'PIL', 'markdown_it')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_demo_options_are_listed_in_help(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["demo", "--help"])
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    for option in ("--database", "--no-browser", "--seconds", "--fast-forward"):
        assert option in text
    assert "127.0.0.1" in text
