"""Blind set: moderation figures on messages never used to build or tune the scanner.

``tests/blind/moderation.tsv`` was written from the labelling guide alone, apart from the
training corpus, before the model existed, and is never edited. The targets are the ones each
flag needs: alerts (private) favour recall, public actions need precision, crisis needs recall.
The rules-only scanner is measured beside it as the baseline.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.report import Figure
from bot.moderation.cli import load_model
from bot.moderation.evaluate import evaluate
from bot.moderation.model import read_tsv
from bot.moderation.rules import load_rules
from bot.moderation.scanner import Scanner
from bot.settings import PROJECT_ROOT, Settings

SUITE = "8 blind set"
BLIND = PROJECT_ROOT / "tests" / "blind" / "moderation.tsv"
CRISIS_BLIND = PROJECT_ROOT / "tests" / "blind" / "crisis.tsv"  # crisis and its look-alikes
THREADS_BLIND = PROJECT_ROOT / "tests" / "blind" / "crisis_threads.tsv"  # thread replies, buried signs
TWINS_BLIND = PROJECT_ROOT / "tests" / "blind" / "crisis_lookalikes.tsv"  # crisis and look-alike twins
CLAIMS_FRESH = PROJECT_ROOT / "tests" / "blind" / "claims_fresh.tsv"  # claims and their hard negatives
MIXED_FRESH = PROJECT_ROOT / "tests" / "blind" / "moderation_fresh_c.tsv"  # claims, crisis and look-alikes
CRISIS_FRESH = (  # two later sets of crisis messages and look-alikes, written apart
    ("fresh set A", PROJECT_ROOT / "tests" / "blind" / "crisis_fresh_a.tsv"),
    ("fresh set B", PROJECT_ROOT / "tests" / "blind" / "crisis_fresh_b.tsv"),
)


def figures_for(scanner: Scanner, path: Path = BLIND) -> tuple:
    return evaluate(scanner, read_tsv(Path(path)))


def run(quick: bool) -> list[Figure]:
    settings = Settings.load()
    rules = load_rules(settings.moderation_rules)
    model = load_model(settings)
    full = figures_for(Scanner(rules, model=model))
    base = figures_for(Scanner(rules))
    crisis = figures_for(Scanner(rules, model=model), CRISIS_BLIND)
    crisis_base = figures_for(Scanner(rules), CRISIS_BLIND)
    crisis_sets = [("crisis set", crisis, crisis_base)]
    if THREADS_BLIND.exists():
        threads = figures_for(Scanner(rules, model=model), THREADS_BLIND)
        crisis_sets.append(("thread set", threads, figures_for(Scanner(rules), THREADS_BLIND)))
    if TWINS_BLIND.exists():
        twins = figures_for(Scanner(rules, model=model), TWINS_BLIND)
        crisis_sets.append(("look-alike set", twins, figures_for(Scanner(rules), TWINS_BLIND)))
    for label, path in CRISIS_FRESH:
        if path.exists():
            found = figures_for(Scanner(rules, model=model), path)
            crisis_sets.append((f"crisis {label}", found, figures_for(Scanner(rules), path)))
    claim_sets = []
    if CLAIMS_FRESH.exists():
        claim_sets.append(
            ("fresh claims set", figures_for(Scanner(rules, model=model), CLAIMS_FRESH), figures_for(Scanner(rules), CLAIMS_FRESH))
        )
    if MIXED_FRESH.exists():
        mixed = (figures_for(Scanner(rules, model=model), MIXED_FRESH), figures_for(Scanner(rules), MIXED_FRESH))
        crisis_sets.append(("fresh set C", *mixed))
        claim_sets.append(("fresh set C", *mixed))
    n = f"{full.messages} msgs: {full.claims} claims, {full.crisis} crisis, {full.hyperbole} hyperbole"
    return [
        Figure(SUITE, "claims: alert recall", full.alert_recall, "", "≥ 0.85", full.alert_recall >= 0.85, n),
        Figure(
            SUITE,
            "claims: alert precision",
            full.alert_precision,
            "",
            "≥ 0.85",
            full.alert_precision >= 0.85,
            f"rules only: recall {base.alert_recall:.3f}, precision {base.alert_precision:.3f}",
        ),
        Figure(
            SUITE,
            "public actions: precision",
            full.public_precision,
            "",
            "≥ 0.97",
            full.public_precision >= 0.97,
            f"{full.public} of {full.claims} claims public; rules only {base.public_precision:.3f}",
        ),
        Figure(
            SUITE,
            "crisis: recall",
            full.crisis_recall,
            "",
            "≥ 0.95",
            full.crisis_recall >= 0.95,
            f"rules only {base.crisis_recall:.3f}; missed {dict(full.missed) and sum(v for k, v in full.missed.items() if k.startswith('crisis'))}",
        ),
        Figure(
            SUITE,
            "hyperbole treated as crisis",
            full.hyperbole_rate,
            "",
            "≤ 0.10",
            full.hyperbole_rate <= 0.10,
            f"{full.hyperbole_as_crisis}/{full.hyperbole}; other messages sent the crisis path: {full.false_crisis}",
        ),
    ] + [
        figure
        for label, found, rules_only in crisis_sets
        for figure in (
            Figure(
                SUITE,
                f"{label}: recall",
                found.crisis_recall,
                "",
                "≥ 0.95",
                found.crisis_recall >= 0.95,
                f"{found.crisis_found}/{found.crisis}; rules only {rules_only.crisis_recall:.3f}",
            ),
            Figure(
                SUITE,
                f"{label}: hyperbole treated as crisis",
                found.hyperbole_rate,
                "",
                "≤ 0.10",
                found.hyperbole_rate <= 0.10,
                f"{found.hyperbole_as_crisis}/{found.hyperbole}; other messages sent the crisis path: "
                f"{found.false_crisis}",
            ),
        )
    ] + [
        figure
        for label, found, rules_only in claim_sets
        for figure in (
            Figure(
                SUITE,
                f"{label}: alert recall",
                found.alert_recall,
                "",
                "≥ 0.85",
                found.alert_recall >= 0.85,
                f"{found.claims} claims of {found.messages} msgs; rules only {rules_only.alert_recall:.3f}",
            ),
            Figure(
                SUITE,
                f"{label}: alert precision",
                found.alert_precision,
                "",
                "≥ 0.85",
                found.alert_precision >= 0.85,
                f"rules only {rules_only.alert_precision:.3f}",
            ),
            Figure(
                SUITE,
                f"{label}: public actions precision",
                found.public_precision,
                "",
                "≥ 0.97",
                found.public_precision >= 0.97,
                f"{found.public} of {found.claims} claims public; rules only {rules_only.public_precision:.3f}",
            ),
        )
    ]
