"""Moderation as the bot uses it: per-server scanners, notes, the moderator check.

Holds the shipped rule set and one compiled :class:`Scanner` per server
(shipped rules minus the ones the server disabled, plus its own phrase
rules), rebuilt only when that server changes its rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.errors import PermissionDenied
from bot.moderation import store
from bot.moderation.rules import CATEGORIES, Rule, RuleSet, custom_rule, load_rules
from bot.moderation.scanner import Scanner, ScanResult

MODERATOR_REFUSAL = "Only moderators (Manage Messages permission) can do this."


def require_moderator(has_manage_messages: bool) -> None:
    """The one moderator check, shared by every /mod command and case button."""
    if not has_manage_messages:
        raise PermissionDenied(MODERATOR_REFUSAL)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def knowledge_note(treatments: Iterable[Any], limit: int = 900) -> str | None:
    """What the articles say about the treatments a message names (evidence, key risks)."""
    parts = []
    for treatment in list(treatments)[:3]:
        card = getattr(treatment, "card", None)
        if card is None:
            continue
        line = f"**{treatment.name}**: evidence {card.evidence_level}"
        if card.evidence_summary:
            line += f" ({_clip(card.evidence_summary, 200)})"
        risks = list(getattr(card, "key_risks", []) or [])
        if risks:
            line += f". Key risks: {_clip('; '.join(risks), 200)}"
        line += f". See `/treatment {treatment.name}`."
        parts.append(line)
    if not parts:
        return None
    return _clip("\n".join(parts), limit)


@dataclass(frozen=True)
class RuleRow:
    rule: Rule
    enabled: bool


class Moderation:
    """Rules and scanners for every server; no discord imports."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.base = ruleset
        self.default_scanner = Scanner(ruleset)
        self._scanners: dict[int, Scanner] = {}

    @classmethod
    def from_file(cls, path: str | Path) -> Moderation:
        return cls(load_rules(path))

    def invalidate(self, guild_id: int) -> None:
        self._scanners.pop(guild_id, None)

    async def _ruleset(self, db, guild_id: int) -> RuleSet:
        disabled = await store.disabled_rules(db, guild_id)
        extra = await store.custom_rules(db, guild_id, self.base.vocab)
        return self.base.plus(extra).without(disabled)

    async def scanner(self, db, guild_id: int) -> Scanner:
        scanner = self._scanners.get(guild_id)
        if scanner is None:
            ruleset = await self._ruleset(db, guild_id)
            scanner = self.default_scanner if ruleset.rules == self.base.rules else Scanner(ruleset)
            self._scanners[guild_id] = scanner
        return scanner

    async def scan(self, db, guild_id: int, text: str, *, explain: bool = False) -> ScanResult:
        return (await self.scanner(db, guild_id)).scan(text, explain=explain)

    async def rules(self, db, guild_id: int) -> list[RuleRow]:
        disabled = await store.disabled_rules(db, guild_id)
        extra = await store.custom_rules(db, guild_id, self.base.vocab)
        return [RuleRow(r, r.id not in disabled) for r in (*self.base.rules, *extra)]

    async def set_enabled(self, db, guild_id: int, rule_id: str, enabled: bool) -> bool:
        known = [row.rule.id for row in await self.rules(db, guild_id)]
        changed = await store.set_rule_enabled(db, guild_id, rule_id, enabled, known)
        self.invalidate(guild_id)
        return changed

    async def add_rule(
        self,
        db,
        guild_id: int,
        *,
        rule_id: str,
        category: str,
        phrases: str,
        note: str,
        severity: str = "medium",
        author_id: int,
        now: datetime,
    ) -> Rule:
        """A moderator's phrase rule. Phrases are separated by ``;`` or new lines."""
        items = [p.strip() for p in phrases.replace("\n", ";").split(";") if p.strip()]
        if category not in CATEGORIES:
            category = next(
                (k for k, v in CATEGORIES.items() if v.casefold() == category.casefold()), category
            )
        rule = custom_rule(rule_id.strip().lower(), category, items, note, severity, self.base.vocab)
        await store.add_custom_rule(db, guild_id, rule, self.base, author_id=author_id, now=now)
        self.invalidate(guild_id)
        return rule
