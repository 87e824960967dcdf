"""Questions in members' own words: which treatment, which topic, and whether an article answers."""

from __future__ import annotations

import dataclasses

import pytest

from bot.knowledge import Answer, KnowledgeBase, topics
from bot.knowledge.describe import Descriptions, descriptive_words
from bot.knowledge.importer import import_file
from bot.knowledge.sections import section_topics
from tests.bot.knowledge.conftest import ROOT

SIDE_EFFECTS_BACLOFEN = "Side Effects, Risks, and Considerations When Using Baclofen for RLS"
SIDE_EFFECTS_MEMANTINE = "Considering the Potential Side Effects of Memantine"


@pytest.mark.parametrize(
    ("question", "slug", "topic", "section"),
    [
        ("is lioresal habit forming", "baclofen", "dependence", SIDE_EFFECTS_BACLOFEN),
        ("heard memantine can give you fits", "memantine", "serious_risks", SIDE_EFFECTS_MEMANTINE),
        ("baclofin sleepy all day", "baclofen", "side_effects", SIDE_EFFECTS_BACLOFEN),
        (
            "does the alzheimer's drug help with jumpy legs",
            "memantine",
            None,
            None,
        ),
        (
            "My husband is 72 and takes baclofen. Lately he is muddled and unsteady on his feet and "
            "I wonder if it is the tablets. He was fine before he started them.",
            "baclofen",
            None,
            SIDE_EFFECTS_BACLOFEN,
        ),
        ("the muscle relaxer left me with brain fog the next day", "baclofen", "side_effects", None),
        ("is it dangerous to run out of lioresal", "baclofen", None, SIDE_EFFECTS_BACLOFEN),
    ],
)
async def test_lay_questions_are_understood_and_answered(kb, question, slug, topic, section):
    understood = kb.understand(question)
    assert understood.slugs == [slug]
    if topic:
        assert understood.prediction.topic == topic
    answer = await kb.ask(question)
    assert answer.answered, (question, answer.reason)
    assert answer.results[0].treatment == slug
    assert answer.results[0].topic == answer.topic
    if section:
        assert answer.results[0].section == section


@pytest.mark.parametrize(
    "question",
    [
        "how many mg of baclofen should I take at night",
        "is memantine safe while breastfeeding",
        "can I take baclofen if I'm trying to get pregnant",
        "good morning everyone!",
        "anyone else awake at 3am?",
        "is sleep apnea connected to rls",
        "is ropinirole habit forming",  # no article covers it
        "does tramadol help at night",
        "can I drink alcohol with baclofen",  # the article never mentions alcohol
    ],
)
async def test_off_article_questions_are_refused(kb, question):
    answer = await kb.ask(question)
    assert not answer.answered and answer.results == [], answer.results[:1]


async def test_a_refusal_says_what_the_article_does_cover(kb):
    answer = await kb.ask("is memantine addictive")
    assert not answer.answered
    assert answer.topic == "dependence"
    covered = answer.covered["memantine"]
    assert "dependence" not in covered and "withdrawal" not in covered
    assert {"side_effects", "evidence", "monitoring"} <= set(covered)


def test_descriptions_come_from_what_the_article_says_it_is():
    found = Descriptions(
        {
            "memantine": descriptive_words("A medication typically used to treat Alzheimer's disease."),
            "baclofen": descriptive_words("A muscle relaxant and antispasmodic for spasticity."),
            "rotigotine": descriptive_words(
                "A dopamine agonist worn as a skin patch, also used in Parkinson's."
            ),
        }
    )
    assert found.find("does the dementia drug help") == ["memantine"]
    assert found.find("the muscle relaxer makes me sleepy") == ["baclofen"]
    assert found.find("can I cut the patch in half") == ["rotigotine"]
    assert found.find("do the parkinson's meds cause nausea") == ["rotigotine"]
    assert found.find("my nerve pills make me dizzy") == []  # no article describes nerve pills
    assert found.find("does it cause seizures") == []  # no description at all


def test_a_kind_of_medicine_said_on_its_own_or_a_sleep_aid_describes_one():
    found = Descriptions(
        {
            "clonazepam": descriptive_words("A benzodiazepine used for seizures and panic disorder."),
            "valerian": descriptive_words("A herbal supplement from a root, taken as a sleep aid."),
            "baclofen": descriptive_words("A muscle relaxant and antispasmodic for spasticity."),
        }
    )
    assert found.find("how fast can you get hooked on benzos? like days?") == ["clonazepam"]
    assert found.find("what does benzo withdrawal actually feel like") == ["clonazepam"]
    assert found.find("is that natural sleep aid safe with wine") == ["valerian"]
    assert found.find("does the sleepy herbal tea help legs") == ["valerian"]
    assert found.find("are opioids any good for rls") == []  # no article here on an opioid
    assert found.find("how fast can you get hooked") == []


def test_a_description_may_open_the_question_or_a_sentence_without_the():
    found = Descriptions(
        {
            "memantine": descriptive_words("A medication typically used to treat Alzheimer's disease."),
            "rotigotine": descriptive_words("A dopamine agonist worn as a skin patch, also used in Parkinson's."),
        }
    )
    assert found.find("patch fell off in the shower, can i stick it back on") == ["rotigotine"]
    assert found.find("Went swimming. Patch came off. Do I need a new one?") == ["rotigotine"]
    assert found.find("dementia pills making me dizzy") == ["memantine"]
    assert found.find("fell off my bike, is that why my legs are worse") == []  # a word mid-sentence


def test_a_word_saying_which_one_never_names_a_treatment_alone():
    found = Descriptions(
        {
            "memantine": descriptive_words(
                "A medication typically used to treat Alzheimer's disease. For RLS it is a new, off-label idea."
            ),
            "amantadine": descriptive_words("An old flu drug, also used in Parkinson's disease."),
            "ropinirole": descriptive_words("A dopamine agonist used in Parkinson's disease."),
        }
    )
    assert found.find("my new pills make me sick") == []  # "new" is in memantine's text, but says which
    assert found.find("has anyone tried the new drug") == []
    assert found.find("the old one is better") == []
    assert found.find("the old parkinsons one my neuro mentioned") == ["amantadine"]  # it tells them apart
    assert found.find("the new alzheimers drug") == ["memantine"]


def test_section_topics_from_heading_and_sentences():
    assert "withdrawal" in section_topics(
        "Cautions and Stopping Safely", "Do not stop suddenly: taper over a week with your doctor."
    )
    found = section_topics(
        "Common Side Effects", "Drowsiness and dizziness are the most common side effects."
    )
    assert max(found, key=found.get) == "side_effects"
    assert "what_it_is" not in section_topics(
        "What Is RLS?", "RLS is a neurological disorder with an urge to move.", names_treatment=False
    )
    conclusion = section_topics("Conclusion", "More research and larger trials are needed.")
    research = section_topics("What Research Exists", "More research and larger trials are needed.")
    assert conclusion["evidence"] < research["evidence"]


def test_topic_model_is_rebuilt_from_plain_arrays(tmp_path):
    model = topics.load_model()
    model.save(tmp_path / "m")
    assert not list((tmp_path / "m").glob("*.pkl"))
    again = topics.TopicModel.load(tmp_path / "m")
    for text in ("is medname habit forming", "how many mg of medname", "hi all, new here"):
        assert again.predict(text).topic == model.predict(text).topic
    assert model.predict("how many mg of medname should i take").topic == "dosing"
    assert model.predict("hi all, new here").topic == "chat"


async def test_imported_articles_answer_by_topic(many_kb):
    answer = await many_kb.ask("can you get hooked on lyrica")
    assert answer.answered and answer.results[0].section == "Risks, dependence and stopping safely"
    answer = await many_kb.ask("how does the gabapentin actually work on the nerves")
    assert answer.answered and answer.results[0].section == "How Gabapentin Calms Overactive Nerves"
    answer = await many_kb.ask("ran out of my gabapentin, is it ok to just stop")
    assert answer.answered and answer.results[0].section == "Cautions and Stopping Safely"


@pytest.mark.parametrize(
    ("question", "topic", "says"),
    [
        ("is baclofen safe for kids", "children", "child's doctor"),
        ("how much does baclofen cost without insurance", "access", "pharmacist"),
        ("where can i buy memantine cheap online", "access", "where to get"),
        ("can baclofen stop hiccups", "other_condition", "other conditions"),
    ],
)
async def test_questions_the_articles_never_answer_are_refused_with_a_reason(kb, question, topic, says):
    answer = await kb.ask(question)
    assert not answer.answered and answer.topic == topic and answer.reason == "off-article"
    assert says in kb.explain(answer)


@pytest.mark.parametrize(
    ("question", "section"),
    [
        # a search for what the article says on another condition it mentions
        ("baclofen for ms spasticity", "Baclofen: A Potential Treatment Option"),
        # a lay name for RLS itself, not another condition
        ("does the alzheimer's drug help with jumpy legs", None),
    ],
)
async def test_other_conditions_the_articles_discuss_are_answered(kb, question, section):
    answer = await kb.ask(question)
    assert answer.answered, (question, answer.topic, answer.reason)
    assert answer.topic in topics.ANSWERABLE
    if section:
        assert answer.results[0].section.startswith(section)


@pytest.mark.parametrize(
    "question",
    [
        "is baclofen good for spinal cord injury spasms",
        "will baclofen help the stiffness and spasms from my MS?",
        "is memantine good for my nan's alzheimer's memory problems",
        # RLS named only to say it is not what is asked about
        "does memantine help alzheimers? my dad has dementia, not rls",
        "is baclofen good for back spasms? nothing to do with my legs",
    ],
)
async def test_a_question_about_another_use_the_article_mentions_is_refused(kb, question):
    # the baclofen article says it is used for spasticity, but it is about RLS: no advice on MS
    answer = await kb.ask(question)
    assert not answer.answered and answer.topic == "other_condition" and answer.reason == "off-article"
    assert "other conditions" in kb.explain(answer)


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        # the treatment the question sentence asks about, not one told of on the way
        ("had awful drowsiness on baclofen, does memantine do the same?", "memantine"),
        ("I was on baclofen for a year and it stopped working. Does memantine make you dizzy?", "memantine"),
        ("been on memantine for ages but wondering whether baclofen is habit forming", "baclofen"),
        # both asked about: the first named leads
        ("does baclofen make you drowsier than memantine?", "baclofen"),
        ("compare baclofen and memantine side effects", "baclofen"),
        ("I take memantine and wonder if baclofen is habit forming", "baclofen"),
        # a clause that only compares names the one told of, not the one asked about
        ("will memantine make me drowsy all day, like when i was on baclofen", "memantine"),
        ("is baclofen withdrawal bad, same as with memantine", "baclofen"),
        ("does memantine make you dizzy? just like baclofen did", "memantine"),
        # the question names neither: the last sentence naming one tells, its first name leading
        (
            "I was on baclofen for two years and it stopped helping. Now my neuro wants me on memantine. "
            "Any side effects I should know about?",
            "memantine",
        ),
        ("Tried memantine last spring. My GP has just put me on baclofen. What are the side effects?", "baclofen"),
        ("I read that memantine works as well as baclofen. Is that true? Any side effects?", "memantine"),
    ],
)
async def test_of_two_named_treatments_the_one_asked_about_comes_first(kb, question, asked):
    understood = kb.understand(question)
    assert set(understood.slugs) == {"baclofen", "memantine"}
    assert understood.slugs[0] == asked
    answer = await kb.ask(question)
    assert answer.answered and answer.results[0].treatment == asked


@pytest.mark.parametrize(
    ("question", "slugs"),
    [
        # two letters swapped in a long name is still the name
        ("does menamtine help restless legs", ["memantine"]),
        # a long everyday word is not a misspelt name
        ("any maintenance tips for a night like this", []),
    ],
)
def test_a_long_name_two_letters_off_is_still_the_name(kb, question, slugs):
    assert kb.understand(question).slugs == slugs


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("does the drowsiness ever wear off", "side_effects"),
        ("is it ok to skip nights", "withdrawal"),
        ("can i drink on it", "interactions"),
    ],
)
async def test_a_question_about_a_treatment_that_names_none_asks_which_one(kb, question, topic):
    # no section of any article answers it without knowing which treatment is meant
    answer = await kb.ask(question)
    assert not answer.answered and answer.topic == topic and answer.reason == "no treatment named"
    assert "which treatment do you mean?" in kb.explain(answer)


@pytest.mark.parametrize(
    "question",
    [
        # a name the articles do not know was given
        "does zopiclone make you drowsy",
        "can i take xanthorex with wine",
        # ... or no treatment is asked about at all
        "lol goodnight all",
        "how do I fix my car",
        "how do i get my car fixed cheap",
    ],
)
async def test_a_question_naming_something_else_or_not_about_a_treatment_is_not_asked_which_one(kb, question):
    # asking which treatment is meant would be wrong
    answer = await kb.ask(question)
    assert not answer.answered
    assert "which treatment" not in kb.explain(answer)
    assert "won't guess" in kb.explain(answer)


async def test_an_answer_to_a_question_that_names_no_treatment_says_so(kb):
    # the closest passages in any article, on whichever treatment: the member is told to check
    answer = await kb.ask("is it addictive")
    assert answer.answered and answer.unnamed
    named = await kb.ask("is baclofen addictive")
    assert named.answered and not named.unnamed
    about_rls = await kb.ask("what is rls")  # about RLS itself, not a treatment
    assert about_rls.answered and not about_rls.unnamed


@pytest.mark.parametrize(
    ("question", "slug", "lay"),
    [
        ("memantine for jumpy legs", "memantine", "jumpy"),
        ("baclofen for my jimmy legs", "baclofen", "jimmy"),
        ("is baclofen any use for twitchy legs?", "baclofen", "twitchy"),
    ],
)
async def test_a_word_before_legs_that_no_article_uses_names_rls_itself(kb, question, slug, lay):
    # "jumpy legs" is the member's name for RLS, not a word a passage must say
    query = kb.query_for(kb.understand(question))
    assert lay in {t.word for t in query.generic} and lay not in {t.word for t in query.terms}
    answer = await kb.ask(question)
    assert answer.answered, (question, answer.reason)
    assert answer.results[0].treatment == slug


@pytest.mark.parametrize(
    ("question", "kept"),
    [
        ("do inflatable leg wraps help like baclofen does", "inflatable"),  # a kind of leg wrap
        ("is baclofen good for aching legs", "aching"),  # a word the articles use: it can pick a passage
    ],
)
def test_other_words_about_the_legs_stay_words_a_passage_must_say(kb, question, kept):
    query = kb.query_for(kb.understand(question))
    assert kept in {t.word for t in query.terms}


def test_a_refusal_on_a_topic_the_article_covers_does_not_say_it_is_not_covered(kb):
    # nothing in the article answered this question on side effects, but it has side effects
    answer = Answer("does baclofen turn your tongue blue", False, [], topic="side_effects",
                    reason="not covered", covered={"baclofen": ["what_it_is", "side_effects"]})
    said = kb.explain(answer)
    assert "doesn't cover side effects" not in said
    assert "couldn't find the part of the article on Baclofen" in said and "side effects" in said
    missing = dataclasses.replace(answer, topic="dependence")
    assert "doesn't cover dependence" in kb.explain(missing)


@pytest.mark.parametrize(
    "question",
    ["what helps rls?", "what is the best treatment for restless legs", "any good medication for rls?"],
)
async def test_a_question_too_broad_for_one_passage_is_told_what_the_articles_cover(kb, question):
    answer = await kb.ask(question)
    assert not answer.answered and answer.reason == "too vague"
    said = kb.explain(answer)
    assert "They cover: Baclofen, Memantine. Ask about one of them." in said


@pytest.mark.parametrize("question", ["what causes rls", "does it work"])
async def test_a_question_asking_something_in_particular_is_not_too_broad(kb, question):
    answer = await kb.ask(question)
    assert answer.reason != "too vague"


@pytest.fixture
async def clonazepam_kb(db, shipped_dir):
    """The shipped articles plus one filed under clonazepam (the memantine article's text)."""
    text = (shipped_dir / "memantine.md").read_text(encoding="utf-8")
    text = text.replace("name: Memantine", "name: Clonazepam").replace("slug: memantine", "slug: clonazepam")
    text = text.replace("[Namenda, Ebixa, Axura, memantin, memantene, memantine hydrochloride]", "[Klonopin, Rivotril]")
    (shipped_dir / "memantine.md").unlink()
    (shipped_dir / "clonazepam.md").write_text(text, encoding="utf-8")
    return await KnowledgeBase.open(db, shipped_dir)


@pytest.mark.parametrize(
    ("question", "slug", "word"),
    [
        ("are the klonnies habit forming", "clonazepam", "klonnies"),  # Klonopin, made friendly
        ("klonny hangover every morning", "clonazepam", "klonny"),
        ("is it ok to drink on klonies", "clonazepam", "klonies"),
    ],
)
def test_a_name_cut_short_is_still_the_name(clonazepam_kb, question, slug, word):
    understood = clonazepam_kb.understand(question)
    assert understood.slugs == [slug]
    assert word in understood.words


@pytest.mark.parametrize(
    "question",
    [
        "this meme is me every night",  # three letters of memantine: English
        "feeling a bit ropy tonight",  # ... of ropinirole
        "cutting carbs helped my legs",  # four with a plural "s"
        "should i try the gabby stuff",  # gabapentin: no article covers it, and neither does this
        "clone me so one of us can sleep",  # a word everyone knows is not a cut name
        "skipping rope before bed helps me",  # three letters and "e", not said as a medicine
        "sat on a rope swing with my legs going",  # "on a": not the way a medicine is taken
    ],
)
def test_everyday_words_are_not_names_cut_short(many_kb, question):
    assert many_kb.understand(question).slugs == []


@pytest.fixture
async def buprenorphine_kb(db, shipped_dir):
    """The shipped articles plus the imported buprenorphine article."""
    import_file(ROOT / "tests" / "data" / "imported" / "articles" / "buprenorphine.txt", shipped_dir)
    return await KnowledgeBase.open(db, shipped_dir)


@pytest.mark.parametrize(
    "question",
    [
        "my legs are starting earlier again even on bupe",  # "on": said as a medicine is taken
        "worried about getting hooked on the bupe",
        "started bupe last month, is the itching normal",
        "bupe patch keeps peeling off in the heat",  # before a medicine's form
    ],
)
def test_three_letters_of_a_name_name_it_where_said_as_a_medicine(buprenorphine_kb, question):
    understood = buprenorphine_kb.understand(question)
    assert understood.slugs == ["buprenorphine"]
    assert "bupe" in understood.words


def test_three_letters_of_a_name_said_otherwise_name_nothing(buprenorphine_kb):
    assert buprenorphine_kb.understand("bupe is a funny word").slugs == []


def test_a_cut_that_begins_a_treatment_no_article_covers_names_nothing(kb):
    # "pregab" is pregabalin, which none of the shipped articles covers; it is not baclofen or memantine
    assert kb.understand("is pregab addictive").slugs == []


async def test_a_question_using_a_cut_name_is_answered_from_its_article(many_kb):
    answer = await many_kb.ask("is pregab addictive")
    assert answer.answered, answer.reason
    assert answer.results[0].treatment == "pregabalin"


@pytest.fixture
async def acupuncture_kb(db, shipped_dir):
    """The shipped articles plus an imported article on acupuncture, whose headings ask questions."""
    import_file(ROOT / "tests" / "data" / "imported_new" / "articles" / "acupuncture.txt", shipped_dir)
    return await KnowledgeBase.open(db, shipped_dir)


async def test_a_question_in_small_words_with_one_sure_section_is_answered_not_given_an_overview(acupuncture_kb):
    # no word of it is a search word, and the topic model is unsure, but one section plainly answers
    answer = await acupuncture_kb.ask("Who should not have acupuncture?")
    assert answer.answered
    assert answer.results[0].section == "Who Is a Good Candidate, and Who Should Avoid It?"
    # a name on its own still gets what it is, how it works and the evidence
    answer = await acupuncture_kb.ask("acupuncture?")
    assert [p.section for p in answer.results] == [
        "What Is Acupuncture?",
        "How Is Acupuncture Thought to Work?",
        "What Does the Research Show?",
    ]
