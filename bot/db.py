"""The single aiosqlite connection owner, and numbered migrations.

Migrations are ``NNNN_name.sql`` files. Core ones live in ``bot/migrations``;
each domain package keeps its own in ``bot/<domain>/migrations``. They are
applied in number order at start-up and each applied version is recorded in
``schema_migrations``; numbers are unique across the whole project.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite

log = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent
_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True, order=True)
class Migration:
    version: int
    name: str
    path: Path


class MigrationError(Exception):
    pass


def discover_migrations(root: Path = PACKAGE_DIR) -> list[Migration]:
    """All migration files under ``root/migrations`` and ``root/*/migrations``."""
    found: dict[int, Migration] = {}
    dirs = [root / "migrations", *sorted(p for p in root.glob("*/migrations") if p.is_dir())]
    for directory in dirs:
        for path in sorted(directory.glob("*.sql")):
            match = _MIGRATION_NAME.match(path.name)
            if not match:
                raise MigrationError(f"{path}: migration files are named NNNN_name.sql")
            version = int(match.group(1))
            if version in found:
                raise MigrationError(f"{path}: version {version} is also used by {found[version].path}")
            found[version] = Migration(version, match.group(2), path)
    return sorted(found.values())


class _TaskLock:
    """An asyncio lock the holding task may take again (its reads inside its own transaction)."""

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task | None = None
        self._depth = 0

    @asynccontextmanager
    async def held(self) -> AsyncIterator[None]:
        task = asyncio.current_task()
        if self._owner is task and task is not None:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        async with self._lock:
            self._owner, self._depth = task, 1
            try:
                yield
            finally:
                self._owner, self._depth = None, 0


class Database:
    """Owns one aiosqlite connection: WAL, foreign keys, a busy timeout.

    Writes go through :meth:`transaction` so a multi-statement change is all
    or nothing. Every statement, read or write, takes the same lock: on one
    shared connection a read from another task would otherwise see a
    transaction half done (its uncommitted rows, or a rolled-back state).
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._conn: aiosqlite.Connection | None = None
        self._lock = _TaskLock()
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise RuntimeError("database is not open")
        return self._conn

    async def open(self) -> Database:
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(self.path, isolation_level=None)
        conn.row_factory = sqlite3.Row
        try:
            for pragma in ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=5000", "synchronous=NORMAL"):
                async with conn.execute(f"PRAGMA {pragma}") as cursor:
                    await cursor.fetchall()
        except BaseException:
            # Not a database (or unreadable): end the connection's thread, or the process never exits.
            await conn.close()
            raise
        self._conn = conn
        return self

    async def close(self, *, drain_timeout: float = 5.0) -> None:
        """Close once queries already under way have finished (at shutdown, handlers may still run)."""
        if self._conn is None:
            return
        try:
            await asyncio.wait_for(self._idle.wait(), drain_timeout)
        except TimeoutError:
            log.warning("closing the database with %d queries still running", self._in_flight)
        if self._conn is not None:
            conn, self._conn = self._conn, None
            await conn.close()

    @asynccontextmanager
    async def _busy(self) -> AsyncIterator[aiosqlite.Connection]:
        conn = self.conn
        self._in_flight += 1
        self._idle.clear()
        try:
            yield conn
        finally:
            self._in_flight -= 1
            if not self._in_flight:
                self._idle.set()

    async def __aenter__(self) -> Database:
        return await self.open()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- queries ---------------------------------------------------------
    async def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> int:
        """Run one statement in its own transaction; returns lastrowid."""
        async with self._lock.held(), self._busy() as conn:
            cursor = await conn.execute(sql, params)
            rowid = cursor.lastrowid
            await cursor.close()
            return rowid or 0

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        async with self.transaction() as tx:
            await tx.executemany(sql, rows)

    async def fetchall(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        async with self._lock.held(), self._busy() as conn, conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def fetchone(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Row | None:
        async with self._lock.held(), self._busy() as conn, conn.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def fetchval(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """``BEGIN IMMEDIATE`` … ``COMMIT``; rolled back on any error."""
        async with self._lock.held(), self._busy() as conn:
            try:
                await self._run("BEGIN IMMEDIATE")
            except asyncio.CancelledError:
                # The BEGIN was already handed to the connection's thread and runs anyway. Left
                # open, every other task's statements would join it (never committed) and every
                # later BEGIN would fail: end it before the lock is let go.
                await asyncio.shield(self._end_abandoned_transaction())
                raise
            try:
                yield conn
            except BaseException:
                await self._run("ROLLBACK")
                raise
            else:
                await self._run("COMMIT")

    async def _run(self, sql: str) -> None:
        async with self.conn.execute(sql):
            pass

    async def _end_abandoned_transaction(self) -> None:
        await self._run("SELECT 1")  # the thread works in order: the BEGIN has run by now
        if self.conn.in_transaction:
            await self._run("ROLLBACK")

    # -- key/value metadata ---------------------------------------------
    async def get_meta(self, key: str) -> str | None:
        return await self.fetchval("SELECT value FROM meta WHERE key = ?", (key,))

    async def set_meta(self, key: str, value: str) -> None:
        await self.execute(
            "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # -- migrations ------------------------------------------------------
    async def schema_version(self) -> int:
        exists = await self.fetchval(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        )
        if not exists:
            return 0
        return int(await self.fetchval("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"))

    async def migrate(self, migrations: list[Migration] | None = None) -> list[int]:
        """Apply every migration not yet recorded; returns the versions applied."""
        migrations = discover_migrations() if migrations is None else migrations
        await self.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        applied = {row[0] for row in await self.fetchall("SELECT version FROM schema_migrations")}
        done = []
        for migration in migrations:
            if migration.version in applied:
                continue
            sql = migration.path.read_text(encoding="utf-8")
            # The file and its record commit together or not at all. The
            # values are safe to inline: an int, [a-z0-9_] and an ISO stamp.
            record = (
                "INSERT INTO schema_migrations(version, name, applied_at) VALUES"
                f"({migration.version}, '{migration.name}', '{datetime.now(UTC).isoformat()}');"
            )
            async with self._lock.held():
                try:
                    await self.conn.executescript(f"BEGIN IMMEDIATE;\n{sql}\n;{record}\nCOMMIT;")
                except Exception as exc:
                    if self.conn.in_transaction:
                        await self._run("ROLLBACK")
                    raise MigrationError(f"{migration.path.name}: {exc}") from exc
            log.info("applied migration %04d_%s", migration.version, migration.name)
            done.append(migration.version)
        return done
