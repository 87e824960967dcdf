-- Crisis alerts: the role pinged so someone sees them at 3 a.m., and when an alert had
-- nowhere to go (admins are told at their next /mod or /safety command).
ALTER TABLE guild_settings ADD COLUMN crisis_role_id INTEGER;
ALTER TABLE guild_settings ADD COLUMN crisis_unrouted_at TEXT;
