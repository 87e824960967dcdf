"""``python -m bot ask`` and ``python -m bot treatment``: JSON for scripts, no token needed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from .conftest import ROOT


def run(*args, articles_dir=None):
    env = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "BOT_ARTICLES_DIR")}
    if articles_dir is not None:
        env["BOT_ARTICLES_DIR"] = str(articles_dir)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60
    )
    return done, time.perf_counter() - started


def test_ask_json_puts_baclofen_side_effects_first():
    done, elapsed = run("ask", "baclofen side effects", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == {"answered", "results"}
    assert data["answered"] is True
    first = data["results"][0]
    assert set(first) - {"topic"} == {"treatment", "article", "section", "text", "score"}
    assert first["topic"] == "side_effects"
    assert first["treatment"] == "baclofen"
    assert first["section"] == "Side Effects, Risks, and Considerations When Using Baclofen for RLS"
    assert isinstance(first["score"], int | float)
    assert 1 <= len(data["results"]) <= 3
    assert elapsed < 5  # includes starting Python; the lookup itself is milliseconds


def test_ask_json_off_topic():
    done, _ = run("ask", "best pizza topping", "--json")
    assert done.returncode == 0
    assert json.loads(done.stdout) == {"answered": False, "results": []}


def test_ask_honours_articles_dir(many_dir, tmp_path):
    done, _ = run("ask", "gabapentin side effects", "--json", articles_dir=many_dir)
    assert json.loads(done.stdout)["results"][0]["treatment"] == "gabapentin"
    empty = tmp_path / "none"
    done, _ = run("ask", "baclofen side effects", "--json", articles_dir=empty)
    assert done.returncode == 0
    assert json.loads(done.stdout) == {"answered": False, "results": []}


def test_ask_rejects_empty_and_long_questions():
    done, _ = run("ask", "   ", "--json")
    assert done.returncode == 1 and "question" in done.stderr
    done, _ = run("ask", "x" * 600, "--json")
    assert done.returncode == 1 and "500" in done.stderr


def test_treatment_json_by_misspelling():
    done, _ = run("treatment", "baclophen", "--json")
    assert done.returncode == 0, done.stderr
    card = json.loads(done.stdout)
    assert card["slug"] == "baclofen" and card["name"] == "Baclofen"
    assert card["evidence_level"] == "Limited"
    assert "few small studies" in card["evidence_summary"]
    assert card["article"] == {
        "title": "Baclofen and Restless Leg Syndrome: Can It Provide Relief?",
        "author": "James Hines",
        "date": "2023-04-28",
        "source": "Community article (raw text 003_86dbaa6d567a6e92.txt)",
    }
    topics = {t["topic"]: t for t in card["topics"]}
    assert set(topics) == {"what_it_is", "how_it_works", "evidence", "side_effects", "risks", "ask_doctor"}
    assert topics["risks"]["sections"] == [
        "Side Effects, Risks, and Considerations When Using Baclofen for RLS"
    ]
    assert "physical dependence" in card["key_risks"]


def test_treatment_by_brand_name_text_output():
    done, _ = run("treatment", "Namenda")
    assert done.returncode == 0
    assert done.stdout.startswith("Memantine") and "Evidence: Limited" in done.stdout


def test_unknown_treatment_is_a_clear_error():
    done, _ = run("treatment", "pizza", "--json")
    assert done.returncode == 1
    assert done.stdout == ""
    assert "no treatment called 'pizza'" in done.stderr
    assert "Traceback" not in done.stderr
