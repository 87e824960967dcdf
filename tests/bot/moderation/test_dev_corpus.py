"""Development data for the phrase rules: lived experience, questions, sarcasm, claims, crisis.

These rows were written alongside the rules, and some became rule examples, so they measure
nothing about unseen messages: they hold the phrase-rule layer (``--no-model``) to what it
was tuned for. The blind figures for the whole scanner come from ``tests/blind/moderation.tsv``.

Each line is ``label<TAB>message``; the label is ``-`` (nothing), ``crisis``
or the claim category. Precision matters most: a lived-experience message
that gets flagged is a failure just like a missed claim.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bot.moderation.scanner import Scanner

from .conftest import ROOT, RULES

CORPUS = Path(__file__).with_name("dev_corpus.tsv")
ROWS = [
    tuple(line.split("\t", 1))
    for line in CORPUS.read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]
SCANNER = Scanner.from_file(RULES)


def label(result) -> str:
    if not result.flagged:
        return "-"
    return "crisis" if result.kind == "crisis" else result.category


def test_the_corpus_is_broad():
    counts = Counter(expected for expected, _ in ROWS)
    assert len(ROWS) >= 120
    assert counts["-"] >= 80 and counts["crisis"] >= 15
    for category in (
        "miracle_cure",
        "invented_cause",
        "regulator_conspiracy",
        "dangerous_advice",
        "product_pitch",
    ):
        assert counts[category] >= 6, category


@pytest.mark.parametrize(("expected", "text"), ROWS, ids=[text[:40] for _, text in ROWS])
def test_each_message_gets_its_label(expected, text):
    result = SCANNER.scan(text, explain=True)
    assert label(result) == expected, (result.rule, result.matched, result.skipped)


def test_the_scan_cli_agrees_line_for_line():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("BOT_MODERATION_RULES", None)
    lines = "\n".join(text for _, text in ROWS) + "\n"
    done = subprocess.run(
        [sys.executable, "-m", "bot", "scan", "-", "--json", "--no-model"],
        input=lines,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(out) == len(ROWS)
    for (expected, text), row in zip(ROWS, out, strict=True):
        assert list(row)[:4] == ["flagged", "kind", "category", "rule"]
        got = "-" if not row["flagged"] else ("crisis" if row["kind"] == "crisis" else row["category"])
        assert got == expected, text
        assert (row["rule"] is None) == (not row["flagged"])
