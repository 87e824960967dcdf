import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_bot(*args: str, env_extra: dict[str, str] | None = None, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "BOT_"))}
    env.update(env_extra or {})
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )


def test_missing_token_is_one_line_exit_2(tmp_path: Path):
    result = run_bot(cwd=tmp_path)  # no .env in tmp_path, no DISCORD_TOKEN
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "DISCORD_TOKEN" in lines[0] and "README" in lines[0]
    assert "Traceback" not in result.stderr


def test_bad_setting_is_reported_without_traceback(tmp_path: Path):
    result = run_bot(cwd=tmp_path, env_extra={"DISCORD_TOKEN": "x", "BOT_SYNC_GUILDS": "nope"})
    assert result.returncode == 2
    assert "BOT_SYNC_GUILDS" in result.stderr and "Traceback" not in result.stderr


def test_help_lists_admin_commands(tmp_path: Path):
    result = run_bot("--help", cwd=tmp_path)
    assert result.returncode == 0
    for name in ("articles", "ask", "treatment", "scan"):
        assert name in result.stdout
