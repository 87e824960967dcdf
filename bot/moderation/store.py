"""Moderation records in SQLite: settings, exemptions, rule overrides, cases.

Every function takes the database and, where time matters, ``now`` (the
caller reads the clock). Times are stored as UTC text ``YYYY-MM-DD HH:MM:SS``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.errors import NotFound, UserError
from bot.moderation.rules import Rule, RuleError, RuleSet, custom_rule

ACTIONS = ("alert", "reply", "remove")
STATUSES = ("open", "dismissed", "actioned")
DEFAULT_RETENTION_DAYS = 90
MEMBER_REPLY_INTERVAL = timedelta(minutes=10)
CHANNEL_REPLY_INTERVAL = timedelta(minutes=1)
# What each moderator action does to a case's status.
CASE_ACTIONS = {
    "dismiss": "dismissed",
    "reply": "actioned",
    "remove": "actioned",
    "warn": "actioned",
}


def ts(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def parse_ts(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)


def retention_from_env(extra: Mapping[str, str]) -> int:
    """Default retention in days: ``BOT_CASE_RETENTION_DAYS`` or 90."""
    raw = (extra.get("BOT_CASE_RETENTION_DAYS") or "").strip()
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    return DEFAULT_RETENTION_DAYS


# -- settings --------------------------------------------------------------
@dataclass(frozen=True)
class ModSettings:
    guild_id: int
    log_channel_id: int | None = None
    action: str = "alert"
    retention_days: int | None = None


async def get_settings(db, guild_id: int) -> ModSettings:
    row = await db.fetchone(
        "SELECT log_channel_id, action, retention_days FROM mod_settings WHERE guild_id = ?", (guild_id,)
    )
    if row is None:
        return ModSettings(guild_id)
    return ModSettings(guild_id, row["log_channel_id"], row["action"], row["retention_days"])


async def configure(
    db,
    guild_id: int,
    *,
    log_channel_id: int | None = None,
    action: str | None = None,
    retention_days: int | None = None,
) -> ModSettings:
    """Change the given settings; None leaves a setting as it was."""
    if action is not None and action not in ACTIONS:
        raise UserError(f"The action must be one of: {', '.join(ACTIONS)}.")
    if retention_days is not None and not 1 <= retention_days <= 3650:
        raise UserError("Keep case text between 1 and 3650 days.")
    current = await get_settings(db, guild_id)
    new = ModSettings(
        guild_id,
        log_channel_id if log_channel_id is not None else current.log_channel_id,
        action or current.action,
        retention_days if retention_days is not None else current.retention_days,
    )
    await db.execute(
        "INSERT INTO mod_settings(guild_id, log_channel_id, action, retention_days) VALUES(?, ?, ?, ?) "
        "ON CONFLICT(guild_id) DO UPDATE SET log_channel_id = excluded.log_channel_id, "
        "action = excluded.action, retention_days = excluded.retention_days",
        (guild_id, new.log_channel_id, new.action, new.retention_days),
    )
    return new


# -- exemptions ------------------------------------------------------------
@dataclass(frozen=True)
class Exemptions:
    roles: frozenset[int] = frozenset()
    channels: frozenset[int] = frozenset()

    def covers(self, channel_ids: Iterable[int], role_ids: Iterable[int]) -> bool:
        return any(c in self.channels for c in channel_ids) or any(r in self.roles for r in role_ids)


async def get_exemptions(db, guild_id: int) -> Exemptions:
    rows = await db.fetchall("SELECT kind, target_id FROM mod_exemptions WHERE guild_id = ?", (guild_id,))
    return Exemptions(
        frozenset(r["target_id"] for r in rows if r["kind"] == "role"),
        frozenset(r["target_id"] for r in rows if r["kind"] == "channel"),
    )


async def add_exemption(db, guild_id: int, kind: str, target_id: int) -> bool:
    """Exempt a role or channel; False if it already was."""
    if kind not in ("role", "channel"):
        raise ValueError(kind)
    rowid = await db.fetchval(
        "SELECT 1 FROM mod_exemptions WHERE guild_id = ? AND kind = ? AND target_id = ?",
        (guild_id, kind, target_id),
    )
    if rowid:
        return False
    await db.execute(
        "INSERT INTO mod_exemptions(guild_id, kind, target_id) VALUES(?, ?, ?)", (guild_id, kind, target_id)
    )
    return True


async def remove_exemption(db, guild_id: int, kind: str, target_id: int) -> None:
    exists = await db.fetchval(
        "SELECT 1 FROM mod_exemptions WHERE guild_id = ? AND kind = ? AND target_id = ?",
        (guild_id, kind, target_id),
    )
    if not exists:
        raise NotFound(f"That {kind} is not exempt.")
    await db.execute(
        "DELETE FROM mod_exemptions WHERE guild_id = ? AND kind = ? AND target_id = ?",
        (guild_id, kind, target_id),
    )


# -- rule overrides ----------------------------------------------------------
async def disabled_rules(db, guild_id: int) -> set[str]:
    rows = await db.fetchall("SELECT rule_id FROM mod_disabled_rules WHERE guild_id = ?", (guild_id,))
    return {r["rule_id"] for r in rows}


async def set_rule_enabled(db, guild_id: int, rule_id: str, enabled: bool, known: Iterable[str]) -> bool:
    """Switch a rule on or off for a server; False if it already was in that state."""
    rule_id = rule_id.strip().lower()
    if rule_id not in set(known):
        raise NotFound(f"There is no rule `{rule_id[:60]}`. `/mod rules list` shows them.")
    off = rule_id in await disabled_rules(db, guild_id)
    if enabled != off:
        return False
    if enabled:
        await db.execute(
            "DELETE FROM mod_disabled_rules WHERE guild_id = ? AND rule_id = ?", (guild_id, rule_id)
        )
    else:
        await db.execute(
            "INSERT INTO mod_disabled_rules(guild_id, rule_id) VALUES(?, ?)", (guild_id, rule_id)
        )
    return True


async def custom_rules(db, guild_id: int, vocab: Mapping[str, tuple[str, ...]]) -> list[Rule]:
    rows = await db.fetchall(
        "SELECT rule_id, category, severity, phrases, note FROM mod_custom_rules WHERE guild_id = ? "
        "ORDER BY created_at, rule_id",
        (guild_id,),
    )
    rules = []
    for r in rows:
        try:
            rules.append(
                custom_rule(
                    r["rule_id"], r["category"], json.loads(r["phrases"]), r["note"], r["severity"], vocab
                )
            )
        except (RuleError, ValueError):
            continue  # a vocabulary list it used was removed from the file; skip it
    return rules


async def add_custom_rule(
    db, guild_id: int, rule: Rule, base: RuleSet, *, author_id: int, now: datetime
) -> None:
    if base.get(rule.id) is not None:
        raise UserError(f"A rule called `{rule.id}` already exists; pick another id.")
    exists = await db.fetchval(
        "SELECT 1 FROM mod_custom_rules WHERE guild_id = ? AND rule_id = ?", (guild_id, rule.id)
    )
    if exists:
        raise UserError(f"A rule called `{rule.id}` already exists; pick another id.")
    await db.execute(
        "INSERT INTO mod_custom_rules(guild_id, rule_id, category, severity, phrases, note, created_by, created_at) "
        "VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
        (
            guild_id,
            rule.id,
            rule.category,
            rule.severity,
            json.dumps(list(rule.phrases)),
            rule.note,
            author_id,
            ts(now),
        ),
    )


# -- cases -------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    guild_id: int
    number: int
    source: str
    status: str
    channel_id: int
    message_id: int
    author_id: int
    reporter_id: int | None
    rule_id: str | None
    category: str | None
    content: str | None
    matched: str | None
    note: str | None
    log_channel_id: int | None
    log_message_id: int | None
    created_at: datetime
    updated_at: datetime
    purged_at: datetime | None
    layer: str | None = None  # which layer flagged it: rule, model, learned (None for reports)
    score: float | None = None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Case:
        data: dict[str, Any] = dict(row)
        for key in ("created_at", "updated_at", "purged_at"):
            if data[key] is not None:
                data[key] = parse_ts(data[key])
        return cls(**data)


@dataclass(frozen=True)
class CaseEvent:
    action: str
    status: str
    actor_id: int | None
    at: datetime


_CASE_COLUMNS = (
    "guild_id, number, source, status, channel_id, message_id, author_id, reporter_id, rule_id, category, "
    "content, matched, note, log_channel_id, log_message_id, created_at, updated_at, purged_at, layer, score"
)


async def get_case(db, guild_id: int, number: int) -> Case:
    row = await db.fetchone(
        f"SELECT {_CASE_COLUMNS} FROM mod_cases WHERE guild_id = ? AND number = ?", (guild_id, number)
    )
    if row is None:
        raise NotFound(f"There is no case #{number} in this server.")
    return Case.from_row(row)


async def open_case_for(db, guild_id: int, message_id: int) -> Case | None:
    row = await db.fetchone(
        f"SELECT {_CASE_COLUMNS} FROM mod_cases WHERE guild_id = ? AND message_id = ? AND status = 'open'",
        (guild_id, message_id),
    )
    return Case.from_row(row) if row else None


async def was_dismissed(db, guild_id: int, message_id: int, rule_id: str | None) -> bool:
    """Did a moderator already dismiss this message's flag by this rule (a false positive)?

    An edit that still matches the same rule (a typo fixed) then opens no new case.
    """
    return bool(
        await db.fetchval(
            "SELECT 1 FROM mod_cases WHERE guild_id = ? AND message_id = ? AND status = 'dismissed' "
            "AND rule_id IS ? LIMIT 1",
            (guild_id, message_id, rule_id),
        )
    )


async def list_cases(db, guild_id: int, status: str | None = "open", limit: int = 20) -> list[Case]:
    if status is not None and status not in STATUSES:
        raise UserError(f"Status must be one of: {', '.join(STATUSES)}.")
    where, params = "guild_id = ?", [guild_id]
    if status:
        where += " AND status = ?"
        params.append(status)
    rows = await db.fetchall(
        f"SELECT {_CASE_COLUMNS} FROM mod_cases WHERE {where} ORDER BY number DESC LIMIT ?", (*params, limit)
    )
    return [Case.from_row(r) for r in rows]


async def case_events(db, guild_id: int, number: int) -> list[CaseEvent]:
    rows = await db.fetchall(
        "SELECT action, status, actor_id, at FROM mod_case_events WHERE guild_id = ? AND number = ? ORDER BY id",
        (guild_id, number),
    )
    return [CaseEvent(r["action"], r["status"], r["actor_id"], parse_ts(r["at"])) for r in rows]


async def open_case(
    db,
    guild_id: int,
    *,
    now: datetime,
    source: str,
    channel_id: int,
    message_id: int,
    author_id: int,
    content: str,
    rule_id: str | None,
    category: str | None,
    matched: str | None = None,
    note: str | None = None,
    reporter_id: int | None = None,
    layer: str | None = None,
    score: float | None = None,
) -> tuple[Case, bool]:
    """Open a case for a message, or return its open case; True if a new one was made.

    A report on a message that already has an open case is added to its history.
    """
    stamp = ts(now)
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "SELECT number FROM mod_cases WHERE guild_id = ? AND message_id = ? AND status = 'open'",
            (guild_id, message_id),
        )
        row = await cursor.fetchone()
        await cursor.close()
        if row is not None:
            number, created = row[0], False
            if source == "report":
                await conn.execute(
                    "INSERT INTO mod_case_events(guild_id, number, action, status, actor_id, at) "
                    "VALUES(?, ?, 'reported', 'open', ?, ?)",
                    (guild_id, number, reporter_id, stamp),
                )
        else:
            cursor = await conn.execute(
                "SELECT COALESCE(MAX(number), 0) + 1 FROM mod_cases WHERE guild_id = ?", (guild_id,)
            )
            number = (await cursor.fetchone())[0]
            await cursor.close()
            await conn.execute(
                "INSERT INTO mod_cases(guild_id, number, source, status, channel_id, message_id, author_id, "
                "reporter_id, rule_id, category, content, matched, note, created_at, updated_at, layer, score) "
                "VALUES(?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    guild_id,
                    number,
                    source,
                    channel_id,
                    message_id,
                    author_id,
                    reporter_id,
                    rule_id,
                    category,
                    content,
                    matched,
                    note,
                    stamp,
                    stamp,
                    layer,
                    score,
                ),
            )
            await conn.execute(
                "INSERT INTO mod_case_events(guild_id, number, action, status, actor_id, at) "
                "VALUES(?, ?, ?, 'open', ?, ?)",
                (guild_id, number, "reported" if source == "report" else "flagged", reporter_id, stamp),
            )
            created = True
    return await get_case(db, guild_id, number), created


async def set_log_message(db, guild_id: int, number: int, channel_id: int, message_id: int) -> None:
    await db.execute(
        "UPDATE mod_cases SET log_channel_id = ?, log_message_id = ? WHERE guild_id = ? AND number = ?",
        (channel_id, message_id, guild_id, number),
    )


async def record_action(
    db, guild_id: int, number: int, action: str, *, actor_id: int | None, now: datetime
) -> Case:
    """Record a moderator action (dismiss, reply, remove, warn) and its new status.

    Other events (``edited``, ``auto-removed``, ``auto-replied``) keep the status.
    """
    case = await get_case(db, guild_id, number)
    status = CASE_ACTIONS.get(action, case.status)
    stamp = ts(now)
    async with db.transaction() as conn:
        if status != case.status and status != "open":
            # Leaving 'open' frees the message for a future case; entering it
            # again is not possible through actions.
            await conn.execute(
                "UPDATE mod_cases SET status = ?, updated_at = ? WHERE guild_id = ? AND number = ?",
                (status, stamp, guild_id, number),
            )
        else:
            await conn.execute(
                "UPDATE mod_cases SET updated_at = ? WHERE guild_id = ? AND number = ?",
                (stamp, guild_id, number),
            )
        await conn.execute(
            "INSERT INTO mod_case_events(guild_id, number, action, status, actor_id, at) VALUES(?, ?, ?, ?, ?, ?)",
            (guild_id, number, action, status, actor_id, stamp),
        )
    return await get_case(db, guild_id, number)


async def update_content(db, guild_id: int, number: int, content: str, *, now: datetime) -> Case:
    """A flagged message was edited: keep the newest text, note it in the history."""
    await db.execute(
        "UPDATE mod_cases SET content = ?, updated_at = ? WHERE guild_id = ? AND number = ? AND purged_at IS NULL",
        (content, ts(now), guild_id, number),
    )
    return await record_action(db, guild_id, number, "edited", actor_id=None, now=now)


# -- public reply rate limits -------------------------------------------------
async def reserve_public_reply(db, guild_id: int, channel_id: int, member_id: int, *, now: datetime) -> bool:
    """True (and recorded) if a public reply is allowed now: at most once per
    member per 10 minutes and once per channel per minute."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "SELECT scope, last_at FROM mod_reply_limits WHERE guild_id = ? AND "
            "((scope = 'member' AND target_id = ?) OR (scope = 'channel' AND target_id = ?))",
            (guild_id, member_id, channel_id),
        )
        rows = await cursor.fetchall()
        await cursor.close()
        for row in rows:
            interval = MEMBER_REPLY_INTERVAL if row[0] == "member" else CHANNEL_REPLY_INTERVAL
            if now - parse_ts(row[1]) < interval:
                return False
        for scope, target in (("member", member_id), ("channel", channel_id)):
            await conn.execute(
                "INSERT INTO mod_reply_limits(guild_id, scope, target_id, last_at) VALUES(?, ?, ?, ?) "
                "ON CONFLICT(guild_id, scope, target_id) DO UPDATE SET last_at = excluded.last_at",
                (guild_id, scope, target, ts(now)),
            )
    return True


# -- crisis alerts ----------------------------------------------------------------
async def record_crisis_alert(
    db, guild_id: int, *, message_id: int, channel_id: int, author_id: int, now: datetime
) -> bool:
    """Note a crisis alert for a message; False if that message was already handled."""
    exists = await db.fetchval(
        "SELECT 1 FROM mod_crisis_alerts WHERE guild_id = ? AND message_id = ?", (guild_id, message_id)
    )
    if exists:
        return False
    await db.execute(
        "INSERT INTO mod_crisis_alerts(guild_id, message_id, channel_id, author_id, at) VALUES(?, ?, ?, ?, ?)",
        (guild_id, message_id, channel_id, author_id, ts(now)),
    )
    return True


async def set_crisis_dm_sent(db, guild_id: int, message_id: int, sent: bool) -> None:
    await db.execute(
        "UPDATE mod_crisis_alerts SET dm_sent = ? WHERE guild_id = ? AND message_id = ?",
        (int(sent), guild_id, message_id),
    )


# -- retention and stats --------------------------------------------------------------
async def purge_expired(db, *, now: datetime, default_days: int = DEFAULT_RETENTION_DAYS) -> list[Case]:
    """Remove the message text of cases older than each server's retention period.

    Returns the purged cases (their log messages can then be cleaned too).
    """
    guild_days = {
        r["guild_id"]: r["retention_days"]
        for r in await db.fetchall(
            "SELECT guild_id, retention_days FROM mod_settings WHERE retention_days IS NOT NULL"
        )
    }
    rows = await db.fetchall(
        "SELECT DISTINCT guild_id FROM mod_cases WHERE content IS NOT NULL OR matched IS NOT NULL"
    )
    purged: list[Case] = []
    for row in rows:
        guild_id = row["guild_id"]
        cutoff = ts(now - timedelta(days=guild_days.get(guild_id, default_days)))
        numbers = [
            r["number"]
            for r in await db.fetchall(
                "SELECT number FROM mod_cases WHERE guild_id = ? AND created_at < ? "
                "AND (content IS NOT NULL OR matched IS NOT NULL)",
                (guild_id, cutoff),
            )
        ]
        if not numbers:
            continue
        async with db.transaction() as conn:
            await conn.executemany(
                "UPDATE mod_cases SET content = NULL, matched = NULL, purged_at = ? WHERE guild_id = ? AND number = ?",
                [(ts(now), guild_id, n) for n in numbers],
            )
        for n in numbers:
            purged.append(await get_case(db, guild_id, n))
    return purged


@dataclass(frozen=True)
class RuleStat:
    rule_id: str
    hits: int
    dismissed: int
    recent_actioned: int = 0  # decided in the last 30 days
    recent_dismissed: int = 0

    @property
    def dismissed_share(self) -> float:
        return self.dismissed / self.hits if self.hits else 0.0

    @property
    def recent_precision(self) -> float | None:
        """The share of the last 30 days' decided cases that moderators confirmed (None: none decided)."""
        decided = self.recent_actioned + self.recent_dismissed
        return self.recent_actioned / decided if decided else None


async def rule_stats(db, guild_id: int, *, now: datetime | None = None, days: int = 30) -> list[RuleStat]:
    """Cases per rule (the model counts as one, ``model``), how many were dismissed as false
    positives, and the precision moderators' decisions imply over the last ``days`` days."""
    since = ts((now or datetime.now(UTC)) - timedelta(days=days))
    rows = await db.fetchall(
        "SELECT COALESCE(rule_id, '(reported, no rule)') AS rule_id, COUNT(*) AS hits, "
        "SUM(status = 'dismissed') AS dismissed, "
        "SUM(status = 'actioned' AND updated_at >= ?) AS recent_actioned, "
        "SUM(status = 'dismissed' AND updated_at >= ?) AS recent_dismissed "
        "FROM mod_cases WHERE guild_id = ? "
        "GROUP BY COALESCE(rule_id, '(reported, no rule)') ORDER BY hits DESC, rule_id",
        (since, since, guild_id),
    )
    return [
        RuleStat(r["rule_id"], r["hits"], r["dismissed"] or 0, r["recent_actioned"] or 0, r["recent_dismissed"] or 0)
        for r in rows
    ]
