"""The shipped rule file: every example, validation, and the phrase language's safety."""

from __future__ import annotations

import re
import time

import pytest
import yaml

from bot.moderation.normalise import normalise
from bot.moderation.rules import RuleError, RuleSet, compile_phrase, custom_rule, load_rules, parse_rules
from bot.moderation.scanner import Scanner

from .conftest import RULES

SHIPPED = load_rules(RULES)
MATCH = [(r.id, ex) for r in SHIPPED.rules for ex in r.examples_match]
NO_MATCH = [(r.id, ex) for r in SHIPPED.rules for ex in r.examples_no_match]
FULL = Scanner(SHIPPED, crisis=False)


def test_every_category_has_a_rule_with_examples():
    categories = {r.category for r in SHIPPED.rules}
    assert categories == {
        "miracle_cure",
        "invented_cause",
        "regulator_conspiracy",
        "dangerous_advice",
        "product_pitch",
    }
    for rule in SHIPPED.rules:
        assert rule.examples_match and rule.examples_no_match, rule.id
        assert rule.note


@pytest.mark.parametrize(("rule_id", "text"), MATCH)
def test_example_matches_its_rule(rule_id, text):
    alone = Scanner(RuleSet((SHIPPED.get(rule_id),), SHIPPED.vocab), crisis=False)
    result = alone.scan(text, explain=True)
    assert result.flagged and result.rule == rule_id, (text, result.skipped)
    assert FULL.scan(text).flagged


@pytest.mark.parametrize(("rule_id", "text"), NO_MATCH)
def test_example_is_not_flagged(rule_id, text):
    result = FULL.scan(text)
    assert not result.flagged, (rule_id, text, result.rule, result.matched)


def _rules(**rule):
    base = {"id": "r-one", "category": "miracle_cure", "note": "n", "phrases": ["miracle cure"]}
    base.update(rule)
    return {"rules": [base]}


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"id": "Bad Id"}, "id must be"),
        ({"category": "rumours"}, "category must be one of"),
        ({"severity": "extreme"}, "severity"),
        ({"note": ""}, "note"),
        ({"phrases": [], "patterns": []}, "needs phrases or patterns"),
        ({"phrases": ["{nope} cure"]}, "unknown vocabulary list"),
        ({"phrases": ["... cure"]}, "goes between words"),
        ({"phrases": ["[cure]"]}, "not optional"),
        ({"patterns": [r"(a+)+b"], "anchors": ["a"]}, "nested repetition"),
        ({"patterns": [r"miracle\s+cure"]}, "anchors"),
        ({"patterns": [r"(miracle) cure"], "anchors": ["miracle"]}, "capturing groups"),
        ({"patterns": [r"miracle ("], "anchors": ["miracle"]}, "invalid pattern"),
        ({"colour": "red"}, "unknown field"),
    ],
)
def test_invalid_rules_are_refused_with_a_reason(rule, message):
    with pytest.raises(RuleError, match=message):
        parse_rules(_rules(**rule))


def test_duplicate_ids_and_bad_files(tmp_path):
    data = _rules()
    data["rules"].append(dict(data["rules"][0]))
    with pytest.raises(RuleError, match="duplicate"):
        parse_rules(data)
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules: [: nope", encoding="utf-8")
    with pytest.raises(RuleError, match="not valid YAML"):
        load_rules(bad)
    with pytest.raises(RuleError, match="not found"):
        load_rules(tmp_path / "missing.yaml")


def test_file_patterns_work_with_their_anchors():
    ruleset = parse_rules(
        _rules(phrases=[], patterns=[r"\bcopper\s+bracelets?\s+cures?\b"], anchors=["copper"])
    )
    scanner = Scanner(ruleset, crisis=False)
    assert scanner.scan("a copper bracelet cures everything").flagged
    assert not scanner.scan("my copper pans are lovely").flagged


def test_phrase_language():
    vocab = {"agent": ("5g", "wifi")}
    piece = compile_phrase("{agent} ... cause/causes [your] rls", vocab)
    regex = re.compile(piece.regex)
    assert regex.search("5g really does cause your rls")
    assert regex.search("wifi causes rls")
    assert not regex.search("wifi is nice. it causes rls")  # never across a sentence end
    assert piece.anchors in ({"5g", "wifi"}, {"cause", "causes"}, {"rls"})  # one required word set
    prefix = re.compile(compile_phrase("vaccin* injur*").regex)
    assert prefix.search(normalise("vaccines injured")) and not prefix.search(normalise("avaccine injury"))
    joined = re.compile(compile_phrase("get_rid_of/banish rls forever").regex)
    assert joined.search("get rid of rls forever") and joined.search("banish rls forever")


def test_moderator_phrases_are_literal_and_cannot_hang():
    # Regex syntax typed by a moderator is matched literally, never interpreted.
    rule = custom_rule("plus-cure", "miracle_cure", ["c++ (cure).*"], "note")
    scanner = Scanner(RuleSet((rule,)), crisis=False)
    assert scanner.scan("try c++ (cure).* today").flagged
    assert not scanner.scan("try cure today").flagged
    with pytest.raises(RuleError, match="only phrases"):
        from bot.moderation.rules import build_rule

        build_rule(
            {"id": "x-y", "category": "miracle_cure", "note": "n", "patterns": ["a"]}, allow_patterns=False
        )
    # A long hostile message against many gap phrases still scans quickly.
    gaps = custom_rule("gaps", "miracle_cure", ["a ... a ... a ... b", "a* ... a* ... c"], "note")
    hostile = ("a " * 5000) + "!"
    started = time.perf_counter()
    assert not Scanner(RuleSet((gaps,)), crisis=False).scan(hostile).flagged
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize(
    ("phrase", "message"),
    [
        ("\\" * 1000, "a phrase is at most 300 characters"),
        ("\u200b" * 290 + " cure", "empty word"),
        ("[" + "\x00" * 200 + "]", "no letters or digits"),
        ("a/" + "\U000b5cdb" * 250, "no letters or digits"),
    ],
)
def test_an_error_quotes_only_the_start_of_a_long_phrase(phrase, message):
    # The error is shown to the moderator in Discord, where a reply holds at most 2,000 characters.
    with pytest.raises(RuleError, match=re.escape(message)) as refused:
        custom_rule("long-one", "miracle_cure", [phrase], "note")
    assert len(str(refused.value)) < 1000, len(str(refused.value))


def test_rule_file_is_readable_yaml_with_vocab():
    data = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    assert "vocab" in data and isinstance(data["rules"], list)
    assert all({"id", "category", "severity", "note", "examples"} <= set(r) for r in data["rules"])


@pytest.mark.parametrize(
    "phrase",
    [
        "x ... x ... x ... x ... zzz",  # four gaps
        "x ... ... ... ... zzz",
        "[a] [b] [c] x ... x ... x ... zzz",  # three gaps and optional words
        "[a] [b] [c] [d] [e] [f] [g] [h] [i] zzz",
    ],
)
def test_phrases_that_could_backtrack_for_long_are_refused(phrase):
    with pytest.raises(RuleError, match="split it into shorter phrases"):
        custom_rule("slow-one", "miracle_cure", [phrase], "note")


def test_the_most_branching_phrase_allowed_is_still_fast():
    phrases = [
        "leg ... leg ... leg ... cure",
        "[leg] [leg] leg ... leg ... cure",
        "[leg] [leg] [leg] [leg] [leg] [leg] leg cure",
    ]
    worst = custom_rule("worst", "miracle_cure", phrases, "n")
    scanner = Scanner(RuleSet((worst,)), crisis=False)
    # A 2,000-character message of the phrases' words that never completes a match.
    hostile = "cure " + " ".join(["leg"] * 500) + ". cure"
    assert len(scanner.candidates(normalise(hostile))) == 3  # every phrase really runs
    started = time.perf_counter()
    assert not scanner.scan(hostile).flagged
    assert time.perf_counter() - started < 0.25
