"""The crash-recovery round at a small scale: 200 members, three crashes, none lost and none twice.

The same simulation as ``python -m benchmarks --only crash`` (the real bot, reminder cog,
scheduler and outbox; Discord's side simulated). The controls at the end break the bot on
purpose and check that the round notices: without them, a round reporting 0 and 0 could
simply be blind.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import bench_crash
from bot.checkins import scheduler

MEMBERS = 200


@pytest.mark.parametrize("seed", [0, 1, 2])
async def test_three_crashes_lose_no_prompt_and_send_none_twice(tmp_path: Path, seed: int):
    outcome = await bench_crash.simulate(MEMBERS, tmp_path, crashes=3, seed_value=seed)
    crashes = outcome.crashes
    assert (outcome.lost, outcome.doubled, outcome.disagree) == (0, 0, 0), [c.describe() for c in crashes]
    assert outcome.accepted == MEMBERS  # each member exactly once, as Discord counts it
    assert outcome.states == {scheduler.SENT: MEMBERS}
    assert [c.at is not None for c in crashes] == [True, True, True], [c.describe() for c in crashes]
    assert sorted(c.kind for c in crashes) == sorted(bench_crash.KINDS)
    assert outcome.restarts == 3
    # The crashes caught prompts mid-flight, some already on Discord but not recorded as sent.
    assert sum(c.claimed for c in crashes) > 0
    assert sum(c.delivered for c in crashes) >= 1
    assert outcome.found >= sum(c.delivered for c in crashes)  # found by the look, not resent


async def test_the_round_reports_its_figures_against_their_targets(tmp_path: Path):
    outcome = await bench_crash.simulate(60, tmp_path, crashes=3, seed_value=5)
    figures = bench_crash.figures(outcome)
    assert [f.suite for f in figures] == [bench_crash.SUITE] * 5
    lost, doubled, disagree, found, whole = figures
    assert (lost.value, lost.ok, doubled.value, doubled.ok, disagree.ok) == (0, True, 0, True, True)
    assert "3 of 3 crashes" in lost.note
    assert whole.value > 0 and whole.ok is None


async def test_control_without_the_look_in_the_dm_channel_prompts_are_sent_twice(tmp_path: Path):
    def skip_the_look(cog) -> None:
        async def never_found(channel_id, job):
            return None

        cog._find_sent = never_found

    outcome = await bench_crash.simulate(MEMBERS, tmp_path, crashes=3, seed_value=0, tamper=skip_the_look)
    assert outcome.doubled >= 1
    assert bench_crash.figures(outcome)[1].ok is False


async def test_control_recording_a_prompt_as_sent_before_sending_it_loses_prompts(tmp_path: Path):
    def record_first(cog) -> None:
        post = cog._post

        async def recorded_then_posted(channel_id, job):
            await scheduler.mark_sent(cog.bot.db, job, channel_id, 0, bench_crash.bot_clock.utcnow())
            return await post(channel_id, job)

        cog._post = recorded_then_posted

    outcome = await bench_crash.simulate(MEMBERS, tmp_path, crashes=3, seed_value=0, tamper=record_first)
    assert outcome.lost >= 1
    assert bench_crash.figures(outcome)[0].ok is False
