"""The section ranker: its features, its answer decision and its deterministic training."""

from __future__ import annotations

import json

import numpy as np
import pytest

from bot.knowledge import ranker, search, topics
from bot.knowledge.sections import SUMMARY_HEADING
from bot.knowledge.training import by_article, cases, train


def candidate(**overrides) -> ranker.Candidate:
    values = dict(
        topics={},
        rare_words=0,
        word_share=0.0,
        similarity=0.5,
        similarity_gap=0.0,
        heading_words=0,
        position=1,
        sections=5,
        heading="A Heading",
    )
    values.update(overrides)
    return ranker.Candidate(**values)


def test_topic_probabilities_keep_the_order_and_sum_to_one():
    probabilities = ranker.topic_probabilities({"evidence": 0.4, "side_effects": -0.2, "chat": -1.5})
    assert sum(probabilities.values()) == pytest.approx(1.0)
    assert probabilities["evidence"] > probabilities["side_effects"] > probabilities["chat"]
    assert ranker.topic_probabilities({}) == {}


def test_a_section_on_the_likeliest_topic_scores_higher_than_one_off_it():
    model = ranker.Ranker.load()
    probabilities = ranker.topic_probabilities({"side_effects": 1.0, "evidence": 0.0, "doctor": -0.5})
    on = ranker.features("side_effects", probabilities, candidate(topics={"side_effects": 6.0}))
    off = ranker.features("side_effects", probabilities, candidate(topics={"doctor": 6.0}))
    assert len(on) == len(ranker.FEATURES)
    assert model.probability(on) > model.probability(off)


def test_off_article_topics_refuse_only_when_they_are_likely():
    model = ranker.Ranker([0.0] * len(ranker.FEATURES), 0.0, 0.1, off_article=0.4)
    assert model.refuses("dosing", {"dosing": 0.6, "side_effects": 0.4})
    assert not model.refuses("dosing", {"dosing": 0.3, "side_effects": 0.25, "withdrawal": 0.45})
    assert not model.refuses("side_effects", {"dosing": 0.45, "side_effects": 0.55})


def test_weights_for_other_features_are_refused(tmp_path):
    path = tmp_path / "ranker.json"
    data = json.loads(ranker.WEIGHTS.read_text())
    data["features"] = data["features"][:-1]
    data["weights"] = data["weights"][:-1]
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="other features"):
        ranker.Ranker.load(path)


async def test_a_near_tie_is_answered_by_the_section_on_the_runner_up(kb):
    # Nothing covers "monitoring" in the baclofen article; a question that is nearly as likely to ask
    # about side effects is answered there.
    article = kb.articles[kb.get("baclofen").article.file]
    query = search.analyse("baclofen groggy next morning", ["baclofen"], {"baclofen"})
    scores = {t: -2.0 for t in topics.ANSWERABLE + topics.OFF_ARTICLE}
    scores.update(monitoring=0.3, side_effects=0.25)
    prediction = topics.Prediction("monitoring", 0.05, scores)
    ranked = kb.rank_sections("baclofen groggy next morning", prediction, query, article)
    assert ranked and article.sections[ranked[0][1]].heading.startswith("Side Effects")


async def test_training_reproduces_the_shipped_weights():
    model, report = await train()
    assert model.to_json() == ranker.WEIGHTS.read_text(encoding="utf-8")
    assert report.questions > 200 and report.out_of_fold_top1 > 0.8


async def test_by_article_holds_out_each_article_and_every_refusal_once():
    labelled = cases(ranker.TRAINING)
    results = await by_article()
    assert set(results) == {c.article for c in labelled if c.article != "REFUSE"}
    assert sum(r.refusable for r in results.values()) == sum(c.article == "REFUSE" for c in labelled)
    for article, figures in results.items():
        assert figures.answerable == sum(c.article == article for c in labelled)
        assert figures.top1_rate > 0.5  # trained without this article, still mostly right
    assert ranker.Ranker.load().to_json() == ranker.WEIGHTS.read_text(encoding="utf-8")  # nothing written


async def test_weights_for_other_features_do_not_stop_the_articles_loading(tmp_path, monkeypatch):
    from bot.knowledge.cli import open_memory_kb

    stale = tmp_path / "ranker.json"
    data = json.loads(ranker.WEIGHTS.read_text(encoding="utf-8"))
    data["features"] = data["features"][:-1]
    stale.write_text(json.dumps(data))
    load = ranker.Ranker.load.__func__
    monkeypatch.setattr(ranker.Ranker, "load", classmethod(lambda cls, path=stale: load(cls, path)))
    db, kb = await open_memory_kb(ranker.ROOT / "data" / "articles")
    try:
        assert kb.get("baclofen") is not None  # the articles load; training can then write new weights
        assert kb._ranker is None
    finally:
        await db.close()


async def test_a_set_names_an_imported_article_by_its_raw_file(tmp_path):
    from bot.knowledge.evaluation import Case, build_articles

    raw = tmp_path / "raw" / "neupro_patch.txt"
    raw.parent.mkdir()
    raw.write_text(
        (ranker.TRAINING / "articles" / "rotigotine.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    imported, _, names = build_articles(ranker.ROOT / "data" / "articles", [raw], tmp_path / "articles")
    assert names == {"neupro_patch": "rotigotine"} and imported == {"rotigotine"}
    from bot.knowledge.cli import open_memory_kb
    from bot.knowledge.evaluation import score

    db, kb = await open_memory_kb(tmp_path / "articles")
    try:
        heading = kb.articles[kb.get("rotigotine").article.file].sections[0].heading
        case = Case("neupro_patch", heading, "what is the neupro patch and why is it a patch?")
        figures = await score(kb, [case], imported, [], names)
    finally:
        await db.close()
    assert figures.imported == 1 and figures.top1 == 1


async def test_a_brand_spelled_as_the_article_spells_it_names_the_treatment(tmp_path):
    # The dipyridamole article lists Persantine as its brand and also says "Persantin" (the European
    # spelling): that word is the article's own, and still names the treatment.
    from bot.knowledge.cli import open_memory_kb
    from bot.knowledge.evaluation import build_articles

    build_articles(
        ranker.ROOT / "data" / "articles",
        [ranker.TRAINING / "articles" / "dipyridamole.txt"],
        tmp_path / "articles",
    )
    db, kb = await open_memory_kb(tmp_path / "articles")
    try:
        assert "persantin" in kb._words
        assert kb.understand("headache every day since starting persantin, will it go away??").slugs == [
            "dipyridamole"
        ]
        assert kb.understand("my legs are restless again tonight").slugs == []  # ordinary words name nothing
        # the article's own "what it is" sentences describe it: "often loosely called a blood thinner"
        described = kb.understand("is the blood thinner one any good for legs at night?")
        assert described.slugs == ["dipyridamole"] and described.described
        card = kb.get("dipyridamole").card
        what = next(t for t in card.topics if t.key == "what_it_is")
        assert what.sections == ("Dipyridamole: An Established Heart and Stroke Medicine",)
    finally:
        await db.close()


def test_a_question_wanting_the_overall_view_favours_the_conclusion():
    model = ranker.Ranker.load()
    probabilities = ranker.topic_probabilities({"evidence": 0.6, "what_it_is": 0.2})
    asked = "bottom line, is memantine worth it for rls?"
    conclusion = candidate(
        topics={"evidence": 1.0}, heading="Conclusion: Memantine as an Option", question=asked
    )
    plain = candidate(
        topics={"evidence": 1.0}, heading="Conclusion: Memantine as an Option", question="memantine?"
    )
    index = ranker.FEATURES.index("summary_asked")
    assert ranker.features("evidence", probabilities, conclusion)[index] == 1.0
    assert ranker.features("evidence", probabilities, plain)[index] == 0.0
    assert model.probability(ranker.features("evidence", probabilities, conclusion)) > model.probability(
        ranker.features("evidence", probabilities, plain)
    )
    assert SUMMARY_HEADING.search("Bottom line") and not SUMMARY_HEADING.search("Side effects")


def test_a_heading_read_as_the_asked_topic_counts_for_its_section():
    model = ranker.Ranker.load()
    probabilities = ranker.topic_probabilities({"suitability": 0.7, "what_it_is": 0.1})
    # two sections the phrase cues read alike: only the topic model's reading of the headings differs
    reads_as_asked = candidate(
        topics={"suitability": 2.0}, heading_topics={"suitability": 0.8, "doctor": 0.2}
    )
    reads_as_other = candidate(topics={"suitability": 2.0}, heading_topics={"what_it_is": 0.9, "doctor": 0.1})
    on = ranker.features("suitability", probabilities, reads_as_asked)
    off = ranker.features("suitability", probabilities, reads_as_other)
    best = ranker.FEATURES.index("heading_best")
    assert on[best] == 0.8 and off[best] == 0.0
    assert on[ranker.FEATURES.index("heading_soft")] > off[ranker.FEATURES.index("heading_soft")]
    assert model.probability(on) > model.probability(off)


async def test_the_topic_model_reads_each_section_when_it_is_indexed(kb):
    kb._model = await kb._model_loading
    treatment = kb.get("memantine")
    article = kb.articles[treatment.article.file]
    position = next(i for i, s in enumerate(article.sections) if "Side Effects" in s.heading)
    read = kb._reading(article, position)
    heading, content = read["heading"], read["content"]
    assert max(heading, key=heading.get) == "side_effects"
    assert sum(heading.values()) == pytest.approx(1.0, abs=1e-3) and set(heading) <= set(topics.ANSWERABLE)
    # the sentences: topic by topic the surest reading of any one, so they need not sum to one
    assert set(content) <= set(topics.ANSWERABLE) and content["side_effects"] > 0.5
    assert all(0.0 <= p <= 1.0 for p in content.values())
    # stored with the section, so a start with unchanged articles reads nothing again
    stored = await kb.db.fetchall(
        "SELECT readings FROM kb_sections WHERE file = ? ORDER BY position", (article.file,)
    )
    kept = np.frombuffer(stored[position]["readings"], dtype=np.float32)
    n = len(topics.ANSWERABLE)
    assert dict(zip(topics.ANSWERABLE, kept[:n].tolist(), strict=True))["side_effects"] == heading["side_effects"]
    assert dict(zip(topics.ANSWERABLE, kept[n:].tolist(), strict=True))["side_effects"] == content["side_effects"]
    query = search.analyse("memantine side effects", ["memantine"], set())
    prediction = kb.understand("memantine side effects").prediction
    [row] = [
        c
        for c in kb._candidates("memantine side effects", prediction, query, article)
        if c.position == position
    ]
    assert row.heading_topics == heading and row.content_topics == content


def test_scores_for_many_texts_at_once_are_the_same_as_one_by_one():
    model = topics.load_model()
    texts = [
        "nausea usually settles within a few weeks",
        "medname can cause drowsiness, so take care when driving",
        "",
        "stop it gradually: stopping suddenly can bring on withdrawal",
    ]
    together = model.scores_many(texts)
    assert together.shape == (len(texts), len(model.classes))
    for row, text in zip(together, texts, strict=True):
        assert row == pytest.approx(model.scores(text), abs=1e-4)


def test_the_ranker_learns_which_section_wins_deterministically():
    # the right section is the one with the higher first feature; the second is the same everywhere
    groups = [([[0.9 - 0.01 * i, 0.5], [0.2, 0.5], [0.1 + 0.01 * i, 0.5]], 0) for i in range(20)]
    groups += [([[0.1, 0.5], [0.8 - 0.01 * i, 0.5]], 1) for i in range(20)]
    first = ranker.fit(groups)
    assert ranker.fit(groups) == first  # the same data, the same weights
    weights, bias = first
    assert weights[0] > 0
    model = ranker.Ranker.__new__(ranker.Ranker)
    model.weights, model.bias = weights, bias
    # calibrated: the right sections are likely, the others not
    assert model.probability([0.85, 0.5]) > 0.5 > model.probability([0.15, 0.5])


def test_a_question_that_may_be_off_article_needs_a_surer_section():
    model = ranker.Ranker([0.0] * len(ranker.FEATURES), 0.0, 0.05, 0.5, doubt_off=0.3, doubt_below=0.2)
    clear = {"side_effects": 0.8, "dosing": 0.1, "chat": 0.1}
    doubtful = {"side_effects": 0.6, "dosing": 0.25, "chat": 0.15}
    assert not model.doubtful(clear) and model.answer_floor(clear) == 0.05
    assert model.doubtful(doubtful) and model.answer_floor(doubtful) == 0.2
    # kept with the weights, and read back
    again = json.loads(model.to_json())
    assert (again["doubt_off"], again["doubt_below"]) == (0.3, 0.2)


async def test_a_section_too_unsure_for_a_doubtful_question_is_not_given(kb, monkeypatch):
    kb._model = await kb._model_loading
    model = kb._ranker_model()
    asked = "how many baclofen tablets can i take for my legs before bed"
    probabilities = ranker.topic_probabilities(kb.understand(asked).prediction.scores)
    off = sum(p for t, p in probabilities.items() if t in topics.OFF_ARTICLE)
    strict = ranker.Ranker(
        model.weights, model.bias, model.threshold, 1.1, doubt_off=min(off, 0.99), doubt_below=0.999
    )
    monkeypatch.setattr(kb, "_ranker", strict)
    answer = await kb.ask(asked)
    assert not answer.answered and answer.reason == "not covered"


async def test_many_sections_are_read_in_a_worker_process_with_the_same_result(tmp_path, monkeypatch):
    import bot.knowledge as knowledge
    from bot.db import Database
    from bot.knowledge import reading

    from .conftest import SHIPPED, knowledge_migrations

    async def open_kb(name):
        db = await Database(tmp_path / f"{name}.db").open()
        await db.migrate(knowledge_migrations())
        return db, await knowledge.KnowledgeBase.open(db, SHIPPED)

    db, in_thread = await open_kb("thread")
    used = []
    real_run = knowledge.ProcessWorker.run

    async def counted(self, fn, *args):
        used.append(fn)
        return await real_run(self, fn, *args)

    monkeypatch.setattr(knowledge, "READ_IN_WORKER", 1)
    monkeypatch.setattr(knowledge.ProcessWorker, "run", counted)
    db2, in_worker = await open_kb("worker")
    try:
        assert used == [reading.read_batch]
        assert in_worker._reading_values.shape == in_thread._reading_values.shape
        assert np.allclose(in_worker._reading_values, in_thread._reading_values, atol=1e-6)
        assert in_worker._reading_values.any()
    finally:
        await db.close()
        await db2.close()


async def test_sections_that_cannot_be_read_are_indexed_without_a_reading(db, monkeypatch, caplog):
    import bot.knowledge as knowledge
    from bot.knowledge import reading

    from .conftest import SHIPPED

    def broken(batch):
        raise OSError("no topic model here")

    monkeypatch.setattr(reading, "read_batch", broken)
    kb = await knowledge.KnowledgeBase.open(db, SHIPPED)
    assert "could not read the sections' topics" in caplog.text
    article = kb.articles[kb.get("baclofen").article.file]
    assert kb._reading(article, 0) == {"heading": {}, "content": {}}
    kb._model = await kb._model_loading
    assert (await kb.ask("is baclofen addictive")).answered  # still answers, from the other features


async def test_a_long_posts_question_sentence_also_decides_its_topic(kb, monkeypatch):
    import bot.knowledge as knowledge

    class Model:
        def predict(self, text):
            focus = "could the tablets be doing that?" in text and "82" not in text
            scores = {"side_effects": 0.9, "suitability": 0.1} if focus else {"side_effects": 0.1, "suitability": 0.25}
            best = max(scores, key=scores.get)
            return topics.Prediction(best, 0.0, scores)

    monkeypatch.setattr(kb, "_model", Model())
    post = "my dad is 82 and on pramipexole for his legs. he sees people in his room at night. could the tablets be doing that?"
    prediction = kb._predict(post)
    w = knowledge.QUESTION_WEIGHT
    assert prediction.scores["side_effects"] == pytest.approx((1 - w) * 0.1 + w * 0.9)
    assert prediction.topic == "side_effects"  # 0.26 against 0.22 for suitability; the whole post alone reads as suitability
    # a one-sentence question is read whole
    assert kb._predict("is pramipexole ok for an 82 year old").topic == "suitability"


async def test_an_article_indexed_without_its_reading_is_read_at_the_next_start(db, monkeypatch):
    import bot.knowledge as knowledge
    from bot.knowledge import reading

    from .conftest import SHIPPED

    real = reading.read_batch

    def broken(batch):
        raise OSError("no topic model here")

    monkeypatch.setattr(reading, "read_batch", broken)
    first = await knowledge.KnowledgeBase.open(db, SHIPPED)
    assert sorted(first.reindexed) == ["baclofen.md", "memantine.md"]
    monkeypatch.setattr(reading, "read_batch", real)
    second = await knowledge.KnowledgeBase.open(db, SHIPPED)
    assert sorted(second.reindexed) == ["baclofen.md", "memantine.md"]  # read this time
    article = second.articles[second.get("baclofen").article.file]
    assert second._reading(article, 0)["content"]
    third = await knowledge.KnowledgeBase.open(db, SHIPPED)
    assert third.reindexed == []  # read once, kept
