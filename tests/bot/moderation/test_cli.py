"""`python -m bot scan [FILE|-] --json` as a moderator would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

LINES = [
    "also i think rls is caused by too much wifi. just saying.",
    "does wifi cause RLS?",
    "baclofen made me drowsy so I stopped",
    "I don't want to live anymore",
    "Just stop taking your ropinirole cold turkey",
    "",
]


def run(args, *, stdin=None, env_extra=None, cwd=ROOT):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DISCORD_"))}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=60,
    )


def test_scan_json_one_object_per_line(tmp_path):
    path = tmp_path / "export.txt"
    path.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    done = run(["scan", str(path), "--json"])
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(rows) == len(LINES)
    assert all(set(r) == {"flagged", "kind", "category", "rule", "score", "layer", "public"} for r in rows)
    assert rows[0]["flagged"] and rows[0]["kind"] == "claim" and rows[0]["category"] == "invented_cause"
    clean = {"flagged": False, "kind": None, "category": None, "rule": None, "score": 0.0, "layer": None, "public": False}
    assert rows[1] == rows[2] == rows[5] == clean
    assert rows[3]["kind"] == "crisis"
    assert rows[4]["category"] == "dangerous_advice" and rows[4]["rule"] == "stop-medication-abruptly"


def test_scan_reads_stdin_and_honours_the_rules_setting(tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "rules:\n"
        "  - id: copper-cure\n"
        "    category: miracle_cure\n"
        "    note: Copper has no evidence for RLS.\n"
        "    phrases: [copper bracelet* cure*]\n",
        encoding="utf-8",
    )
    text = "copper bracelets cure rls\n5G causes RLS\n"
    done = run(
        ["scan", "-", "--json"],
        stdin=text,
        env_extra={"BOT_MODERATION_RULES": str(rules), "BOT_MODERATION_MODEL": "off"},
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert rows[0]["rule"] == "copper-cure" and rows[0]["layer"] == "rule"
    assert rows[1]["flagged"] is False  # the shipped rules are not loaded, and the model is off
    learned = run(["scan", "-", "--json"], stdin=text, env_extra={"BOT_MODERATION_RULES": str(rules)}, cwd=tmp_path)
    rows = [json.loads(line) for line in learned.stdout.splitlines()]
    assert rows[1]["flagged"] and rows[1]["layer"] == "model" and rows[1]["category"] == "invented_cause"
    assert 0 < rows[1]["score"] <= 1
    plain = run(["scan"], stdin="5G causes RLS\nhello\n")
    assert plain.returncode == 0 and plain.stdout.startswith("FLAG") and "ok    hello" in plain.stdout


def test_scan_errors_are_one_clear_line(tmp_path):
    missing = run(["scan", str(tmp_path / "nope.txt"), "--json"])
    assert missing.returncode == 2 and "cannot read" in missing.stderr and "Traceback" not in missing.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules: 3\n", encoding="utf-8")
    broken = run(["scan", "--json"], stdin="x\n", env_extra={"BOT_MODERATION_RULES": str(bad)})
    assert broken.returncode == 2 and "error:" in broken.stderr and "Traceback" not in broken.stderr
    assert Path(ROOT / "data" / "moderation" / "rules.yaml").is_file()
