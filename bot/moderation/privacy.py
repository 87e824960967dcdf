"""What moderation holds about a member, registered in the privacy registry (bot/privacy.py).

- Cases about their messages quote the message until the retention period
  ends; deleting keeps only the case number, the rule and the outcome.
- Reports they made keep the case, without who reported it.
- Crisis alerts about their messages (no text, who and when) are kept as long
  as case text, then removed.
- When the bot last replied to them in public (to pace replies).
- As a moderator: their name on case actions and on rules they added.

It also purges crisis alerts on the cases' retention period.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.moderation.store import ts
from bot.privacy import Category, Held, register, rowcount

CASE_TEXT_KEPT = "for {days} days (or the server's own period), then only the case number, rule and outcome"


async def _count(db, sql: str, user_id: int) -> int:
    return int(await db.fetchval(sql, (user_id,)) or 0)


async def _cases_about(db, user_id: int, ctx) -> Held:
    total = await _count(db, "SELECT COUNT(*) FROM mod_cases WHERE author_id = ?", user_id)
    quoting = await _count(
        db,
        "SELECT COUNT(*) FROM mod_cases WHERE author_id = ? AND (content IS NOT NULL OR matched IS NOT NULL)",
        user_id,
    )
    return Held(total, f"{quoting} still quote your message" if total else "")


async def _forget_cases_about(tx, user_id: int, ctx) -> int:
    cursor = await tx.execute("SELECT guild_id, number FROM mod_cases WHERE author_id = ?", (user_id,))
    rows = await cursor.fetchall()
    await cursor.close()
    ctx.changed_cases.extend((r[0], r[1]) for r in rows)
    # The message id becomes -number: unique per server (one open case per message), tied to no one.
    return await rowcount(
        tx,
        "UPDATE mod_cases SET content = NULL, matched = NULL, author_id = 0, channel_id = 0,"
        " message_id = -number, purged_at = COALESCE(purged_at, ?) WHERE author_id = ?",
        (ts(ctx.now), user_id),
    )


async def _forget_reports_made(tx, user_id: int, ctx) -> int:
    cursor = await tx.execute("SELECT guild_id, number FROM mod_cases WHERE reporter_id = ?", (user_id,))
    ctx.changed_cases.extend((r[0], r[1]) for r in await cursor.fetchall())
    await cursor.close()
    return await rowcount(tx, "UPDATE mod_cases SET reporter_id = NULL WHERE reporter_id = ?", (user_id,))


async def _reports_made(db, user_id: int, ctx) -> Held:
    return Held(await _count(db, "SELECT COUNT(*) FROM mod_cases WHERE reporter_id = ?", user_id))


async def _crisis_alerts(db, user_id: int, ctx) -> Held:
    return Held(await _count(db, "SELECT COUNT(*) FROM mod_crisis_alerts WHERE author_id = ?", user_id))


async def _forget_crisis_alerts(tx, user_id: int, ctx) -> int:
    cursor = await tx.execute(
        "SELECT alert_channel_id, alert_message_id FROM mod_crisis_alerts"
        " WHERE author_id = ? AND alert_message_id IS NOT NULL",
        (user_id,),
    )
    ctx.posts_to_scrub.extend((r[0], r[1]) for r in await cursor.fetchall())
    await cursor.close()
    return await rowcount(tx, "DELETE FROM mod_crisis_alerts WHERE author_id = ?", (user_id,))


async def remember_alert_post(db, guild_id: int, message_id: int, channel_id: int, post_id: int) -> None:
    """Where the crisis alert about ``message_id`` was posted (its quote is removed with the alert)."""
    await db.execute(
        "UPDATE mod_crisis_alerts SET alert_channel_id = ?, alert_message_id = ?"
        " WHERE guild_id = ? AND message_id = ?",
        (channel_id, post_id, guild_id, message_id),
    )


async def _reply_pacing(db, user_id: int, ctx) -> Held:
    return Held(
        await _count(
            db, "SELECT COUNT(*) FROM mod_reply_limits WHERE scope = 'member' AND target_id = ?", user_id
        )
    )


async def _as_moderator(db, user_id: int, ctx) -> Held:
    actions = await _count(db, "SELECT COUNT(*) FROM mod_case_events WHERE actor_id = ?", user_id)
    rules = await _count(db, "SELECT COUNT(*) FROM mod_custom_rules WHERE created_by = ?", user_id)
    return Held(actions + rules, f"{actions} case actions, {rules} rules added" if actions + rules else "")


async def _forget_as_moderator(tx, user_id: int, ctx) -> int:
    done = await rowcount(tx, "UPDATE mod_case_events SET actor_id = NULL WHERE actor_id = ?", (user_id,))
    return done + await rowcount(
        tx, "UPDATE mod_custom_rules SET created_by = 0 WHERE created_by = ?", (user_id,)
    )


register(
    Category(
        key="cases_about_you",
        label="Moderation cases about your messages",
        count=_cases_about,
        delete=_forget_cases_about,
        kept="Moderation cases about your messages keep only their case number, the rule and the outcome; "
        "the quoted text, your id and the message link are deleted.",
        retention=CASE_TEXT_KEPT,
        columns=(("mod_cases", "author_id"),),
    ),
    Category(
        key="reports_made",
        label="Messages you reported",
        count=_reports_made,
        delete=_forget_reports_made,
        kept="Reports you made stay with the moderators as cases, without saying who reported them.",
        retention="as long as the case",
        columns=(("mod_cases", "reporter_id"),),
    ),
    Category(
        key="crisis_alerts",
        label="Crisis alerts sent to moderators about your messages (no text)",
        count=_crisis_alerts,
        delete=_forget_crisis_alerts,
        retention="for {days} days (or the server's own period)",
        columns=(("mod_crisis_alerts", "author_id"),),
    ),
    Category(
        key="reply_pacing",
        label="When I last replied to you in public (so I don't reply too often)",
        count=_reply_pacing,
        delete=lambda tx, uid, ctx: rowcount(
            tx, "DELETE FROM mod_reply_limits WHERE scope = 'member' AND target_id = ?", (uid,)
        ),
        retention="until replaced by the next reply",
        columns=(("mod_reply_limits", "target_id"),),
    ),
    Category(
        key="as_moderator",
        label="Your moderator actions and rules",
        count=_as_moderator,
        delete=_forget_as_moderator,
        kept="Moderator actions and rules you added stay, without your name.",
        retention="as long as the case or rule",
        columns=(("mod_case_events", "actor_id"), ("mod_custom_rules", "created_by")),
    ),
)


async def _learned(db, user_id: int, ctx) -> Held:
    return Held(await _count(db, "SELECT COUNT(*) FROM mod_examples WHERE author_id = ?", user_id))


async def _forget_learned(tx, user_id: int, ctx) -> int:
    # The servers whose model learned from these examples rebuild it without them: their state is
    # dropped, so the running bot drops that model at once (Moderation.drop_forgotten), a restart
    # does not load it, and it is retrained from the server's other examples.
    await tx.execute(
        "DELETE FROM mod_model_state WHERE guild_id IN (SELECT DISTINCT guild_id FROM mod_examples WHERE author_id = ?)",
        (user_id,),
    )
    done = await rowcount(tx, "DELETE FROM mod_examples WHERE author_id = ?", (user_id,))
    return done + await rowcount(tx, "UPDATE mod_examples SET added_by = NULL WHERE added_by = ?", (user_id,))


register(
    Category(
        key="learned_examples",
        label="Examples the moderation model learned from your messages (moderators' decisions on them)",
        count=_learned,
        delete=_forget_learned,
        retention="until the server's data is deleted",
        kept="A server's moderation model that learned from your messages stops being used at once and is "
        "rebuilt without them.",
        columns=(("mod_examples", "author_id"), ("mod_examples", "added_by")),
    ),
)


async def purge_crisis_alerts(db, *, now: datetime, default_days: int) -> list[tuple[int, int]]:
    """Remove crisis alerts older than each server's case retention period.

    Returns the posts in Discord that showed them, (channel_id, message_id), to be scrubbed.
    """
    guild_days = {
        r["guild_id"]: r["retention_days"]
        for r in await db.fetchall(
            "SELECT guild_id, retention_days FROM mod_settings WHERE retention_days IS NOT NULL"
        )
    }
    posts: list[tuple[int, int]] = []
    async with db.transaction() as tx:
        cursor = await tx.execute("SELECT DISTINCT guild_id FROM mod_crisis_alerts")
        guilds = [r[0] for r in await cursor.fetchall()]
        await cursor.close()
        for guild_id in guilds:
            cutoff = ts(now - timedelta(days=guild_days.get(guild_id, default_days)))
            cursor = await tx.execute(
                "DELETE FROM mod_crisis_alerts WHERE guild_id = ? AND at < ?"
                " RETURNING alert_channel_id, alert_message_id",
                (guild_id, cutoff),
            )
            posts.extend((r[0], r[1]) for r in await cursor.fetchall())
            await cursor.close()
    return posts
