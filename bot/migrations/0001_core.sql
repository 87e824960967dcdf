-- Core tables shared by every domain.

-- Small key/value store: command-tree hash per sync scope, index state.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Per-server settings any domain may read (crisis resources, etc.).
CREATE TABLE guild_settings (
    guild_id         INTEGER PRIMARY KEY,
    crisis_channel_id INTEGER,
    crisis_resources TEXT
);
