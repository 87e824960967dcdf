-- Articles and their sections, indexed for full-text search.
CREATE TABLE kb_articles (
    file TEXT PRIMARY KEY,          -- file name inside the articles directory
    content_hash TEXT NOT NULL,     -- sha256 of the index format and the file's bytes
    slug TEXT,                      -- the treatment it covers
    title TEXT NOT NULL,
    index_version TEXT NOT NULL     -- format of the indexed rows
);

CREATE TABLE kb_sections (
    id INTEGER PRIMARY KEY,
    file TEXT NOT NULL REFERENCES kb_articles(file) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    heading TEXT NOT NULL,
    UNIQUE (file, position)
);

-- rowid = kb_sections.id. ``names`` holds the treatment's name and aliases so a
-- question naming a brand or a misspelling still matches its article.
CREATE VIRTUAL TABLE kb_fts USING fts5(
    heading,
    body,
    names,
    tokenize = 'porter unicode61'
);
