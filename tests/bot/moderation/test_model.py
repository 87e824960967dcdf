"""The learned layer: features, deterministic training, thresholds, gates and the layers."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from bot.moderation import features as F
from bot.moderation import learning
from bot.moderation.context import GATE_SCORES, is_question, model_gates
from bot.moderation.model import (
    LABELS,
    CorpusError,
    Example,
    Model,
    Scores,
    Thresholds,
    choose_thresholds,
    load_corpus,
    read_tsv,
    train,
)
from bot.moderation.rules import RuleSet, custom_rule
from bot.moderation.scanner import Learned, Scanner
from bot.moderation.service import Moderation
from bot.settings import PROJECT_ROOT

from .conftest import ROOT

CORPUS = ROOT / "data" / "moderation" / "corpus"
NOW = datetime(2026, 3, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def small():
    """A few hundred corpus rows of every label: enough to train in a second."""
    rows = load_corpus(CORPUS)
    by_label: dict[str, list[Example]] = {}
    for ex in rows:
        by_label.setdefault(ex.label, []).append(ex)
    return [ex for label in LABELS for ex in by_label[label][::12]]


def write_corpus(folder, examples):
    """The examples as a corpus folder of one TSV, for retraining a server's model from it."""
    folder.mkdir()
    (folder / "part.tsv").write_text(
        "".join(f"{e.label}\t{e.subtype}\t{e.text}\t{e.source}\n" for e in examples), encoding="utf-8"
    )
    return folder


@pytest.fixture(scope="module")
def small_model(small):
    return train(small, folds=3)


def test_features_words_pairs_letter_groups_and_cues():
    readable = F.prepare("Does 5G cause RLS? My aunt says so lol")
    words, grams, cues = F.all_features(readable)
    assert "5g" in words and "cause rls" in words
    assert " 5g " in grams and "aun" in grams
    assert {"question", "reported", "debunk", "self"} <= set(cues)
    pitch = F.prepare("20% off with code LEGS20, link in bio")
    assert {"code", "link"} <= set(F.cues(pitch, F.tokens(pitch)))
    experience = F.prepare("I stopped ropinirole last year, it helped me a bit")
    assert "first_person_past" in F.cues(experience, F.tokens(experience))


def test_cue_bits_are_the_cues():
    """The scorer's per-word and per-pair cue bits give exactly the cues of :func:`features.cues`."""
    texts = [ex.text for ex in load_corpus(CORPUS)[::7]] + [
        "Does 5G cause RLS? My aunt says so lol", "20% off with code LEGS20, link in bio", "?", "$", "",
        "i tried it and it did nothing for me", "has anyone tried this", "€5 off today", "only £10",
        "do your own research people", "do your research", "talk to your doctor first", "is it true?",
    ]
    for text in texts:
        readable = F.prepare(text)
        words = F.tokens(readable)
        cues = [F.word_cues(w) for w in words]
        bits = 0
        for i, (own, _, phrases) in enumerate(cues):
            bits |= own
            if i + 1 < len(words) and words[i + 1] in phrases:
                bits |= F.phrase_bits(words, i, phrases[words[i + 1]])
        found = F.cue_bits(readable, bits, cues[0][1] if cues else 0)
        assert [n for n in F.CUE_NAMES if found & F.CUE_BIT[n]] == F.cues(readable, words), text


def test_ascii_text_is_split_into_the_same_words():
    """Plain ASCII takes a shorter path through :func:`features.tokens`, with the same words."""
    import itertools
    import re

    general = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
    ascii_chars = [chr(i) for i in range(128)]
    for a, b, c in itertools.product(ascii_chars, "a'_1 Z", ascii_chars):
        text = f"{a}{b}{c}x'{a}{c}"
        assert F.tokens(text) == general.findall(text), repr(text)
    assert F.tokens("it's 5g, not my_wifi") == ["it's", "5g", "not", "my", "wifi"]


def test_block_quotes_are_someone_elses_words():
    assert F.strip_block_quotes("> magnesium cures rls\nno it doesn't, sorry") == "no it doesn't, sorry"
    assert F.strip_block_quotes("> only a quote") == "> only a quote"


def test_training_is_deterministic_and_the_saved_model_is_plain_arrays(small, tmp_path):
    a, b = train(small, folds=3), train(small, folds=3)
    a.save(tmp_path / "a")
    b.save(tmp_path / "b")
    for path in sorted((tmp_path / "a").iterdir()):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name
    assert {p.suffix for p in (tmp_path / "a").iterdir()} == {".json", ".npy"}
    loaded = Model.load(tmp_path / "a", small)
    text = "magnesium oil cured my legs for good, you'll never need pills again"
    assert loaded.score(text).probabilities == pytest.approx(a.score(text).probabilities, abs=1e-5)


def test_a_loaded_model_keeps_its_arrays_when_the_folder_is_retrained(small, small_model, tmp_path):
    """The arrays are mapped from their files; saving writes new files and renames them into place."""
    small_model.save(tmp_path / "m")
    loaded = Model.load(tmp_path / "m", small)
    text = "magnesium oil cured my legs for good, you'll never need pills again"
    before = loaded.score(text).probabilities
    other = train(small[::2], folds=0, thresholds=small_model.thresholds)
    other.save(tmp_path / "m")
    assert not list((tmp_path / "m").glob(".*"))  # nothing half-written left behind
    loaded._reset_cache()  # read the mapped arrays again
    assert loaded.score(text).probabilities == before
    assert Model.load(tmp_path / "m", small[::2]).score(text).probabilities == pytest.approx(
        other.score(text).probabilities, abs=1e-5
    )


def test_the_fast_scores_are_the_straightforward_scores(small_model, small):
    for ex in small[::5]:
        readable = F.prepare(ex.text)
        assert np.allclose(small_model.logits(readable), small_model.logits_naive(readable), atol=1e-6), ex.text


def test_the_model_reads_claims_and_crisis_in_members_own_words():
    from bot.moderation.cli import load_model
    from bot.settings import Settings

    model = load_model(Settings.load({}, env_file=Path("/nonexistent")))
    th = model.thresholds
    assert model.score("5G towers are what really cause restless legs, wake up people").claim >= th.alert
    assert model.score("won't be needing next month's appointment, thanks for everything all of you").crisis >= th.crisis
    assert model.score("this itch is killing me lol").crisis < th.crisis
    assert model.score("morning all ☕").claim < th.alert
    near = model.nearest("5g masts cause rls", 3)
    assert len(near) == 3 and near[0][0] >= near[1][0] >= near[2][0]
    assert all("5g" in ex.text.lower() or "mast" in ex.text.lower() for _, ex in near)


def test_scanning_and_explaining_with_the_shipped_model_need_no_scipy():
    """scipy (~12 MB) is not imported to load the model, to scan, or for the nearest examples (read
    from the shipped files); only a server's own examples would need it."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from bot.moderation.cli import load_model\n"
        "from bot.moderation.rules import load_rules\n"
        "from bot.moderation.scanner import Scanner\n"
        "from bot.settings import DEFAULT_MODERATION_RULES, PROJECT_ROOT, Settings\n"
        "model = load_model(Settings.load({}, env_file=Path('/nonexistent')))\n"
        "scanner = Scanner(load_rules(PROJECT_ROOT / DEFAULT_MODERATION_RULES), model=model)\n"
        "assert scanner.scan('5G towers are what really cause restless legs, wake up people').flagged\n"
        "print('scipy' in sys.modules)\n"
        "print(len(scanner.scan('5g masts cause rls', explain=True).neighbours), 'scipy' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "3", "False"]


def test_thresholds_follow_what_each_flag_does():
    labels = ["none"] * 6 + ["miracle_cure"] * 4 + ["crisis"] * 4 + ["none"] * 4
    subtypes = [""] * 14 + ["hyperbole"] * 4
    probs = np.zeros((18, len(LABELS)))
    claim = [0.1, 0.2, 0.3, 0.6, 0.1, 0.1, 0.7, 0.8, 0.9, 0.95]
    for i, p in enumerate(claim):
        probs[i, 1] = p
    crisis = [0.2, 0.4, 0.6, 0.8, 0.1, 0.15, 0.3, 0.5]  # four crisis, four hyperbole
    for i, p in enumerate(crisis):
        probs[10 + i, 6] = p
    probs[:, 0] = 1 - probs.sum(axis=1)
    th, metrics = choose_thresholds(probs, labels, subtypes)
    assert 0.6 < th.alert <= 0.7  # the lowest threshold that keeps alerts precise (above the 0.6 non-claim)
    assert th.public > 0.6
    # Crisis: as low as hyperbole allows (no hyperbole message at 0.51 or over).
    assert 0.3 < th.crisis <= 0.51 and metrics["hyperbole_as_crisis"] == 0.0


def test_context_gates():
    assert is_question("does wifi cause rls?") and is_question("is magnesium a cure. anyone know")
    assert not is_question("wifi causes rls. wake up")
    assert model_gates("there is no evidence 5g causes rls") == ["debunking"]
    assert model_gates("my aunt says wifi causes it") == ["reported"]
    assert model_gates("5g causes rls, wake up people") == []
    # a question that takes its claim as given asks nothing: it needs far less to be flagged
    for loaded in (
        "why is big pharma hiding the cure???",
        "why will not doctors admit 5g causes this?",
        "is not it obvious the fda buries cheap cures?",
        "how come nobody mentions the masts went up the same year",
        "when will people wake up and see what the vaccines did to our legs?",
    ):
        assert model_gates(loaded) == ["loaded"], loaded
    for asked in (
        "why is my ferritin so low?",
        "why would pharma hide a cure they could sell?",
        "why do people think wifi causes it?",
        "does 5g cause rls?",
    ):
        assert model_gates(asked) == ["question"], asked
    assert GATE_SCORES["question"] > GATE_SCORES["loaded"]


def test_a_loaded_question_alerts_moderators_but_is_never_answered_publicly(ruleset):
    certain = _Stub(claim=0.99, category="regulator_conspiracy", best=0.99)
    scanner = Scanner(ruleset, model=certain)
    loaded = scanner.scan("why is big pharma hiding the cure???")
    assert loaded.flagged and loaded.layer == "model" and not loaded.public
    likely = Scanner(ruleset, model=_Stub(claim=0.7, category="regulator_conspiracy", best=0.7))
    assert likely.scan("why is big pharma hiding the cure???").flagged
    assert not likely.scan("why would big pharma hide a cure they could sell?").flagged  # a real question
    asked = scanner.scan("why would big pharma hide a cure they could sell?")
    assert not asked.public  # even when the model is sure, a question is not answered in public
    stated = Scanner(RuleSet(()), model=certain).scan("big pharma is hiding the cure, wake up")
    assert stated.layer == "model" and stated.public  # the same claim stated outright


class _Stub:
    """A model whose scores a test sets."""

    def __init__(self, claim=0.0, crisis=0.0, category="invented_cause", best=None):
        self.thresholds = Thresholds(alert=0.4, public=0.9, crisis=0.3)
        self._scores = Scores({}, claim, category, claim if best is None else best, crisis)

    def score_prepared(self, readable, naive=False):
        return self._scores

    def score(self, text):
        return self._scores

    def nearest(self, text, k=3, extra=()):
        return []


def test_layers_decide_in_order(ruleset):
    rule_text = "5G causes RLS"
    assert Scanner(ruleset, model=_Stub(claim=0.9)).scan(rule_text).layer == "rule"
    # The model vetoes a rule match it is sure is no claim, and says so.
    vetoed = Scanner(ruleset, model=_Stub(claim=0.01)).scan(rule_text, explain=True)
    assert not vetoed.flagged and "confident it is not a claim" in vetoed.skipped[-1].reason
    by_model = Scanner(ruleset, model=_Stub(claim=0.5)).scan("the moon phase decides how bad my legs get, for all of us")
    assert by_model.flagged and by_model.layer == "model" and not by_model.public
    assert Scanner(ruleset, model=_Stub(claim=0.95)).scan("the moon decides it for all of us").public
    crisis = Scanner(ruleset, model=_Stub(crisis=0.5)).scan("sorting my things out for the last time")
    assert crisis.kind == "crisis" and crisis.layer == "model"
    asked = Scanner(ruleset, model=_Stub(claim=0.9)).scan("does the moon decide it?", explain=True)
    assert not asked.flagged and "a question" in asked.skipped[-1].reason
    # Phrase crisis comes first, whatever the model says.
    assert Scanner(ruleset, model=_Stub()).scan("I want to die").layer == "rule"


def test_a_rule_the_moderators_wrote_is_not_overruled_by_the_model(ruleset):
    own = custom_rule("copper-cure", "miracle_cure", ["copper insole*/bracelet* ... fix*/cure*"], "No evidence.")
    text = "copper insoles fix RLS overnight, get some"
    doubtful = _Stub(claim=0.01, category="miracle_cure")
    assert not Scanner(ruleset, model=doubtful).scan(text).flagged  # no shipped rule; the model says no
    hit = Scanner(ruleset.plus([own]), model=doubtful).scan(text)
    assert hit.flagged and hit.rule == "copper-cure" and hit.layer == "rule"
    # its context checks still apply
    assert not Scanner(ruleset.plus([own]), model=doubtful).scan("do copper insoles fix RLS?").flagged


def test_public_rules_need_the_model_to_agree(ruleset):
    text = "Just stop taking your ropinirole cold turkey, you'll be fine"
    assert Scanner(ruleset, model=_Stub(claim=0.9)).scan(text).public
    assert not Scanner(ruleset, model=_Stub(claim=0.2)).scan(text).public
    assert Scanner(ruleset).scan(text).public  # rules alone: the rule's own mark


def test_moderators_decisions_are_followed(small_model, ruleset):
    text = "copper anklets from the market sort restless legs out"
    learned = Learned(small_model, [Example("miracle_cure", text, "", "teach")])
    hit = Scanner(ruleset, model=_Stub(claim=0.0), learned=learned).scan(text + "!")
    assert hit.flagged and hit.layer == "learned" and hit.category == "miracle_cure"
    dismissed = Learned(small_model, [Example("none", "5G causes RLS", "", "dismiss")])
    quiet = Scanner(ruleset, model=_Stub(claim=0.9), learned=dismissed).scan("5G causes RLS!!")
    assert not quiet.flagged and quiet.layer == "learned"


def test_corpus_errors_name_the_line(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("# comment\nmiracle_cure\tcure\tok text\tsrc\nweird\tx\ttext\tsrc\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="bad.tsv:3: unknown label"):
        read_tsv(bad)
    with pytest.raises(CorpusError):
        train([])


async def test_decisions_become_examples_and_retraining_folds_them_in(db, small, small_model, tmp_path, ruleset):
    corpus = write_corpus(tmp_path / "corpus", small)
    service = Moderation(ruleset, small_model, corpus_dir=corpus, cache_dir=tmp_path / "models")
    assert await learning.record_decision(
        db, 1, case_number=1, action="dismiss", text="x y z", category="miracle_cure", author_id=7,
        moderator_id=9, now=NOW,
    ) == "none"
    assert await learning.record_decision(
        db, 1, case_number=2, action="remove", text="a b c", category="miracle_cure", author_id=8,
        moderator_id=9, now=NOW,
    ) == "miracle_cure"
    assert await learning.record_decision(
        db, 1, case_number=3, action="reply", text=None, category="miracle_cure", author_id=8, moderator_id=9, now=NOW
    ) is None
    count = await service.teach(db, 1, text="the blue tea sorts it", label="miracle_cure", moderator_id=9, now=NOW)
    assert count == 3
    state = await learning.state(db, 1)
    assert state.pending == 3 and not learning.due(state) and learning.due(state, nightly=True)

    async def run(fn, *args):
        return await asyncio.to_thread(fn, *args)

    assert await service.retrain(db, 1, run, now=NOW)
    state = await learning.state(db, 1)
    assert state.examples_in_model == 3 and state.pending == 0 and state.trained_at == NOW
    assert service.model_for(1) is not small_model and service.model_for(2) is small_model
    # After a restart the retrained model is read back from its cache folder.
    fresh = Moderation(ruleset, small_model, corpus_dir=corpus, cache_dir=tmp_path / "models")
    assert await fresh.load_learned(db) == 1
    assert fresh.model_for(1).corpus_hash == service.model_for(1).corpus_hash
    # A member's data goes with them; a server's with it.
    assert await learning.forget_user(db, 8) == 1
    assert await learning.count_for_user(db, 7) == 1
    assert await service.forget_guild(db, 1) == 2
    assert (await learning.state(db, 1)).examples == 0


async def test_teaching_refuses_bad_input(db):
    from bot.errors import UserError

    with pytest.raises(UserError):
        await learning.teach(db, 1, text="   ", label="none", moderator_id=1, now=NOW)
    with pytest.raises(UserError):
        await learning.teach(db, 1, text="ok", label="spam", moderator_id=1, now=NOW)


async def test_a_change_rebuilds_the_servers_scanner_at_once_and_a_deletion_empties_it(db, small_model, ruleset):
    service = Moderation(ruleset, small_model)
    await service.teach(db, 1, text="the blue tea sorts it", label="miracle_cure", moderator_id=9, now=NOW)
    built = service._scanners[1]  # rebuilt by the change, not left for the next message
    assert built.learned is not None and [e.text for e in built.learned.examples] == ["the blue tea sorts it"]
    await learning.record_decision(
        db, 1, case_number=1, action="dismiss", text="x y z", category="miracle_cure", author_id=7,
        moderator_id=9, now=NOW,
    )  # fmt: skip
    await service.refresh(db, 1)
    assert len(service._scanners[1].learned) == 2
    assert await learning.forget_user(db, 7) == 1
    assert await service.refresh_all(db) == 1
    assert [e.text for e in service._scanners[1].learned.examples] == ["the blue tea sorts it"]


async def test_a_failed_rebuild_loses_nothing_the_moderator_taught(db, small_model, ruleset, monkeypatch):
    service = Moderation(ruleset, small_model)

    async def broken(conn, guild_id):
        raise OSError("disk I/O error")

    monkeypatch.setattr(service, "_ruleset", broken)
    count = await service.teach(db, 1, text="the blue tea sorts it", label="miracle_cure", moderator_id=9, now=NOW)
    assert count == 1 and 1 not in service._scanners  # saved; the next message builds the scanner
    monkeypatch.undo()
    assert (await service.scanner(db, 1)).learned.examples[0].text == "the blue tea sorts it"


def test_nearest_examples_from_the_shipped_files_match_the_full_vectors():
    from bot.moderation.cli import load_model
    from bot.settings import Settings

    shipped = load_model(Settings.load({}, env_file=Path("/nonexistent")))
    assert shipped is not None and shipped._neighbour_files is not None
    rebuilt = Model.load(PROJECT_ROOT / "data" / "moderation" / "model", examples=shipped.examples)
    rebuilt._neighbour_files = None  # the vectors built in memory, with scipy
    for text in ("5G causes rls wake up people", "i just want to sleep and not wake up", "dm me for cheap pregabalin"):
        mapped, full = shipped.nearest(text, 3), rebuilt.nearest(text, 3)
        assert [ex.text for _, ex in mapped] == [ex.text for _, ex in full]
        assert all(abs(a - b) < 2e-3 for (a, _), (b, _) in zip(mapped, full, strict=True))


async def test_a_server_model_that_learned_from_a_deleted_member_is_dropped_at_once(
    db, small, small_model, tmp_path, ruleset
):
    import bot.moderation.privacy  # noqa: F401 - registers the moderation categories
    from bot import privacy

    corpus = write_corpus(tmp_path / "corpus", small)
    models = tmp_path / "models"
    service = Moderation(ruleset, small_model, corpus_dir=corpus, cache_dir=models)
    for number, (author, text) in enumerate([(7, "x y z"), (8, "the blue tea sorts it")], start=1):
        await learning.record_decision(
            db, 1, case_number=number, action="remove", text=text, category="miracle_cure", author_id=author,
            moderator_id=9, now=NOW,
        )  # fmt: skip

    async def run(fn, *args):
        return await asyncio.to_thread(fn, *args)

    assert await service.retrain(db, 1, run, now=NOW)
    learned = service.model_for(1)
    assert learned is not small_model and len(list(models.iterdir())) == 1
    assert any("blue" in word for word in learned.word_vocab)  # the member's words are in it

    learned_examples = next(c for c in privacy.categories() if c.key == "learned_examples")
    async with db.transaction() as tx:  # what /mydata delete does to them
        assert await learned_examples.delete(tx, 8, privacy.Context(now=NOW, retention_days=90)) == 1
    assert await service.drop_forgotten(db) == [1]
    assert service.model_for(1) is small_model  # the shipped model stands in, at once
    assert list(models.iterdir()) == []  # and nothing trained on their words is left on disk
    # rebuilt from the server's other examples, it no longer knows the member's words
    assert await service.retrain(db, 1, run, now=NOW)
    assert not any("blue" in word for word in service.model_for(1).word_vocab)
    assert len(list(models.iterdir())) == 1
    assert await service.drop_forgotten(db) == []  # a model made without them stays


async def test_a_model_trained_while_its_examples_were_deleted_is_not_used(db, small, small_model, tmp_path, ruleset):
    corpus = write_corpus(tmp_path / "corpus", small)
    service = Moderation(ruleset, small_model, corpus_dir=corpus, cache_dir=tmp_path / "models")
    await learning.record_decision(
        db, 1, case_number=1, action="remove", text="the blue tea sorts it", category="miracle_cure", author_id=8,
        moderator_id=9, now=NOW,
    )  # fmt: skip

    async def run(fn, *args):
        result = await asyncio.to_thread(fn, *args)
        await learning.forget_user(db, 8)  # the member deletes their data while it trains
        return result

    assert not await service.retrain(db, 1, run, now=NOW)
    assert service.model_for(1) is small_model
    assert (await learning.state(db, 1)).model_hash is None
    assert list((tmp_path / "models").iterdir()) == []
