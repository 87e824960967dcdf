"""Learning from moderators: their decisions become labelled examples for their server.

* Dismiss on a case (a false positive) teaches ``none``; Reply, Remove and Warn
  teach the case's category; so does a moderator's action on a member's
  report. ``/mod teach`` adds an example directly.
* A message very like one of a server's examples follows it at once (see
  :class:`bot.moderation.scanner.Learned`).
* After :data:`RETRAIN_AFTER` new examples, or nightly, the server's model is
  rebuilt from the shipped corpus plus its examples (weighted
  :data:`SERVER_WEIGHT`), in a worker process. The model's arrays are cached on
  disk by their hash; the examples themselves live in the database, so both
  survive restarts, and they are deleted with the server's or the member's data.

No discord imports.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.errors import UserError
from bot.moderation.model import CLAIM_LABELS, LABELS, Example, corpus_hash, load_corpus, train
from bot.moderation.store import ts

RETRAIN_AFTER = 10
SERVER_WEIGHT = 3.0
MAX_TEXT = 2000
DECISION_LABELS = {"dismiss": "none"}  # other actions confirm the case's category
TEACH_LABELS = LABELS


@dataclass(frozen=True)
class State:
    trained_at: datetime | None
    examples_in_model: int
    examples: int
    pending: int
    model_hash: str | None


async def record_decision(
    db,
    guild_id: int,
    *,
    case_number: int,
    action: str,
    text: str | None,
    category: str | None,
    author_id: int | None,
    moderator_id: int | None,
    now: datetime,
) -> str | None:
    """A moderator's decision on a case becomes (or replaces) that case's example.

    Returns the label learned, or None when there is nothing to learn (no text left, or an
    action on a case whose category nobody knows).
    """
    if not text:
        return None
    label = DECISION_LABELS.get(action) or (category if category in CLAIM_LABELS else None)
    if label is None:
        return None
    origin = action if action in ("dismiss", "reply", "remove", "warn") else "report"
    await db.execute(
        "INSERT INTO mod_examples(guild_id, label, text, origin, case_number, author_id, added_by, created_at) "
        "VALUES(?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(guild_id, case_number) WHERE case_number IS NOT NULL DO UPDATE SET "
        "label = excluded.label, origin = excluded.origin, added_by = excluded.added_by, "
        "created_at = excluded.created_at",
        (guild_id, label, text[:MAX_TEXT], origin, case_number, author_id, moderator_id, ts(now)),
    )
    return label


async def teach(db, guild_id: int, *, text: str, label: str, moderator_id: int, now: datetime) -> int:
    """``/mod teach``: a moderator's own example. Returns how many examples the server has."""
    text = " ".join(text.split())
    if not text:
        raise UserError("Give the text of an example message.")
    if len(text) > MAX_TEXT:
        raise UserError(f"Keep an example under {MAX_TEXT} characters.")
    if label not in TEACH_LABELS:
        raise UserError(f"The label must be one of: {', '.join(TEACH_LABELS)}.")
    await db.execute(
        "INSERT INTO mod_examples(guild_id, label, text, origin, added_by, created_at) "
        "VALUES(?, ?, ?, 'teach', ?, ?)",
        (guild_id, label, text, moderator_id, ts(now)),
    )
    return int(await db.fetchval("SELECT COUNT(*) FROM mod_examples WHERE guild_id = ?", (guild_id,)))


async def examples(db, guild_id: int) -> list[Example]:
    """The server's examples, oldest first, weighted for training; ``source`` says their origin."""
    rows = await db.fetchall(
        "SELECT label, text, origin FROM mod_examples WHERE guild_id = ? ORDER BY id", (guild_id,)
    )
    return [Example(r["label"], r["text"], "", r["origin"], SERVER_WEIGHT) for r in rows]


async def guilds_with_examples(db) -> list[int]:
    return [r["guild_id"] for r in await db.fetchall("SELECT DISTINCT guild_id FROM mod_examples")]


async def state(db, guild_id: int) -> State:
    from bot.moderation.store import parse_ts

    row = await db.fetchone(
        "SELECT trained_at, examples, model_hash FROM mod_model_state WHERE guild_id = ?", (guild_id,)
    )
    total = int(await db.fetchval("SELECT COUNT(*) FROM mod_examples WHERE guild_id = ?", (guild_id,)))
    if row is None:
        return State(None, 0, total, total, None)
    newer = int(
        await db.fetchval(
            "SELECT COUNT(*) FROM mod_examples WHERE guild_id = ? AND created_at > ?",
            (guild_id, row["trained_at"]),
        )
    )
    return State(parse_ts(row["trained_at"]), row["examples"], total, newer, row["model_hash"])


def due(st: State, *, nightly: bool = False) -> bool:
    """Retrain after enough new decisions, or at the nightly round when anything is new."""
    return st.pending >= RETRAIN_AFTER or (nightly and st.pending > 0)


async def mark_trained(db, guild_id: int, *, now: datetime, examples: int, model_hash: str) -> None:
    await db.execute(
        "INSERT INTO mod_model_state(guild_id, trained_at, examples, model_hash) VALUES(?, ?, ?, ?) "
        "ON CONFLICT(guild_id) DO UPDATE SET trained_at = excluded.trained_at, examples = excluded.examples, "
        "model_hash = excluded.model_hash",
        (guild_id, ts(now), examples, model_hash),
    )


async def forget_guild(db, guild_id: int) -> int:
    """Delete everything the server taught (its examples and model state)."""
    async with db.transaction() as conn:
        cursor = await conn.execute("DELETE FROM mod_examples WHERE guild_id = ?", (guild_id,))
        count = cursor.rowcount
        await cursor.close()
        await conn.execute("DELETE FROM mod_model_state WHERE guild_id = ?", (guild_id,))
    return count


async def forget_user(db, user_id: int) -> int:
    """Delete the examples made from a member's messages; returns how many."""
    async with db.transaction() as conn:
        cursor = await conn.execute("DELETE FROM mod_examples WHERE author_id = ?", (user_id,))
        count = cursor.rowcount
        await cursor.close()
    return count


async def count_for_user(db, user_id: int) -> int:
    return int(await db.fetchval("SELECT COUNT(*) FROM mod_examples WHERE author_id = ?", (user_id,)))


def model_hash(base_hash: str, extra: list[Example]) -> str:
    h = hashlib.sha256(base_hash.encode())
    h.update(corpus_hash(extra).encode())
    return h.hexdigest()[:16]


def train_server_model(corpus_dir: str, extra: list[tuple[str, str, str, str, float]], out_dir: str, thresholds: dict) -> str:
    """Worker-process entry: the shipped corpus plus a server's examples -> a model folder.

    The base model's thresholds are kept (they were chosen on out-of-fold predictions of the
    whole corpus), so only one fit is needed. Returns the folder written.
    """
    from bot.moderation.model import Thresholds

    base = load_corpus(Path(corpus_dir))
    server = [Example(*row) for row in extra]
    model = train(base + server, folds=0, thresholds=Thresholds(**thresholds))
    model.save(Path(out_dir))
    return out_dir
