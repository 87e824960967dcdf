"""Settings from environment variables and an optional git-ignored ``.env`` file."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import dotenv_values

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = Path("data/bot.db")
DEFAULT_ARTICLES_DIR = Path("data/articles")
DEFAULT_MODERATION_RULES = Path("data/moderation/rules.yaml")
DEFAULT_MODERATION_MODEL = Path("data/moderation/model")
DEFAULT_MODERATION_CORPUS = Path("data/moderation/corpus")


class SettingsError(Exception):
    """A setting is missing or malformed; the message names it."""


def _parse_ids(raw: str, name: str) -> tuple[int, ...]:
    ids = []
    for part in raw.replace(" ", "").split(","):
        if not part:
            continue
        if not part.isdigit():
            raise SettingsError(f"{name} must be comma-separated numeric ids, got {part!r}")
        ids.append(int(part))
    return tuple(ids)


def _shipped(value: str | None, default: Path) -> Path:
    """A data path: as given, else the default under the working directory, else the project's copy."""
    if value:
        return Path(value)
    if not default.exists() and (PROJECT_ROOT / default).exists():
        return PROJECT_ROOT / default
    return default


def _api_base(raw: str) -> str:
    """Normalise an API base: accept ``http://host:port`` or ``.../api/v10``."""
    base = raw.strip().rstrip("/")
    if "/api" not in base:
        base += "/api/v10"
    return base


@dataclass(frozen=True)
class Settings:
    token: str | None = None
    database: Path = DEFAULT_DATABASE
    articles_dir: Path = DEFAULT_ARTICLES_DIR
    moderation_rules: Path = DEFAULT_MODERATION_RULES
    # The learned layer: its arrays and the labelled corpus it is built from (None: rules only).
    moderation_model: Path | None = DEFAULT_MODERATION_MODEL
    moderation_corpus: Path = DEFAULT_MODERATION_CORPUS
    sync_guilds: tuple[int, ...] = ()
    api_base: str | None = None
    gateway_url: str | None = None
    owner_ids: tuple[int, ...] = ()
    log_level: str = "INFO"
    extra: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None, env_file: Path | None = None) -> Settings:
        """Read settings: real environment variables win over ``.env`` values."""
        values: dict[str, str] = {}
        if env_file is None:
            env_file = Path(".env")
        if env_file.is_file():
            values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
        values.update(os.environ if environ is None else environ)

        def get(name: str) -> str | None:
            value = values.get(name)
            return value.strip() if value and value.strip() else None

        return cls(
            token=get("DISCORD_TOKEN"),
            database=Path(get("BOT_DATABASE") or DEFAULT_DATABASE),
            articles_dir=_shipped(get("BOT_ARTICLES_DIR"), DEFAULT_ARTICLES_DIR),
            moderation_rules=_shipped(get("BOT_MODERATION_RULES"), DEFAULT_MODERATION_RULES),
            moderation_model=None
            if (get("BOT_MODERATION_MODEL") or "").lower() in ("off", "none", "0", "false")
            else _shipped(get("BOT_MODERATION_MODEL"), DEFAULT_MODERATION_MODEL),
            moderation_corpus=_shipped(get("BOT_MODERATION_CORPUS"), DEFAULT_MODERATION_CORPUS),
            sync_guilds=_parse_ids(get("BOT_SYNC_GUILDS") or "", "BOT_SYNC_GUILDS"),
            api_base=_api_base(v) if (v := get("DISCORD_API_BASE")) else None,
            gateway_url=get("DISCORD_GATEWAY_URL"),
            owner_ids=_parse_ids(get("BOT_OWNER_IDS") or "", "BOT_OWNER_IDS"),
            log_level=(get("BOT_LOG_LEVEL") or "INFO").upper(),
            extra={k: v for k, v in values.items() if k.startswith("BOT_")},
        )

    def require_token(self) -> str:
        if not self.token:
            raise SettingsError(
                "DISCORD_TOKEN is not set: put it in .env or the environment "
                "(see README, section 'Running the bot')."
            )
        return self.token
