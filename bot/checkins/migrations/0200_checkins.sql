-- Private symptom diary: one row per member per local day.
CREATE TABLE checkins (
    user_id      INTEGER NOT NULL,
    local_date   TEXT    NOT NULL,           -- YYYY-MM-DD in the member's time zone
    severity     INTEGER NOT NULL CHECK (severity BETWEEN 0 AND 10),
    sleep_hours  REAL    CHECK (sleep_hours IS NULL OR sleep_hours BETWEEN 0 AND 24),
    onset        TEXT    CHECK (onset IS NULL OR onset IN ('none', 'morning', 'afternoon', 'evening', 'bedtime')),
    treatments   TEXT,
    side_effects TEXT,
    note         TEXT,
    created_at   TEXT    NOT NULL,           -- ISO 8601 UTC
    updated_at   TEXT    NOT NULL,
    PRIMARY KEY (user_id, local_date)
) WITHOUT ROWID;

-- Daily DM prompt at a local time. next_due_utc is epoch seconds (indexed).
CREATE TABLE checkin_reminders (
    user_id            INTEGER PRIMARY KEY,
    local_time         TEXT    NOT NULL,     -- HH:MM
    timezone           TEXT    NOT NULL,     -- IANA name
    next_due_utc       INTEGER NOT NULL,
    paused             INTEGER NOT NULL DEFAULT 0,
    paused_reason      TEXT,
    last_sent_date     TEXT,                 -- local date of the last prompt sent
    created_at         TEXT    NOT NULL
);
CREATE INDEX checkin_reminders_due ON checkin_reminders(next_due_utc) WHERE paused = 0;

-- DM channel ids, so a prompt costs one request.
CREATE TABLE checkin_dm_channels (
    user_id    INTEGER PRIMARY KEY,
    channel_id INTEGER NOT NULL
);

-- Prompts sent and not yet answered (to tidy up their buttons).
CREATE TABLE checkin_prompts (
    user_id    INTEGER NOT NULL,
    local_date TEXT    NOT NULL,
    channel_id INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    sent_at    TEXT    NOT NULL,
    PRIMARY KEY (user_id, local_date)
) WITHOUT ROWID;

-- Things to tell a member the next time they use a command (e.g. closed DMs).
CREATE TABLE checkin_notices (
    user_id    INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    PRIMARY KEY (user_id, kind)
) WITHOUT ROWID;

-- Daily community message with a "Check in privately" button (per server).
CREATE TABLE checkin_community_prompts (
    guild_id       INTEGER PRIMARY KEY,
    channel_id     INTEGER NOT NULL,
    local_time     TEXT    NOT NULL,
    timezone       TEXT    NOT NULL,
    next_due_utc   INTEGER NOT NULL,
    last_sent_date TEXT,
    created_at     TEXT    NOT NULL
);
CREATE INDEX checkin_community_prompts_due ON checkin_community_prompts(next_due_utc);
