"""Per-server knowledge settings: whether /ask answers privately (the default) or in the channel."""

from __future__ import annotations

from typing import Any

VISIBILITIES = ("private", "public")
DEFAULT_VISIBILITY = "private"


async def ask_default(db: Any, guild_id: int | None) -> str:
    """'private' or 'public'; direct messages and servers that never chose are private."""
    if guild_id is None:
        return DEFAULT_VISIBILITY
    value = await db.fetchval("SELECT ask_default FROM kb_guild_settings WHERE guild_id = ?", (guild_id,))
    return value if value in VISIBILITIES else DEFAULT_VISIBILITY


async def set_ask_default(db: Any, guild_id: int, visibility: str) -> str:
    if visibility not in VISIBILITIES:
        raise ValueError(f"visibility must be one of {', '.join(VISIBILITIES)}")
    await db.execute(
        "INSERT INTO kb_guild_settings(guild_id, ask_default) VALUES(?, ?) "
        "ON CONFLICT(guild_id) DO UPDATE SET ask_default = excluded.ask_default",
        (guild_id, visibility),
    )
    return visibility
