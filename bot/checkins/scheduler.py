"""The daily-prompt scheduler: what is due, who sends it, and what happened.

Every decision lives here; the reminder cog only sends. A prompt goes through
an outbox row, one per member per local day (``checkin_outbox``)::

    due ──claim──▶ claimed ──Discord accepted──▶ sent
                      │
                      ├─ 5xx, timeout, connection error, 429 ─▶ failed_retryable ─▶ (claimed again)
                      └─ closed DMs, other 4xx, late window over ─▶ failed_final

- :func:`enqueue_due` turns due reminders into ``due`` rows and moves each
  reminder to its next occurrence. Both writes are conditional on the
  reminder's ``version``, so a ``/reminder set`` made meanwhile is kept; the
  outbox key makes a second prompt for the same local day impossible.
- :func:`claim` hands out a batch in one conditional ``UPDATE … RETURNING``:
  two processes sharing the database can never claim the same row. Rows whose
  day was checked in, or whose reminder was stopped, are skipped first; rows
  past their late window become ``failed_final``.
- A prompt is recorded as ``sent`` (:func:`mark_sent`) only after Discord
  accepted it. Failures are recorded by :func:`mark_failed` with backoff
  inside the late window (or Discord's ``retry_after``).
- A claim nobody confirmed within ``CLAIM_LEASE`` (the process died, or an
  attempt timed out) is handed out again with ``verify`` set: the sender
  first looks in the member's DM channel for that day's prompt, so a prompt
  that did reach Discord is never sent twice.

Times are passed in; nothing here reads the clock or imports discord.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.checkins import reminders, times
from bot.checkins.entries import has_checkin

DUE, CLAIMED, SENT = "due", "claimed", "sent"
RETRY, FINAL, SKIPPED = "failed_retryable", "failed_final", "skipped"
PENDING = (DUE, RETRY)
CLAIM_LEASE = timedelta(minutes=5)
FIRST_BACKOFF = 30.0  # seconds; doubles per attempt
MAX_BACKOFF = 20 * 60.0


def new_token() -> str:
    """A claim token for one scheduler (one per process)."""
    return secrets.token_hex(8)


@dataclass(frozen=True)
class Job:
    """One claimed prompt: send it, then record what happened."""

    user_id: int
    local_date: date
    late: bool
    attempts: int  # including this one
    verify: bool  # an earlier attempt may have reached Discord: look before sending
    deadline: datetime
    token: str


def backoff(attempts: int) -> float:
    """Seconds to wait after the ``attempts``-th failed attempt."""
    return min(MAX_BACKOFF, FIRST_BACKOFF * 2 ** max(0, attempts - 1))


async def enqueue_due(db, now: datetime, *, batch: int = 500) -> int:
    """Queue every prompt due at ``now`` and move those reminders on; returns rows queued."""
    queued = 0
    seen: set[int] = set()
    while True:
        due = [r for r in await reminders.due_reminders(db, now, batch) if r.user_id not in seen]
        if not due:
            return queued
        seen.update(r.user_id for r in due)
        rows = []
        for reminder in due:
            plan = await reminders.plan_prompt(db, reminder, now)
            rows.append((reminder, plan))
        async with db.transaction() as tx:
            for reminder, plan in rows:
                if plan.send:
                    _, moment = times.latest_occurrence(reminder.local_time, reminder.zone, now)
                    # Queued only if the reminder is still the one that was planned.
                    cursor = await tx.execute(
                        "INSERT OR IGNORE INTO checkin_outbox(user_id, local_date, state, late,"
                        " deadline_utc, next_attempt_utc, updated_at)"
                        " SELECT user_id, ?, 'due', ?, ?, ?, ? FROM checkin_reminders"
                        " WHERE user_id = ? AND version = ? AND paused = 0",
                        (
                            plan.local_date.isoformat(),
                            plan.reason == "late",
                            times.epoch(moment + reminders.GRACE),
                            times.epoch(now),
                            times.epoch(now),
                            reminder.user_id,
                            reminder.version,
                        ),
                    )
                    queued += cursor.rowcount
                    await cursor.close()
                await tx.execute(
                    "UPDATE checkin_reminders SET next_due_utc = ?, version = version + 1"
                    " WHERE user_id = ? AND version = ?",
                    (times.epoch(plan.next_due_utc), reminder.user_id, reminder.version),
                )
        if len(due) < batch:
            return queued


async def recover_stale_claims(db, now: datetime) -> int:
    """Hand out again every claim left unconfirmed past the lease, to be verified before sending."""
    return await _rowcount(
        db,
        "UPDATE checkin_outbox SET state = 'failed_retryable', verify = 1, next_attempt_utc = ?,"
        " claim_token = NULL, last_error = 'unconfirmed claim', updated_at = ?"
        " WHERE state = 'claimed' AND claimed_at <= ?",
        (times.epoch(now), times.epoch(now), times.epoch(now - CLAIM_LEASE)),
    )


async def claim(db, token: str, now: datetime, limit: int = 500) -> list[Job]:
    """Claim up to ``limit`` prompts ready at ``now`` for the scheduler holding ``token``."""
    stamp = times.epoch(now)
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE checkin_outbox SET state = 'skipped', last_error = 'checked in', updated_at = ?"
            " WHERE state IN ('due', 'failed_retryable') AND EXISTS (SELECT 1 FROM checkins c"
            " WHERE c.user_id = checkin_outbox.user_id AND c.local_date = checkin_outbox.local_date)",
            (stamp,),
        )
        await tx.execute(
            "UPDATE checkin_outbox SET state = 'skipped', last_error = 'reminder stopped', updated_at = ?"
            " WHERE state IN ('due', 'failed_retryable') AND NOT EXISTS (SELECT 1 FROM checkin_reminders r"
            " WHERE r.user_id = checkin_outbox.user_id AND r.paused = 0)",
            (stamp,),
        )
        await tx.execute(
            "UPDATE checkin_outbox SET state = 'failed_final',"
            " last_error = COALESCE(last_error || '; ', '') || 'late window over', updated_at = ?"
            " WHERE state IN ('due', 'failed_retryable') AND deadline_utc < ?",
            (stamp, stamp),
        )
        cursor = await tx.execute(
            "UPDATE checkin_outbox SET state = 'claimed', claim_token = ?, claimed_at = ?,"
            " attempts = attempts + 1, updated_at = ?"
            " WHERE state IN ('due', 'failed_retryable') AND (user_id, local_date) IN ("
            "  SELECT user_id, local_date FROM checkin_outbox INDEXED BY checkin_outbox_pending"
            "  WHERE state IN ('due', 'failed_retryable') AND next_attempt_utc <= ?"
            "  ORDER BY next_attempt_utc LIMIT ?)"
            " RETURNING user_id, local_date, late, attempts, verify, deadline_utc",
            (token, stamp, stamp, stamp, limit),
        )
        rows = await cursor.fetchall()
        await cursor.close()
    jobs = [
        Job(
            user_id=r["user_id"],
            local_date=date.fromisoformat(r["local_date"]),
            late=bool(r["late"]),
            attempts=r["attempts"],
            verify=bool(r["verify"]),
            deadline=times.from_epoch(r["deadline_utc"]),
            token=token,
        )
        for r in rows
    ]
    return sorted(jobs, key=lambda j: (j.deadline, j.user_id))


async def mark_sent(db, job: Job, channel_id: int, message_id: int, now: datetime) -> None:
    """Discord accepted the prompt (or it was found in the DM channel): record it as sent."""
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE checkin_outbox SET state = 'sent', channel_id = ?, message_id = ?, verify = 0,"
            " claim_token = NULL, updated_at = ? WHERE user_id = ? AND local_date = ?",
            (channel_id, message_id, times.epoch(now), job.user_id, job.local_date.isoformat()),
        )
        # Not a schedule change, so no version bump: a concurrent /reminder set stays as it is.
        await tx.execute(
            "UPDATE checkin_reminders SET last_sent_date = ? WHERE user_id = ?"
            " AND (last_sent_date IS NULL OR last_sent_date < ?)",
            (job.local_date.isoformat(), job.user_id, job.local_date.isoformat()),
        )
        await tx.execute(
            "INSERT OR REPLACE INTO checkin_prompts(user_id, local_date, channel_id, message_id, sent_at)"
            " VALUES(?, ?, ?, ?, ?)",
            (job.user_id, job.local_date.isoformat(), channel_id, message_id, now.isoformat()),
        )


async def mark_failed(
    db,
    job: Job,
    now: datetime,
    error: str,
    *,
    retryable: bool,
    retry_after: float | None = None,
    verify: bool = False,
) -> str:
    """Record a failed attempt; returns the new state.

    A retryable failure is tried again after :func:`backoff` (or ``retry_after``
    if Discord named one, whichever is longer) when that is still inside the
    late window; otherwise the prompt is given up (``failed_final``).
    ``verify`` says the attempt may have reached Discord.
    """
    state = FINAL
    next_attempt = now
    if retryable:
        next_attempt = now + timedelta(seconds=max(backoff(job.attempts), retry_after or 0.0))
        if next_attempt <= job.deadline:
            state = RETRY
    await db.execute(
        "UPDATE checkin_outbox SET state = ?, next_attempt_utc = ?, verify = MAX(verify, ?),"
        " claim_token = NULL, last_error = ?, updated_at = ?"
        " WHERE user_id = ? AND local_date = ? AND state = 'claimed' AND claim_token = ?",
        (
            state,
            times.epoch(next_attempt),
            verify,
            error[:300],
            times.epoch(now),
            job.user_id,
            job.local_date.isoformat(),
            job.token,
        ),
    )
    return state


async def mark_dm_closed(db, job: Job, now: datetime) -> None:
    """The member's DMs are closed: give this prompt up and pause the reminder (they are told later)."""
    await mark_failed(db, job, now, "DMs closed", retryable=False)
    await reminders.pause_reminder(db, job.user_id, reminders.DM_CLOSED, now)


async def still_wanted(db, job: Job) -> bool:
    """Right before sending: the day has no check-in yet and the reminder is still on."""
    if await has_checkin(db, job.user_id, job.local_date):
        return False
    return bool(
        await db.fetchval("SELECT 1 FROM checkin_reminders WHERE user_id = ? AND paused = 0", (job.user_id,))
    )


async def release(db, job: Job, now: datetime, reason: str) -> None:
    """Drop a claimed prompt that is no longer wanted (checked in, or the reminder stopped)."""
    await db.execute(
        "UPDATE checkin_outbox SET state = 'skipped', claim_token = NULL, last_error = ?, updated_at = ?"
        " WHERE user_id = ? AND local_date = ? AND state = 'claimed' AND claim_token = ?",
        (reason, times.epoch(now), job.user_id, job.local_date.isoformat(), job.token),
    )


async def next_wakeup(db) -> datetime | None:
    """The earliest moment anything needs doing: a reminder or community prompt falling due,
    a retry, or a claim whose lease runs out."""
    value = await db.fetchval(
        "SELECT MIN(t) FROM ("
        " SELECT MIN(next_due_utc) AS t FROM checkin_reminders WHERE paused = 0"
        " UNION ALL SELECT MIN(next_due_utc) FROM checkin_community_prompts"
        " UNION ALL SELECT MIN(next_attempt_utc) FROM checkin_outbox"
        "  WHERE state IN ('due', 'failed_retryable')"
        " UNION ALL SELECT MIN(claimed_at) + ? FROM checkin_outbox WHERE state = 'claimed')",
        (int(CLAIM_LEASE.total_seconds()),),
    )
    return times.from_epoch(value) if value is not None else None


async def prune(db, now: datetime) -> None:
    """Forget outbox rows and unanswered prompts once their day can no longer be answered."""
    cutoff = (now - timedelta(days=times.BACKDATE_DAYS + 2)).date().isoformat()
    async with db.transaction() as tx:
        await tx.execute("DELETE FROM checkin_outbox WHERE local_date < ? AND state != 'claimed'", (cutoff,))
        await tx.execute("DELETE FROM checkin_prompts WHERE local_date < ?", (cutoff,))


# -- community prompts: sent at most once a day, retried inside the late window -----------
def plan_community(prompt: reminders.CommunityPrompt, now: datetime) -> reminders.PromptPlan:
    return reminders.plan_occurrence(prompt.local_time, prompt.zone, now, prompt.last_sent_date)


async def community_sent(db, guild_id: int, day: date) -> None:
    """The day's community prompt was posted (not a schedule change: no version bump)."""
    await db.execute(
        "UPDATE checkin_community_prompts SET last_sent_date = ? WHERE guild_id = ?"
        " AND (last_sent_date IS NULL OR last_sent_date < ?)",
        (day.isoformat(), guild_id, day.isoformat()),
    )


async def community_retry(
    db, prompt: reminders.CommunityPrompt, plan: reminders.PromptPlan, now: datetime, attempts: int
) -> bool:
    """After a retryable failure, try the day's post again after :func:`backoff`, if still inside the
    late window and nobody changed the prompt since this round moved it on (``version + 1``)."""
    _, moment = times.latest_occurrence(prompt.local_time, prompt.zone, now)
    retry_at = now + timedelta(seconds=backoff(attempts))
    if retry_at > moment + reminders.GRACE:
        return False
    async with db.transaction() as tx:
        cursor = await tx.execute(
            "UPDATE checkin_community_prompts SET next_due_utc = ?, version = version + 1"
            " WHERE guild_id = ? AND version = ?",
            (times.epoch(retry_at), prompt.guild_id, prompt.version + 1),
        )
        changed = cursor.rowcount == 1
        await cursor.close()
    return changed


async def outbox_states(db, user_id: int) -> dict[str, str]:
    """``{local_date: state}`` for one member (for /mydata and tests)."""
    rows = await db.fetchall(
        "SELECT local_date, state FROM checkin_outbox WHERE user_id = ? ORDER BY local_date", (user_id,)
    )
    return {r["local_date"]: r["state"] for r in rows}


async def _rowcount(db, sql: str, params) -> int:
    async with db.transaction() as tx:
        cursor = await tx.execute(sql, params)
        count = cursor.rowcount
        await cursor.close()
    return count
