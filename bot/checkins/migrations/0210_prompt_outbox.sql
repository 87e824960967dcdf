-- Durable daily prompts: an outbox row per member per local day, and a version
-- on each schedule so rescheduling never overwrites a change made meanwhile.
ALTER TABLE checkin_reminders ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE checkin_community_prompts ADD COLUMN version INTEGER NOT NULL DEFAULT 0;

-- due → claimed → sent; a failed attempt goes to failed_retryable (tried again
-- with backoff inside the late window) or failed_final; skipped when the day
-- was checked in or the reminder stopped before the prompt went out.
CREATE TABLE checkin_outbox (
    user_id          INTEGER NOT NULL,
    local_date       TEXT    NOT NULL,   -- the day the prompt is about (member's zone)
    state            TEXT    NOT NULL CHECK (state IN
                         ('due', 'claimed', 'sent', 'failed_retryable', 'failed_final', 'skipped')),
    late             INTEGER NOT NULL DEFAULT 0,
    deadline_utc     INTEGER NOT NULL,   -- epoch seconds: the end of the late window
    next_attempt_utc INTEGER NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    verify           INTEGER NOT NULL DEFAULT 0,  -- an earlier attempt may have reached Discord
    claim_token      TEXT,
    claimed_at       INTEGER,
    channel_id       INTEGER,
    message_id       INTEGER,
    last_error       TEXT,
    updated_at       INTEGER NOT NULL,
    PRIMARY KEY (user_id, local_date)
) WITHOUT ROWID;
CREATE INDEX checkin_outbox_pending ON checkin_outbox(next_attempt_utc)
    WHERE state IN ('due', 'failed_retryable');
CREATE INDEX checkin_outbox_claimed ON checkin_outbox(claimed_at) WHERE state = 'claimed';
