-- Where each crisis alert was posted, so the post's quote of the member's
-- message can be removed with the alert (retention period or /mydata delete).
ALTER TABLE mod_crisis_alerts ADD COLUMN alert_channel_id INTEGER;
ALTER TABLE mod_crisis_alerts ADD COLUMN alert_message_id INTEGER;
