-- Moderation: per-server settings, exemptions, rule overrides, cases with
-- their status history, public-reply rate limits and crisis alerts.

CREATE TABLE mod_settings (
    guild_id        INTEGER PRIMARY KEY,
    log_channel_id  INTEGER,
    action          TEXT NOT NULL DEFAULT 'alert' CHECK (action IN ('alert', 'reply', 'remove')),
    retention_days  INTEGER CHECK (retention_days IS NULL OR retention_days > 0)
);

CREATE TABLE mod_exemptions (
    guild_id   INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('role', 'channel')),
    target_id  INTEGER NOT NULL,
    PRIMARY KEY (guild_id, kind, target_id)
);

-- Shipped rules a server has switched off.
CREATE TABLE mod_disabled_rules (
    guild_id  INTEGER NOT NULL,
    rule_id   TEXT NOT NULL,
    PRIMARY KEY (guild_id, rule_id)
);

-- Phrase-based rules moderators added (phrases as a JSON list; never regexes).
CREATE TABLE mod_custom_rules (
    guild_id    INTEGER NOT NULL,
    rule_id     TEXT NOT NULL,
    category    TEXT NOT NULL,
    severity    TEXT NOT NULL,
    phrases     TEXT NOT NULL,
    note        TEXT NOT NULL,
    created_by  INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (guild_id, rule_id)
);

-- Cases are numbered per server. content is the flagged message text; it
-- is set to NULL by the retention purge (purged_at records when).
CREATE TABLE mod_cases (
    guild_id        INTEGER NOT NULL,
    number          INTEGER NOT NULL,
    source          TEXT NOT NULL CHECK (source IN ('scan', 'report')),
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'dismissed', 'actioned')),
    channel_id      INTEGER NOT NULL,
    message_id      INTEGER NOT NULL,
    author_id       INTEGER NOT NULL,
    reporter_id     INTEGER,
    rule_id         TEXT,
    category        TEXT,
    content         TEXT,
    matched         TEXT,
    note            TEXT,
    log_channel_id  INTEGER,
    log_message_id  INTEGER,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    purged_at       TEXT,
    PRIMARY KEY (guild_id, number)
);
-- One message never has two open cases.
CREATE UNIQUE INDEX mod_cases_one_open ON mod_cases(guild_id, message_id) WHERE status = 'open';
CREATE INDEX mod_cases_message ON mod_cases(guild_id, message_id);
CREATE INDEX mod_cases_purge ON mod_cases(created_at) WHERE content IS NOT NULL;

-- Status history: who did what, when.
CREATE TABLE mod_case_events (
    id        INTEGER PRIMARY KEY,
    guild_id  INTEGER NOT NULL,
    number    INTEGER NOT NULL,
    action    TEXT NOT NULL,
    status    TEXT NOT NULL,
    actor_id  INTEGER,
    at        TEXT NOT NULL,
    FOREIGN KEY (guild_id, number) REFERENCES mod_cases(guild_id, number) ON DELETE CASCADE
);
CREATE INDEX mod_case_events_case ON mod_case_events(guild_id, number);

-- Last public reply per member and per channel (scope 'member' | 'channel').
CREATE TABLE mod_reply_limits (
    guild_id   INTEGER NOT NULL,
    scope      TEXT NOT NULL CHECK (scope IN ('member', 'channel')),
    target_id  INTEGER NOT NULL,
    last_at    TEXT NOT NULL,
    PRIMARY KEY (guild_id, scope, target_id)
);

-- Crisis alerts sent, so an edit does not alert twice. No message text.
CREATE TABLE mod_crisis_alerts (
    guild_id    INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,
    author_id   INTEGER NOT NULL,
    dm_sent     INTEGER NOT NULL DEFAULT 0,
    at          TEXT NOT NULL,
    PRIMARY KEY (guild_id, message_id)
);
