"""A long post about a drug that ends with a claim is a claim for the moderators; real risk stays crisis."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.moderation.cli import load_model
from bot.moderation.rules import load_rules
from bot.moderation.scanner import MODEL_CRISIS_SURE, Scanner
from bot.settings import DEFAULT_MODERATION_RULES, PROJECT_ROOT, Settings
from tests.support.seed_comments import TIM


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    model = load_model(Settings.load({}, env_file=Path("/nonexistent")))
    return Scanner(load_rules(PROJECT_ROOT / DEFAULT_MODERATION_RULES), model=model)


def test_a_borderline_crisis_reading_gives_way_to_a_claim_rule(scanner):
    text = " ".join(TIM.split())
    scores = scanner.model.score(text)
    assert scanner.model.thresholds.crisis <= scores.crisis < MODEL_CRISIS_SURE  # the case at issue
    result = scanner.scan(text)
    assert result.flagged and result.kind == "claim" and result.category == "invented_cause"
    assert result.layer == "rule"
    assert scanner.scan_naive(text).as_json() == result.as_json()


@pytest.mark.parametrize(
    "text",
    [
        "5G started all this. doesn't matter now, I've saved up enough of my pills and tonight's the night",
        "big pharma will never cure us. I'm done. I've written letters to the kids and sorted the will",
    ],
)
def test_a_claim_beside_real_risk_is_still_crisis(scanner, text):
    result = scanner.scan(text)
    assert result.flagged and result.kind == "crisis", result
    assert scanner.scan_naive(text).as_json() == result.as_json()
