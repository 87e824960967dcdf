"""Case records, settings, exemptions, rate limits, retention and stats, straight against SQLite."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.errors import NotFound, PermissionDenied, UserError
from bot.moderation import store
from bot.moderation.service import Moderation, knowledge_note, require_moderator

from .conftest import RULES

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
G, G2 = 100, 200


async def _case(db, message_id, *, guild=G, now=T0, source="scan", reporter=None):
    return await store.open_case(
        db,
        guild,
        now=now,
        source=source,
        channel_id=10,
        message_id=message_id,
        author_id=7,
        content=f"text of {message_id}",
        rule_id="miracle-cure" if source == "scan" else None,
        category="miracle_cure" if source == "scan" else None,
        reporter_id=reporter,
    )


async def test_cases_are_numbered_per_server_and_one_open_case_per_message(db):
    first, created = await _case(db, 1)
    assert created and first.number == 1 and first.status == "open"
    second, _ = await _case(db, 2)
    other, _ = await _case(db, 1, guild=G2)
    assert second.number == 2 and other.number == 1
    again, created = await _case(db, 1)
    assert not created and again.number == 1
    # A report on the same message joins the open case and is recorded.
    joined, created = await _case(db, 1, source="report", reporter=55)
    assert not created and joined.number == 1
    events = await store.case_events(db, G, 1)
    assert [e.action for e in events] == ["flagged", "reported"] and events[1].actor_id == 55
    # Once handled, the same message may get a new case later.
    await store.record_action(db, G, 1, "dismiss", actor_id=9, now=T0)
    third, created = await _case(db, 1)
    assert created and third.number == 3


async def test_actions_record_who_and_when_with_status_history(db):
    await _case(db, 1)
    later = T0 + timedelta(minutes=5)
    case = await store.record_action(db, G, 1, "reply", actor_id=9, now=later)
    assert case.status == "actioned" and case.updated_at == later
    case = await store.record_action(db, G, 1, "warn", actor_id=10, now=later + timedelta(minutes=1))
    events = await store.case_events(db, G, 1)
    assert [(e.action, e.status, e.actor_id) for e in events] == [
        ("flagged", "open", None),
        ("reply", "actioned", 9),
        ("warn", "actioned", 10),
    ]
    assert events[1].at == later
    assert [c.number for c in await store.list_cases(db, G, "actioned")] == [1]
    assert await store.list_cases(db, G, "open") == []
    with pytest.raises(NotFound):
        await store.get_case(db, G, 99)
    with pytest.raises(UserError):
        await store.list_cases(db, G, "weird")


async def test_edit_updates_the_open_case(db):
    await _case(db, 1)
    case = await store.update_content(db, G, 1, "edited text", now=T0 + timedelta(seconds=30))
    assert case.content == "edited text" and case.status == "open"
    assert [e.action for e in await store.case_events(db, G, 1)] == ["flagged", "edited"]


async def test_public_reply_rate_limits(db):
    ok = store.reserve_public_reply
    assert await ok(db, G, 10, 7, now=T0)
    assert not await ok(db, G, 10, 7, now=T0 + timedelta(minutes=2))  # same member within 10 min
    assert not await ok(db, G, 10, 8, now=T0 + timedelta(seconds=30))  # same channel within a minute
    assert await ok(db, G, 10, 8, now=T0 + timedelta(seconds=61))  # another member, a minute later
    assert await ok(db, G, 11, 9, now=T0 + timedelta(seconds=62))  # another channel
    assert not await ok(db, G, 12, 7, now=T0 + timedelta(minutes=9, seconds=59))
    assert await ok(db, G, 12, 7, now=T0 + timedelta(minutes=10))
    assert await ok(db, G2, 10, 7, now=T0 + timedelta(minutes=10))  # servers are separate


async def test_retention_purges_text_only_after_the_period(db):
    await _case(db, 1, now=T0)
    await _case(db, 1, guild=G2, now=T0)
    await store.configure(db, G2, retention_days=7)
    assert await store.purge_expired(db, now=T0 + timedelta(days=6), default_days=90) == []
    purged = await store.purge_expired(db, now=T0 + timedelta(days=8), default_days=90)
    assert [(c.guild_id, c.content, c.purged_at is not None) for c in purged] == [(G2, None, True)]
    assert (await store.get_case(db, G, 1)).content == "text of 1"
    purged = await store.purge_expired(db, now=T0 + timedelta(days=91), default_days=90)
    assert [c.guild_id for c in purged] == [G]
    kept = await store.get_case(db, G, 1)
    assert kept.content is None and kept.rule_id == "miracle-cure"  # the record stays, the text goes
    assert await store.purge_expired(db, now=T0 + timedelta(days=200)) == []


def test_retention_default_from_environment():
    assert store.retention_from_env({}) == 90
    assert store.retention_from_env({"BOT_CASE_RETENTION_DAYS": "30"}) == 30
    assert store.retention_from_env({"BOT_CASE_RETENTION_DAYS": "soon"}) == 90


async def test_settings_and_exemptions(db):
    assert (await store.get_settings(db, G)).action == "alert"
    settings = await store.configure(db, G, log_channel_id=5, action="reply")
    assert (settings.log_channel_id, settings.action) == (5, "reply")
    settings = await store.configure(db, G, retention_days=30)
    assert (settings.log_channel_id, settings.action, settings.retention_days) == (5, "reply", 30)
    with pytest.raises(UserError):
        await store.configure(db, G, action="ban")
    assert await store.add_exemption(db, G, "role", 3)
    assert not await store.add_exemption(db, G, "role", 3)
    await store.add_exemption(db, G, "channel", 4)
    ex = await store.get_exemptions(db, G)
    assert ex.covers([4], []) and ex.covers([1], [3]) and not ex.covers([1], [2])
    await store.remove_exemption(db, G, "role", 3)
    with pytest.raises(NotFound):
        await store.remove_exemption(db, G, "role", 3)


async def test_stats_per_rule_with_dismissed_share(db):
    for mid in range(1, 5):
        await _case(db, mid)
    await _case(db, 9, source="report", reporter=1)
    await store.record_action(db, G, 1, "dismiss", actor_id=9, now=T0)
    stats = {s.rule_id: s for s in await store.rule_stats(db, G)}
    assert stats["miracle-cure"].hits == 4 and stats["miracle-cure"].dismissed == 1
    assert stats["miracle-cure"].dismissed_share == 0.25
    assert stats["(reported, no rule)"].hits == 1


async def test_per_server_rules_disable_enable_and_add(db):
    service = Moderation.from_file(RULES)
    text = "Magnesium oil is a miracle cure"
    assert (await service.scan(db, G, text)).rule == "miracle-cure"
    assert await service.set_enabled(db, G, "miracle-cure", False)
    assert not (await service.scan(db, G, text)).flagged
    assert (await service.scan(db, G2, text)).flagged  # other servers keep it
    assert not await service.set_enabled(db, G, "miracle-cure", False)
    with pytest.raises(NotFound):
        await service.set_enabled(db, G, "no-such-rule", False)
    await service.set_enabled(db, G, "miracle-cure", True)
    assert (await service.scan(db, G, text)).flagged

    rule = await service.add_rule(
        db,
        G,
        rule_id="Copper-Cure",
        category="miracle_cure",
        phrases="copper bracelet* cure*; magnet* ... fix rls",
        note="Copper bracelets have no evidence for RLS.",
        author_id=9,
        now=T0,
    )
    assert rule.id == "copper-cure" and rule.custom
    assert (await service.scan(db, G, "copper bracelets cure it")).rule == "copper-cure"
    assert not (await service.scan(db, G, "do copper bracelets cure it?")).flagged
    assert not (await service.scan(db, G2, "copper bracelets cure it")).flagged
    # It survives a restart (a fresh service on the same database).
    fresh = Moderation.from_file(RULES)
    assert (await fresh.scan(db, G, "magnets really fix rls")).rule == "copper-cure"
    with pytest.raises(UserError, match="already exists"):
        await service.add_rule(
            db,
            G,
            rule_id="copper-cure",
            category="miracle_cure",
            phrases="x y",
            note="n",
            author_id=9,
            now=T0,
        )
    with pytest.raises(UserError):
        await service.add_rule(
            db,
            G,
            rule_id="bad-rule",
            category="miracle_cure",
            phrases="[only]",
            note="n",
            author_id=9,
            now=T0,
        )


def test_moderator_check():
    require_moderator(True)
    with pytest.raises(PermissionDenied, match="Manage Messages"):
        require_moderator(False)


def test_knowledge_note_points_to_the_treatment_command():
    class Card:
        evidence_level = "limited"
        evidence_summary = "a few small studies"
        key_risks = ["drowsiness", "withdrawal if stopped suddenly"]

    class Treatment:
        name = "Baclofen"
        slug = "baclofen"
        card = Card()

    note = knowledge_note([Treatment()])
    assert "Baclofen" in note and "limited" in note and "withdrawal" in note
    assert "`/treatment Baclofen`" in note
    assert knowledge_note([]) is None


@pytest.fixture
def rule_reads(monkeypatch):
    """The servers whose rules a scanner build read, in order; ``slow`` makes each read take 10 ms."""
    import asyncio

    from bot.moderation import service as service_module

    class Reads(list):
        slow = False

    reads = Reads()
    real = service_module.store.disabled_rules

    async def counted(conn, guild_id):
        reads.append(guild_id)
        if reads.slow:
            await asyncio.sleep(0.01)  # the database is slow: every message arrives meanwhile
        return await real(conn, guild_id)

    monkeypatch.setattr(service_module.store, "disabled_rules", counted)
    return reads


async def test_a_burst_of_messages_builds_a_servers_scanner_once(db, ruleset, rule_reads):
    import asyncio

    from bot.moderation.service import Moderation

    moderation = Moderation(ruleset)
    reads = rule_reads
    reads.slow = True
    results = await asyncio.gather(*(moderation.scan(db, 7, "5G causes RLS") for _ in range(200)))
    assert reads == [7]  # one build for 200 messages
    assert all(r.flagged for r in results)
    # a change while a build is under way: that build's scanner is not kept
    moderation.invalidate(7)
    building = asyncio.ensure_future(moderation.scanner(db, 7))
    await asyncio.sleep(0)
    moderation.invalidate(7)
    await building
    assert 7 not in moderation._scanners
    await moderation.scanner(db, 7)
    assert 7 in moderation._scanners and reads == [7, 7, 7]


async def test_warming_builds_each_servers_scanner_before_its_first_message(db, ruleset, rule_reads):
    from bot.moderation.service import Moderation

    moderation = Moderation(ruleset)
    reads = rule_reads
    assert await moderation.warm(db, [7, 8]) == 2
    assert sorted(reads) == [7, 8]
    assert (await moderation.scan(db, 7, "5G causes RLS")).flagged
    assert await moderation.warm(db, [7, 8, 9]) == 1  # only the new server
    assert sorted(reads) == [7, 8, 9]  # the scan and the second warming read nothing again
    moderation.invalidate(8)  # a moderator's change: warming builds that server's again
    assert await moderation.warm(db, [7, 8]) == 1


async def test_a_server_whose_scanner_cannot_be_built_does_not_stop_the_others_warming(
    db, ruleset, monkeypatch, caplog
):
    from bot.moderation import service as service_module
    from bot.moderation.service import Moderation

    real = service_module.store.disabled_rules

    async def broken_for_8(conn, guild_id):
        if guild_id == 8:
            raise OSError("disk I/O error")
        return await real(conn, guild_id)

    monkeypatch.setattr(service_module.store, "disabled_rules", broken_for_8)
    moderation = Moderation(ruleset)
    assert await moderation.warm(db, [7, 8, 9]) == 2
    assert 7 in moderation._scanners and 9 in moderation._scanners and 8 not in moderation._scanners
    assert "could not be built ahead of its messages" in caplog.text
    monkeypatch.setattr(service_module.store, "disabled_rules", real)
    assert (await moderation.scan(db, 8, "5G causes RLS")).flagged  # its next message builds it
