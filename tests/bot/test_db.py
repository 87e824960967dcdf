import asyncio
import contextlib
import sqlite3
from pathlib import Path

import pytest

from bot.db import Database, MigrationError, discover_migrations


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


async def test_pragmas_and_shipped_migrations(tmp_path: Path):
    async with Database(tmp_path / "bot.db") as db:
        applied = await db.migrate()
        assert applied == [m.version for m in discover_migrations()]
        assert await db.fetchval("PRAGMA journal_mode") == "wal"
        assert await db.fetchval("PRAGMA foreign_keys") == 1
        assert await db.fetchval("PRAGMA busy_timeout") == 5000
        assert await db.schema_version() == max(applied)
        # A second start applies nothing.
        assert await db.migrate() == []


async def test_migrations_from_domain_folders_apply_in_number_order(tmp_path: Path):
    root = tmp_path / "pkg"
    write(root / "migrations" / "0001_core.sql", "CREATE TABLE a(x INTEGER);")
    write(root / "zeta" / "migrations" / "0002_zeta.sql", "INSERT INTO a VALUES (2);")
    write(root / "alpha" / "migrations" / "0003_alpha.sql", "INSERT INTO a VALUES (3);")
    migrations = discover_migrations(root)
    assert [m.version for m in migrations] == [1, 2, 3]
    async with Database(tmp_path / "t.db") as db:
        await db.migrate(migrations)
        assert [r[0] for r in await db.fetchall("SELECT x FROM a ORDER BY rowid")] == [2, 3]
        assert await db.schema_version() == 3


def test_duplicate_migration_numbers_are_refused(tmp_path: Path):
    write(tmp_path / "migrations" / "0001_a.sql", "")
    write(tmp_path / "dom" / "migrations" / "0001_b.sql", "")
    with pytest.raises(MigrationError, match="also used"):
        discover_migrations(tmp_path)


async def test_failed_migration_leaves_nothing_half_applied(tmp_path: Path):
    write(tmp_path / "migrations" / "0001_ok.sql", "CREATE TABLE a(x INTEGER);")
    write(
        tmp_path / "migrations" / "0002_bad.sql", "CREATE TABLE b(y INTEGER);\nINSERT INTO nope VALUES (1);"
    )
    async with Database(tmp_path / "t.db") as db:
        with pytest.raises(MigrationError, match="0002_bad"):
            await db.migrate(discover_migrations(tmp_path))
        assert await db.schema_version() == 1
        tables = {r[0] for r in await db.fetchall("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "a" in tables and "b" not in tables


async def test_transaction_rolls_back_on_error(tmp_path: Path):
    async with Database(tmp_path / "t.db") as db:
        await db.migrate()
        with pytest.raises(RuntimeError):
            async with db.transaction() as conn:
                await conn.execute("INSERT INTO meta(key, value) VALUES ('k', 'v')")
                raise RuntimeError("fail midway")
        assert await db.get_meta("k") is None
        await db.set_meta("k", "v1")
        await db.set_meta("k", "v2")
        assert await db.get_meta("k") == "v2"


async def test_close_waits_for_queries_under_way(tmp_path: Path):
    import asyncio

    db = await Database(tmp_path / "t.db").open()
    await db.migrate()
    started = asyncio.Event()

    async def long_write() -> None:
        async with db.transaction() as conn:
            started.set()
            await asyncio.sleep(0.05)
            await conn.execute("INSERT INTO meta(key, value) VALUES ('late', 'kept')")

    writer = asyncio.create_task(long_write())
    await started.wait()
    await db.close()  # a shutdown while a handler is mid-transaction
    await writer  # finished cleanly instead of "Cannot operate on a closed database"
    async with Database(tmp_path / "t.db") as again:
        assert await again.get_meta("late") == "kept"


async def test_a_read_never_sees_another_tasks_half_done_transaction(tmp_path: Path):
    async with Database(tmp_path / "bot.db") as db:
        await db.execute("CREATE TABLE t(x INTEGER)")
        inside, release = asyncio.Event(), asyncio.Event()

        async def writer() -> None:
            with contextlib.suppress(RuntimeError):
                async with db.transaction() as tx:
                    await tx.execute("INSERT INTO t VALUES (1)")
                    inside.set()
                    await release.wait()
                    raise RuntimeError("rolled back")

        task = asyncio.create_task(writer())
        await inside.wait()
        reader = asyncio.create_task(db.fetchval("SELECT COUNT(*) FROM t"))
        await asyncio.sleep(0.05)
        assert not reader.done()  # it waits for the transaction to finish
        release.set()
        await task
        assert await reader == 0  # and never saw the row that was rolled back


async def test_the_task_holding_a_transaction_can_still_read(tmp_path: Path):
    async with Database(tmp_path / "bot.db") as db:
        await db.execute("CREATE TABLE t(x INTEGER)")
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO t VALUES (1)")
            assert await db.fetchval("SELECT COUNT(*) FROM t") == 1


async def test_notices_are_popped_once_even_by_concurrent_commands(tmp_path: Path):
    from datetime import UTC, datetime

    from bot.checkins import reminders

    async with Database(tmp_path / "bot.db") as db:
        await db.migrate()
        await reminders.pause_reminder(db, 5, reminders.DM_CLOSED, datetime(2026, 1, 1, tzinfo=UTC))
        results = await asyncio.gather(*(reminders.pop_notices(db, 5) for _ in range(5)))
        assert sorted(map(tuple, results)) == [()] * 4 + [(reminders.DM_CLOSED,)]



async def test_a_transaction_cancelled_while_it_begins_leaves_the_connection_usable(tmp_path: Path):
    async with Database(tmp_path / "bot.db") as db:
        await db.execute("CREATE TABLE t(x INTEGER)")
        blocker = sqlite3.connect(tmp_path / "bot.db", isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")  # another process holds the write lock: BEGIN waits

        async def writer() -> None:
            async with db.transaction() as tx:
                await tx.execute("INSERT INTO t VALUES (1)")

        task = asyncio.create_task(writer())
        await asyncio.sleep(0.05)
        task.cancel()  # e.g. a shutdown, while BEGIN IMMEDIATE waits in the connection's thread
        blocker.rollback()  # the lock is free again: the abandoned BEGIN now succeeds
        blocker.close()
        with pytest.raises(asyncio.CancelledError):
            await task
        await db.execute("INSERT INTO t VALUES (2)")  # committed, not swallowed by a transaction left open
        async with db.transaction() as tx:  # and a new transaction can begin
            await tx.execute("INSERT INTO t VALUES (3)")
        assert not db.conn.in_transaction
        async with Database(tmp_path / "bot.db") as other:
            assert [r[0] for r in await other.fetchall("SELECT x FROM t ORDER BY x")] == [2, 3]
