-- What the topic model reads in each indexed section: its heading, and the surest reading of any of
-- its sentences (JSON {"heading": {topic: p}, "content": {topic: p}}), computed when the article is
-- indexed so that no question waits for it.
ALTER TABLE kb_sections ADD COLUMN readings TEXT NOT NULL DEFAULT '{}';
