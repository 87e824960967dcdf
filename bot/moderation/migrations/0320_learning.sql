-- What moderators taught the model: their decisions on cases and /mod teach examples,
-- labelled examples folded into this server's model when it is retrained.
CREATE TABLE mod_examples (
    id           INTEGER PRIMARY KEY,
    guild_id     INTEGER NOT NULL,
    label        TEXT NOT NULL,
    text         TEXT NOT NULL,
    origin       TEXT NOT NULL CHECK (origin IN ('dismiss', 'reply', 'remove', 'warn', 'report', 'teach')),
    case_number  INTEGER,
    author_id    INTEGER,  -- who wrote the text, when known (deleted with that member's data)
    added_by     INTEGER,  -- the moderator
    created_at   TEXT NOT NULL
);
CREATE INDEX mod_examples_guild ON mod_examples(guild_id, id);
CREATE INDEX mod_examples_author ON mod_examples(author_id);
-- A case teaches one example: its latest decision.
CREATE UNIQUE INDEX mod_examples_case ON mod_examples(guild_id, case_number) WHERE case_number IS NOT NULL;

-- When each server's model last learned, and from how many of its own examples.
CREATE TABLE mod_model_state (
    guild_id     INTEGER PRIMARY KEY,
    trained_at   TEXT NOT NULL,
    examples     INTEGER NOT NULL,
    model_hash   TEXT NOT NULL
);

-- Which layer flagged a case (rule, model, learned) and how sure it was.
ALTER TABLE mod_cases ADD COLUMN layer TEXT;
ALTER TABLE mod_cases ADD COLUMN score REAL;
