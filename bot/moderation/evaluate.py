"""Figures for a labelled message set: what the scanner would do, judged by what each flag does.

* alerts (private, to moderators): precision and recall over every claim category;
* public actions (a reply or a removal): precision, counting only flags of the right category;
* crisis: recall over crisis messages, and how many hyperbole messages are treated as crisis.

Used by the benchmark suite and the tests on the blind set (``tests/blind/moderation.tsv``).
No discord imports.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.moderation.model import CLAIM_LABELS, Example


@dataclass
class Figures:
    messages: int = 0
    claims: int = 0
    alerts: int = 0
    alerts_right: int = 0  # alerts on messages that are claims
    claims_found: int = 0
    public: int = 0
    public_right: int = 0  # public actions on a claim of that category
    crisis: int = 0
    crisis_found: int = 0
    hyperbole: int = 0
    hyperbole_as_crisis: int = 0
    false_crisis: int = 0  # crisis path for a message that is neither crisis nor hyperbole
    missed: Counter = field(default_factory=Counter)  # by label/subtype
    by_layer: Counter = field(default_factory=Counter)

    @property
    def alert_precision(self) -> float:
        return self.alerts_right / self.alerts if self.alerts else 1.0

    @property
    def alert_recall(self) -> float:
        return self.claims_found / self.claims if self.claims else 1.0

    @property
    def public_precision(self) -> float:
        return self.public_right / self.public if self.public else 1.0

    @property
    def crisis_recall(self) -> float:
        return self.crisis_found / self.crisis if self.crisis else 1.0

    @property
    def hyperbole_rate(self) -> float:
        return self.hyperbole_as_crisis / self.hyperbole if self.hyperbole else 0.0

    def lines(self) -> list[str]:
        return [
            f"claims: alert precision {self.alert_precision:.3f}, recall {self.alert_recall:.3f} "
            f"({self.claims_found}/{self.claims} found, {self.alerts} alerts)",
            f"public actions: precision {self.public_precision:.3f} ({self.public_right}/{self.public}), "
            f"{self.public} of {self.claims} claims confident enough",
            f"crisis: recall {self.crisis_recall:.3f} ({self.crisis_found}/{self.crisis}); hyperbole treated as "
            f"crisis {self.hyperbole_rate:.3f} ({self.hyperbole_as_crisis}/{self.hyperbole}); other messages "
            f"sent the crisis path {self.false_crisis}",
        ]


def evaluate(scanner, examples: Iterable[Example]) -> Figures:
    f = Figures()
    for ex in examples:
        result = scanner.scan(ex.text)
        f.messages += 1
        is_claim = ex.label in CLAIM_LABELS
        crisis_path = result.flagged and result.kind == "crisis"
        alert = result.flagged and result.kind == "claim"
        if result.flagged:
            f.by_layer[f"{result.kind}:{result.layer}"] += 1
        if is_claim:
            f.claims += 1
            # A claim that reaches moderators by the crisis path is still seen by them.
            f.claims_found += alert or crisis_path
            if not (alert or crisis_path):
                f.missed[f"{ex.label}/{ex.subtype}"] += 1
        if alert:
            f.alerts += 1
            f.alerts_right += is_claim
            if result.public:
                f.public += 1
                f.public_right += result.category == ex.label
        if ex.label == "crisis":
            f.crisis += 1
            f.crisis_found += crisis_path
            if not crisis_path:
                f.missed[f"crisis/{ex.subtype}"] += 1
        elif crisis_path:
            if ex.subtype == "hyperbole":
                f.hyperbole_as_crisis += 1
            else:
                f.false_crisis += 1
        if ex.subtype == "hyperbole":
            f.hyperbole += 1
    return f
