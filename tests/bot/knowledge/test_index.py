"""The FTS5 index: built at start-up, re-indexing only articles whose content changed."""

from __future__ import annotations

from bot.knowledge import KnowledgeBase


async def section_ids(db, file):
    return [
        r[0]
        for r in await db.fetchall("SELECT id FROM kb_sections WHERE file = ? ORDER BY position", (file,))
    ]


async def test_empty_or_missing_directory(db, tmp_path):
    for directory in (tmp_path / "missing", tmp_path):
        kb = await KnowledgeBase.open(db, directory)
        assert kb.treatments() == []
        assert kb.find_treatment("baclofen") is None
        assert kb.suggest("") == []
        assert kb.mentioned_treatments("baclofen") == []
        assert (await kb.ask("baclofen side effects")).answered is False


async def test_first_open_indexes_every_article_then_nothing(db, shipped_dir):
    first = await KnowledgeBase.open(db, shipped_dir)
    assert sorted(first.reindexed) == ["baclofen.md", "memantine.md"]
    assert await db.fetchval("SELECT count(*) FROM kb_fts") == 13
    second = await KnowledgeBase.open(db, shipped_dir)
    assert second.reindexed == []
    assert (await second.ask("baclofen side effects")).results[0].treatment == "baclofen"


async def test_a_retrained_topic_model_reads_every_article_again(db, shipped_dir, monkeypatch):
    from bot.knowledge import topics

    await KnowledgeBase.open(db, shipped_dir)
    trained_on = topics.corpus_key()
    # the same model under another key: only the key the index was read with changes
    monkeypatch.setitem(topics._MODELS, "other" + trained_on, topics.load_model())
    monkeypatch.setattr(topics, "corpus_key", lambda *args: "other" + trained_on)
    kb = await KnowledgeBase.open(db, shipped_dir)
    assert sorted(kb.reindexed) == ["baclofen.md", "memantine.md"]
    again = await KnowledgeBase.open(db, shipped_dir)
    assert again.reindexed == []


async def test_only_the_changed_article_is_reindexed(db, shipped_dir):
    await KnowledgeBase.open(db, shipped_dir)
    memantine_ids = await section_ids(db, "memantine.md")
    baclofen_ids = await section_ids(db, "baclofen.md")
    path = shipped_dir / "baclofen.md"
    path.write_text(
        path.read_text().replace(
            "drowsiness, dizziness, weakness, and nausea",
            "drowsiness, dizziness, weakness, nausea and hiccups",
        )
    )
    kb = await KnowledgeBase.open(db, shipped_dir)
    assert kb.reindexed == ["baclofen.md"]
    assert await section_ids(db, "memantine.md") == memantine_ids  # untouched rows
    assert await section_ids(db, "baclofen.md") != baclofen_ids
    answer = await kb.ask("baclofen hiccups")
    assert answer.answered and "hiccups" in answer.results[0].text
    assert await db.fetchval("SELECT count(*) FROM kb_fts") == 13  # old rows gone


async def test_removed_and_added_articles(db, shipped_dir, tmp_path):
    await KnowledgeBase.open(db, shipped_dir)
    (shipped_dir / "memantine.md").unlink()
    kb = await KnowledgeBase.open(db, shipped_dir)
    assert [t.slug for t in kb.treatments()] == ["baclofen"]
    assert await db.fetchval("SELECT count(*) FROM kb_sections WHERE file = 'memantine.md'") == 0
    assert await db.fetchval("SELECT count(*) FROM kb_fts") == 5
    assert not (await kb.ask("memantine NMDA receptors")).answered


async def test_broken_article_is_skipped_not_fatal(db, shipped_dir):
    (shipped_dir / "broken.md").write_text("no header here\n")
    kb = await KnowledgeBase.open(db, shipped_dir)
    assert {t.slug for t in kb.treatments()} == {"baclofen", "memantine"}
    assert any("broken.md" in str(p) for p in kb.problems)


async def test_stemming(kb):
    # "studied" / "trial" reach "Studies and Clinical Trials" through the porter stemmer
    answer = await kb.ask("was baclofen studied in trials")
    assert answer.answered
    assert answer.results[0].section == "Studies and Clinical Trials on Baclofen for Restless Leg Syndrome"
