"""``articles check``: each kind of problem, reported as file:line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.knowledge.articles import parse_text
from bot.knowledge.checker import check_articles

from .conftest import ROOT

GOOD = """---
title: Test Article
author: A. Writer
date: 2024-01-02
source: tests
treatment:
  name: Testamine
  slug: testamine
  aliases: [Testo]
facts:
  side_effects:
    text: Headache.
    section: Side Effects
---

## What It Is

A test medicine.

## Side Effects

Headache.
"""


def write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text)
    return path


def messages(directory: Path) -> list[str]:
    return [str(p) for p in check_articles(directory)[0]]


def test_good_article_has_no_problems(tmp_path):
    write(tmp_path, "testamine.md", GOOD)
    assert messages(tmp_path) == []


def test_shipped_articles_pass():
    problems, articles = check_articles(ROOT / "data" / "articles")
    assert problems == []
    assert {a.slug for a in articles} == {"baclofen", "memantine"}


def test_missing_metadata(tmp_path):
    path = write(
        tmp_path, "a.md", GOOD.replace("author: A. Writer\n", "").replace("source: tests\n", "source: ''\n")
    )
    found = messages(tmp_path)
    assert f"{path}:1: missing metadata: author" in found
    assert f"{path}:4: missing metadata: source" in found  # the line of the empty value


def test_missing_treatment_and_header(tmp_path):
    no_treatment = GOOD.split("treatment:")[0] + "---\n\n## A\n\nText.\n"
    path = write(tmp_path, "a.md", no_treatment)
    assert f"{path}:1: missing metadata: treatment (name, slug, aliases)" in messages(tmp_path)
    other = write(tmp_path, "b.md", "## Heading\n\nNo header at all.\n")
    assert f"{other}:1: no metadata header: the file must start with a line '---'" in messages(tmp_path)


def test_invalid_yaml_points_at_its_line(tmp_path):
    path = write(tmp_path, "a.md", GOOD.replace("author: A. Writer", "author: [unclosed"))
    (problem,) = [m for m in messages(tmp_path) if "YAML" in m]
    assert problem.startswith(f"{path}:")
    assert int(problem.split(":")[1]) in (3, 4)


def test_empty_section_reports_its_heading_line(tmp_path):
    text = GOOD.replace("## Side Effects\n\nHeadache.\n", "## Side Effects\n\n## Dosage\n\nLow.\n")
    path = write(tmp_path, "a.md", text)
    assert f"{path}:20: empty section: 'Side Effects'" in messages(tmp_path)


def test_fact_citing_a_missing_section(tmp_path):
    path = write(tmp_path, "a.md", GOOD.replace("section: Side Effects", "section: Adverse Events"))
    assert f"{path}:13: facts.side_effects cites a section that does not exist: 'Adverse Events'" in messages(
        tmp_path
    )


def test_duplicate_treatments_across_files(tmp_path):
    write(tmp_path, "a.md", GOOD)
    second = write(tmp_path, "b.md", GOOD.replace("aliases: [Testo]", "aliases: [Other]"))
    found = messages(tmp_path)
    assert f"{second}:6: duplicate treatment 'testamine': also covered by a.md" in found


def test_alias_used_by_two_treatments(tmp_path):
    write(tmp_path, "a.md", GOOD)
    second = write(tmp_path, "b.md", GOOD.replace("Testamine", "Otherine").replace("testamine", "otherine"))
    assert f"{second}:9: treatment alias 'Testo' is also used by a.md" in messages(tmp_path)


def test_unknown_topic_and_bad_date(tmp_path):
    text = GOOD.replace("date: 2024-01-02", "date: 'Jan 2nd'").replace("  side_effects:", "  gossip:")
    path = write(tmp_path, "a.md", text)
    found = messages(tmp_path)
    assert f"{path}:4: date 'Jan 2nd' is not an ISO date (YYYY-MM-DD, or YYYY-MM for a month)" in found
    assert any(m.startswith(f"{path}:11: unknown fact topic 'gossip'") for m in found)


def test_a_date_may_give_only_its_month(tmp_path):
    write(tmp_path, "a.md", GOOD.replace("date: 2024-01-02", "date: 2024-03"))
    assert messages(tmp_path) == []
    write(tmp_path, "a.md", GOOD.replace("date: 2024-01-02", "date: 2024-13"))
    assert any("date '2024-13' is not an ISO date" in m for m in messages(tmp_path))


def test_comments_folder_is_not_checked_or_indexed(tmp_path):
    write(tmp_path, "testamine.md", GOOD)
    write(tmp_path / "comments", "testamine.md", "not an article at all")
    assert messages(tmp_path) == []


def run_check(directory: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "BOT_ARTICLES_DIR": str(directory)}
    env.pop("DISCORD_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", "articles", "check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )


def test_cli_exit_codes(tmp_path):
    write(tmp_path, "testamine.md", GOOD)
    ok = run_check(tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("OK: 1 article(s)")
    write(
        tmp_path,
        "broken.md",
        GOOD.replace("section: Side Effects", "section: Nowhere")
        .replace("Testamine", "X")
        .replace("testamine", "x")
        .replace("Testo", "Y"),
    )
    bad = run_check(tmp_path)
    assert bad.returncode == 1
    assert (
        f"{tmp_path / 'broken.md'}:13: facts.side_effects cites a section that does not exist: 'Nowhere'"
        in bad.stdout
    )


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=1500))
def test_any_file_content_gives_problems_not_crashes(text):
    article, problems = parse_text("---\n" + text, Path("x.md"))
    assert article is not None or problems
    for problem in problems:
        assert problem.line >= 0 and problem.message


UNSUPPORTED = """---
title: Test Article
author: A. Writer
date: 2024-01-02
source: tests
treatment:
  name: Testamine
  slug: testamine
facts:
  side_effects:
    text: Headache and nausea. Seizures happen only rarely in elderly people taking it.
    section: Side Effects
  risks:
    text: Weight gain, hair loss and kidney stones are serious long-term dangers of it.
    section: Side Effects
key_risks: [seizures (rare), headache]
---

## Side Effects

Headache and nausea are the usual side effects. Seizures are common in the first weeks.
"""


def test_facts_the_section_does_not_support_are_reported(tmp_path):
    (tmp_path / "testamine.md").write_text(UNSUPPORTED)
    problems, _ = check_articles(tmp_path)
    messages = [p.message for p in problems]
    assert any("facts.side_effects" in m and "'rare'" in m for m in messages), messages
    assert any("facts.risks" in m and "is not in its section" in m for m in messages), messages
    assert any("key_risks 'seizures (rare)'" in m for m in messages), messages
    assert not any("headache" in m.casefold() and "key_risks" in m for m in messages)


def test_shipped_and_freshly_imported_articles_are_supported(tmp_path):
    from bot.knowledge.importer import import_file

    from .conftest import RAW, SHIPPED

    problems, _ = check_articles(SHIPPED)
    assert problems == []
    for raw in sorted(RAW.glob("*.txt")):
        import_file(raw, tmp_path)
    problems, articles = check_articles(tmp_path)
    assert [str(p) for p in problems] == []
    assert len(articles) == len(list(RAW.glob("*.txt")))
