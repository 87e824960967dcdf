-- Per-server choice of who sees an /ask answer by default: only the asker, or the channel.
CREATE TABLE kb_guild_settings (
    guild_id INTEGER PRIMARY KEY,
    ask_default TEXT NOT NULL DEFAULT 'private' CHECK (ask_default IN ('private', 'public'))
);
