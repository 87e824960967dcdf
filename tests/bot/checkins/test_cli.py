import argparse
import asyncio
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.checkins import cli, entries, reminders
from bot.db import Database
from bot.settings import Settings


def parse(*argv):
    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)


def seed(path):
    async def main():
        db = await Database(path).open()
        await db.migrate()
        now = datetime(2026, 1, 1, tzinfo=UTC)
        await reminders.set_reminder(db, 42, time(21, 30), ZoneInfo("Europe/Berlin"), now)
        await entries.save_checkin(db, entries.build_checkin(42, date(2026, 1, 1), severity=3), now)
        await db.close()

    asyncio.run(main())


def test_diary_due_and_forget(tmp_path, capsys):
    settings = Settings(database=tmp_path / "bot.db")
    seed(settings.database)
    args = parse("diary-due", "--at", "2026-01-01T20:30Z")
    assert args.func(args, settings) == 0
    out = capsys.readouterr().out
    assert "due at 2026-01-01T20:30:00+00:00: 1" in out and "next: 2026-01-01T20:30:00+00:00" in out
    from bot.cli import build_parser

    for name in ("forget-user", "diary-forget"):  # the old name still works
        args = build_parser().parse_args([name, "42"])
        assert args.func(args, settings) == 0
        out = capsys.readouterr().out
        if name == "forget-user":
            assert "Diary check-ins: 1 rows" in out and "Daily reminder: 1 rows" in out
            assert "kept: Moderation cases about your messages keep only" in out
    args = parse("diary-due", "--at", "2026-01-01T20:30Z")
    args.func(args, settings)
    assert "next: none scheduled" in capsys.readouterr().out


def test_diary_due_rejects_a_bad_moment(tmp_path, capsys):
    args = parse("diary-due", "--at", "tomorrow")
    assert args.func(args, Settings(database=tmp_path / "bot.db")) == 2
    assert "not an ISO 8601 moment" in capsys.readouterr().err
