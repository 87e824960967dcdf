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


def test_forget_user_removes_server_models_trained_on_their_messages(tmp_path, capsys):
    from bot.cli import build_parser
    from bot.moderation import learning
    from bot.moderation.service import models_dir

    settings = Settings(database=tmp_path / "bot.db")
    now = datetime(2026, 1, 1, tzinfo=UTC)

    async def main():
        db = await Database(settings.database).open()
        await db.migrate()
        for author, text in ((42, "the blue tea sorts it"), (7, "x y z")):
            await learning.record_decision(
                db, 1, case_number=author, action="remove", text=text, category="miracle_cure", author_id=author,
                moderator_id=9, now=now,
            )  # fmt: skip
        await learning.mark_trained(db, 1, now=now, examples=2, model_hash="abc")
        await learning.mark_trained(db, 2, now=now, examples=1, model_hash="def")
        await db.close()

    asyncio.run(main())
    models = models_dir(settings.database)
    for name in ("guild-1-abc", "guild-2-def"):
        (models / name).mkdir(parents=True)
        (models / name / "model.json").write_text("{}", encoding="utf-8")
    args = build_parser().parse_args(["forget-user", "42"])
    assert args.func(args, settings) == 0
    out = capsys.readouterr().out
    assert "Examples the moderation model learned from your messages" in out and "keeps using" in out
    # the server model made with their messages is gone from disk; another server's stays
    assert sorted(p.name for p in models.iterdir()) == ["guild-2-def"]
