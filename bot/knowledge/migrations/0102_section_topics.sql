-- The question topics each indexed section covers (JSON topic -> strength), computed when the
-- article is indexed so that a start with unchanged articles does not read every sentence again.
ALTER TABLE kb_sections ADD COLUMN topics TEXT NOT NULL DEFAULT '{}';
