-- What the topic model reads in each indexed section: float32 values, first for its heading, then
-- topic by topic the surest reading of any of its sentences (the topics in the order the code
-- names them; the index version changes with that order). Computed when the article is indexed,
-- so that no question waits for it; NULL when it could not be read.
ALTER TABLE kb_sections ADD COLUMN readings BLOB;
