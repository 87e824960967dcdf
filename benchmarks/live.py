"""The real bot process against the local Discord-compatible server, for live measurements.

``LiveBot`` spawns ``python -m bot`` (or ``python -m benchmarks.probe``: the
same bot plus an event-loop monitor) with DISCORD_API_BASE and
DISCORD_GATEWAY_URL pointing at a :class:`tests.support.fake_discord.FakeDiscord`,
and gives the measurements the live suites share: start-up time (spawn to
IDENTIFY), resident memory, loop-lag samples and the probe's state report.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import sys
import time
from pathlib import Path

from tests.support.fake_discord import ROOT, FakeDiscord, Request


class LiveBot:
    def __init__(
        self,
        workdir: Path,
        *,
        articles_dir: Path,
        database: Path | None = None,
        probe: bool = True,
        log_level: str = "INFO",
    ) -> None:
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.articles_dir = articles_dir
        self.database = database or self.workdir / "bot.db"
        self.probe = probe
        self.log_level = log_level
        self.server = FakeDiscord()
        self.proc: asyncio.subprocess.Process | None = None
        self.lag_file = self.workdir / "lag.txt"
        self.probe_file = self.workdir / "probe.jsonl"
        self.log_file = self.workdir / "bot.log"
        self.spawned_at = 0.0
        self.startup_seconds = 0.0

    async def __aenter__(self) -> LiveBot:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def start(self, within: float = 180) -> float:
        """Spawn the bot; returns seconds from spawn to IDENTIFY (set-up, incl. indexing, is done by then)."""
        await self.server.start()
        for path in (self.lag_file, self.probe_file):
            path.unlink(missing_ok=True)
        env = self.server.env(
            BOT_DATABASE=str(self.database),
            BOT_ARTICLES_DIR=str(self.articles_dir),
            BOT_MODERATION_RULES=str(ROOT / "data" / "moderation" / "rules.yaml"),
            BOT_LOG_LEVEL=self.log_level,
        )
        if self.probe:
            env.update(BENCH_LAG_FILE=str(self.lag_file), BENCH_PROBE_FILE=str(self.probe_file))
        module = "benchmarks.probe" if self.probe else "bot"
        log = open(self.log_file, "ab")  # noqa: ASYNC230 - once, handed to the child process
        self.spawned_at = time.monotonic()
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", module, cwd=self.workdir, env=env, stdout=log, stderr=log
        )
        log.close()
        exited = asyncio.ensure_future(self.proc.wait())
        identified = asyncio.ensure_future(self.server.identified.wait())
        await asyncio.wait([exited, identified], timeout=within, return_when=asyncio.FIRST_COMPLETED)
        if not identified.done():
            identified.cancel()
            exited.cancel()
            raise RuntimeError(
                f"the bot did not connect (exit code {self.proc.returncode}):\n{self.log_tail()}"
            )
        exited.cancel()
        assert self.server.identified_at is not None
        self.startup_seconds = self.server.identified_at - self.spawned_at
        await self.server.sync()  # READY and GUILD_CREATE were read
        return self.startup_seconds

    async def stop(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(self.proc.wait(), 20)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
        await self.server.stop()

    # -- driving the bot -------------------------------------------------------------
    async def slash(
        self, name: str, options: list[dict] | None = None, *, within: float = 60
    ) -> tuple[float, Request]:
        """Run ``/name`` as a member in a DM; returns seconds until the reply (a message or a
        follow-up after a defer) reached the server, and that request."""
        data = self.server.slash_command(name, options)
        token = data["token"]

        def is_reply(request: Request) -> bool:
            if token not in request.path:
                return False
            if "/webhooks/" in request.path:
                return True  # a follow-up or an edit of the deferred response
            body = request.body
            return request.path.endswith("/callback") and (body is None or body.get("type") in (4, 7))

        since = len(self.server.requests)
        start = time.monotonic()
        await self.server.dispatch("INTERACTION_CREATE", data)
        request = await self.server.wait_for_request(is_reply, within, since=since)
        return request.at - start, request

    async def messages(self, texts: list[str], *, rate: float | None = None) -> float:
        """Members post ``texts`` in the server's channel (MESSAGE_CREATE), at ``rate`` per second if
        given; returns seconds taken to send them, once the bot has read them all."""
        authors = [1000 + i % 300 for i in range(len(texts))]
        events = (
            ("MESSAGE_CREATE", self.server.message(t, author_id=a))
            for t, a in zip(texts, authors, strict=True)
        )
        seconds = await self.server.dispatch_many(events, rate=rate)
        await self.server.sync()
        return seconds

    # -- measurements -------------------------------------------------------------
    def log_text(self) -> str:
        return self.log_file.read_text(encoding="utf-8", errors="replace") if self.log_file.exists() else ""

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def rss_mb(self) -> float:
        """Resident set size of the bot process (psutil, or /proc without it)."""
        assert self.proc is not None
        try:
            import psutil
        except ImportError:
            status = Path(f"/proc/{self.proc.pid}/status").read_text()
            return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024  # type: ignore[union-attr]
        return psutil.Process(self.proc.pid).memory_info().rss / 2**20

    def children_rss_mb(self) -> tuple[int, float]:
        """How many processes the bot has started (e.g. a drawing worker) and their total RSS."""
        assert self.proc is not None
        try:
            import psutil
        except ImportError:
            return 0, 0.0
        children = psutil.Process(self.proc.pid).children(recursive=True)
        total = 0.0
        for child in children:
            try:
                total += child.memory_info().rss / 2**20
            except psutil.Error:
                pass
        return len(children), total

    def peak_rss_mb(self) -> float:
        """The largest resident size the bot process has had so far (Linux: VmHWM), else its RSS now."""
        assert self.proc is not None
        try:
            status = Path(f"/proc/{self.proc.pid}/status").read_text()
        except OSError:
            return self.rss_mb()
        match = re.search(r"VmHWM:\s+(\d+) kB", status)
        return int(match.group(1)) / 1024 if match else self.rss_mb()

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the bot process has used."""
        assert self.proc is not None
        try:
            import psutil
        except ImportError:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        times = psutil.Process(self.proc.pid).cpu_times()
        return times.user + times.system

    async def idle(self, quiet: float = 0.2, within: float = 120) -> None:
        """Wait until the bot process has used (almost) no CPU for ``quiet`` seconds."""
        deadline = time.monotonic() + within
        last = self.cpu_seconds()
        while time.monotonic() < deadline:
            await asyncio.sleep(quiet)
            now = self.cpu_seconds()
            if now - last < quiet * 0.05:
                return
            last = now
        raise TimeoutError("the bot never went idle")

    async def lag_samples(self, start: float, end: float) -> list[float]:
        """Loop-lag samples (ms) the monitor recorded between two ``time.monotonic()`` instants."""
        await asyncio.sleep(0.15)  # the monitor flushes every 0.1 s
        samples = []
        for line in self.lag_file.read_text(encoding="ascii").splitlines():
            parts = line.split()
            if len(parts) == 2 and start <= float(parts[0]) <= end:
                samples.append(float(parts[1]))
        return samples

    async def state(self, within: float = 10) -> dict:
        """Ask the probe (SIGUSR1) for its state report: matplotlib imported?, modules, tasks."""
        assert self.proc is not None and self.probe
        before = self.probe_file.read_text().count("\n") if self.probe_file.exists() else 0
        self.proc.send_signal(signal.SIGUSR1)
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            await asyncio.sleep(0.05)
            if self.probe_file.exists():
                lines = self.probe_file.read_text().splitlines()
                if len(lines) > before:
                    return json.loads(lines[-1])
        raise TimeoutError("the probe did not answer")


def prepared_database(source: Path, target: Path) -> Path:
    """Copy a database file (with its -wal, if any) so a run starts from a known state."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    for suffix in ("-wal", "-shm"):
        extra = source.with_name(source.name + suffix)
        if extra.exists():
            shutil.copyfile(extra, target.with_name(target.name + suffix))
    return target


async def seed_server(database: Path) -> None:
    """Configure the local server's guild as a real community would: a moderation log channel."""
    from bot.db import Database
    from bot.moderation import store
    from tests.support.fake_discord import GUILD_ID, LOG_CHANNEL_ID

    db = await Database(database).open()
    try:
        await db.migrate()
        await store.configure(db, int(GUILD_ID), log_channel_id=int(LOG_CHANNEL_ID))
    finally:
        await db.close()
