"""Articles on treatments the importer has no list entry for (a vitamin, a device), and the names
members use for them: read from the article itself, imported and asked about end to end."""

from __future__ import annotations

import shutil

import pytest

from bot.knowledge import KnowledgeBase
from bot.knowledge.articles import parse_file
from bot.knowledge.cards import draft_topic
from bot.knowledge.describe import AMBIGUOUS, Descriptions
from bot.knowledge.importer import (
    brand_names,
    detect_treatment,
    import_file,
    name_variants,
    parse_raw,
    title_names,
)

from .conftest import ROOT, SHIPPED

TRAINING = ROOT / "data" / "knowledge" / "section_questions" / "articles"
VITAMIN_D = TRAINING / "vitamin-d.txt"
RELAXIS = TRAINING / "relaxis.txt"
METHADONE = TRAINING / "methadone.txt"


def body_of(path) -> tuple[str, str, list[tuple[str, str]]]:
    raw = parse_raw(path.read_text(encoding="utf-8"))
    return raw.title, " ".join(t for _, t in raw.sections), raw.sections


@pytest.mark.parametrize(
    ("title", "body", "name"),
    [
        # the treatment before the title's link to RLS, when the text names it too
        (
            "Vitamin D for Restless Legs Syndrome: What It Can and Cannot Do",
            "vitamin D helps. vitamin D",
            "Vitamin D",
        ),
        ("Can Cannabis Help Restless Legs?", "cannabis and sleep. cannabis", "Cannabis"),
        ("What You Need to Know About Yoga for RLS", "yoga stretches; yoga at night", "Yoga"),
        # the part the text uses on its own: "Relaxis", not "Relaxis Vibrating Pad"
        (
            "The Relaxis Vibrating Pad for RLS",
            "Relaxis is a pad. Relaxis vibrates. Relaxis again.",
            "Relaxis",
        ),
        # a list: the first is the treatment
        ("Cannabis, CBD and Restless Legs: What We Know", "cannabis here, CBD there, cannabis", "Cannabis"),
        # no link to RLS: the leading phrase, when the text names it often
        ("Compression Stockings: An Honest Review", "compression stockings " * 4, "Compression Stockings"),
        # a known treatment in the title still wins, and the text's most named one without a title
        ("Why I Switched From Requip", "", "Ropinirole"),
        ("Night thoughts", "I take baclofen. baclofen helps.", "Baclofen"),
    ],
)
def test_the_treatment_is_read_from_the_title(title, body, name):
    assert detect_treatment(title, body) == name


def test_a_title_phrase_the_text_never_uses_is_not_taken_for_the_treatment():
    # "Better Nights" is not a treatment the article talks about; the text's medicine is
    assert (
        detect_treatment("Better Nights for Restless Legs", "I tried ropinirole. ropinirole twice.")
        == "Ropinirole"
    )
    assert title_names("Better Nights for Restless Legs", "nothing here") == []


def test_the_articles_own_other_names_become_aliases():
    _, _, sections = body_of(VITAMIN_D)
    variants = name_variants(sections, "Vitamin D")
    # bracketed after the name, the numbered forms, and the short form members type
    assert {"colecalciferol", "cholecalciferol", "Vitamin D3", "D3", "Vit D"} <= set(variants)
    assert "Vitamin D" not in variants
    assert name_variants([("Intro", "Levodopa (L-dopa) is old. Take levodopa (with food).")], "Levodopa") == [
        "L-dopa"
    ]


def test_brand_names_after_brand_names_include():
    title, _, sections = body_of(METHADONE)
    assert brand_names(title, sections, "Methadone") == ["Physeptone", "Dolophine", "Methadose"]


def test_the_defining_sentence_comes_first_in_what_it_is():
    _, _, sections = body_of(VITAMIN_D)
    from bot.knowledge.articles import Section

    drafted = draft_topic("what_it_is", [Section(h, t, 0) for h, t in sections], names=("Vitamin D",))
    assert drafted is not None and drafted.text.startswith("Vitamin D is a fat-soluble vitamin")


DEVICE_SECTIONS = [
    (
        "What Pneumatic Compression Is",
        "Pneumatic compression means squeezing the legs with air. A small electric pump inflates soft "
        "sleeves around the lower legs, then lets them go down again. You may hear it called a sequential "
        "compression device, or SCD.",
    ),
    ("How Strong Is the Evidence?", "Two small studies found less leg discomfort in people who wore the sleeves."),
    (
        "Relying on It and Stopping",
        "Pneumatic compression is not a drug, so it cannot cause dependence or withdrawal. Symptoms "
        "usually return on nights without it.",
    ),
]


def test_what_it_is_comes_from_the_section_whose_heading_says_what_it_is():
    from bot.knowledge.articles import Section

    drafted = draft_topic(
        "what_it_is", [Section(h, t, 0) for h, t in DEVICE_SECTIONS], names=("Pneumatic Compression",)
    )
    # "What Pneumatic Compression Is" and "... means ...", not a later "... is not a drug"
    assert drafted is not None and drafted.sections == ("What Pneumatic Compression Is",)
    assert drafted.text.startswith("Pneumatic compression means squeezing the legs with air.")


async def test_a_device_is_found_by_the_form_it_comes_in(db, tmp_path):
    raw = tmp_path / "compression.txt"
    raw.write_text(
        "Pneumatic Compression for Restless Legs\n\nJan 14, 2026\nBy Hannah Cole\n\n"
        + "\n\n".join(f"{h}\n{t}" for h, t in DEVICE_SECTIONS)
        + "\n"
    )
    folder = tmp_path / "articles"
    shutil.copytree(SHIPPED, folder)
    import_file(raw, folder)
    articles = await KnowledgeBase.open(db, folder)
    assert articles.understand("can the leg pump put strain on your heart?").slugs == ["pneumatic-compression"]
    # a name in the plural is still the name
    assert articles.understand("any long term studies on SCDs for restless legs?").slugs == ["pneumatic-compression"]


def test_an_unlisted_treatment_is_imported_under_its_own_name(tmp_path):
    result = import_file(VITAMIN_D, tmp_path)
    article, problems = parse_file(result.article_path)
    assert problems == []
    assert (article.treatment_name, article.slug) == ("Vitamin D", "vitamin-d")
    assert {"D3", "Vit D", "colecalciferol"} <= set(article.aliases)
    device = parse_file(import_file(RELAXIS, tmp_path).article_path)[0]
    assert (device.treatment_name, device.slug) == ("Relaxis", "relaxis")


@pytest.fixture
async def unlisted_kb(db, tmp_path):
    articles = tmp_path / "unlisted"
    shutil.copytree(SHIPPED, articles)
    for raw in (VITAMIN_D, RELAXIS, METHADONE):
        import_file(raw, articles)
    kb = await KnowledgeBase.open(db, articles)
    kb._model = await kb._model_loading
    return kb


@pytest.mark.parametrize(
    ("question", "slug", "heading"),
    [
        ("does vit d cause headaches", "vitamin-d", "Side effects"),
        ("can too much D3 make you ill?", "vitamin-d", "Can You Take Too Much?"),
        ("the vibrating pad made my legs itchy where it touched, is that normal", "relaxis", "Side effects"),
        ("can physeptone make you constipated", "methadone", "Side Effects"),
    ],
)
async def test_members_names_for_an_unlisted_treatment_find_its_article(unlisted_kb, question, slug, heading):
    answer = await unlisted_kb.ask(question)
    assert answer.answered, answer.reason
    assert (answer.results[0].treatment, answer.results[0].section) == (slug, heading)


def test_a_description_several_treatments_fit_names_them_all_best_first():
    found = Descriptions(
        {
            "ropinirole": {"dopami", "parkin", "agonis"},
            "pramipexole": {"dopami", "parkin", "agonis"},
            "baclofen": {"muscle", "relaxa", "spasti"},
            "memantine": {"alzhei", "dement"},
        }
    )
    assert sorted(found.find("is the parkinsons pill making me sleepy")) == ["pramipexole", "ropinirole"]
    assert found.find("is the muscle relaxer making me sleepy") == ["baclofen"]
    # a description that fits more than a few treatments says nothing about which
    many = Descriptions({f"t{i}": {"dopami"} for i in range(AMBIGUOUS + 1)} | {"other": {"alzhei"}})
    assert many.find("the dopamine pill") == []


async def test_a_described_treatment_is_answered_from_the_surest_article_first(unlisted_kb):
    # "the long acting opioid" describes methadone only among these articles
    answer = await unlisted_kb.ask("can the long acting opioid make you constipated")
    assert answer.answered and answer.results[0].treatment == "methadone"


def test_a_title_word_the_text_uses_less_than_a_known_treatment_is_not_the_treatment():
    body = "living with it is hard; living on. " + "ropinirole helped me. " * 6
    assert detect_treatment("Living With Restless Legs: My Story", body) == "Ropinirole"


def test_only_a_name_like_vitamin_d_gets_a_short_form():
    assert name_variants([("Intro", "Compression stockings squeeze.")], "Compression Stockings") == []
    assert name_variants([("Intro", "Vitamin B12 helps.")], "Vitamin B12") == ["Vit B12"]


DEVICE_BODY = (
    "Pneumatic compression squeezes the legs with air. The compression comes in waves. "
    "Compression is worn in the evening, and compression sleeves are washable. "
    "Have your iron checked first: iron, iron and iron again matter in RLS."
)


def test_a_title_name_the_text_calls_by_its_last_word_is_the_treatment():
    # "compression" all through the text counts for "Pneumatic Compression", over a known
    # treatment the article mentions on the side
    assert detect_treatment("Pneumatic Compression for Restless Legs", DEVICE_BODY) == "Pneumatic Compression"
    assert name_variants([("Intro", DEVICE_BODY)], "Pneumatic Compression") == ["compression"]


def test_capital_short_names_built_on_the_name_become_other_names():
    body = (
        "Pneumatic compression squeezes the legs. You may hear it called a sequential compression device, "
        "SCD or IPC. Compression is done at night. Compression helps some. Compression is safe. "
        "It is not a treatment for DVT or RLS."
    )
    variants = name_variants([("Intro", body)], "Pneumatic Compression")
    assert {"SCD", "IPC", "compression"} == set(variants)  # not DVT or RLS, which are not its names


def test_a_last_word_the_text_seldom_uses_alone_is_not_an_other_name():
    body = "A heated blanket warms the legs. The heated blanket goes on at nine. Heated blankets help."
    assert name_variants([("Intro", body)], "Heated Blanket") == []


def test_a_limited_evidence_summary_names_the_limits_without_saying_only():
    from bot.knowledge.cards import grade_evidence

    _, _, sections = body_of(VITAMIN_D)
    text = dict(sections)["What the Research Really Shows"]
    level, summary = grade_evidence(text)
    # the section describes pilot studies and also a placebo-controlled trial and a meta-analysis
    assert level == "Limited" and "pilot studies" in summary and "only" not in summary
    assert grade_evidence("More research is needed before anyone can say.")[1] == "The article says more research is needed."
    assert "It says more research is needed." in grade_evidence("A pilot study of ten people. Larger trials are needed.")[1]


def test_what_it_is_comes_from_the_section_whose_heading_asks_it():
    from bot.knowledge.articles import Section

    _, _, sections = body_of(TRAINING / "levodopa.txt")
    # no sentence of "What Is Levodopa and When Is It Used for RLS?" has a "what it is" cue; a later
    # section has one ("prescribed") in a sentence that does not say what levodopa is
    drafted = draft_topic("what_it_is", [Section(h, t, 0) for h, t in sections], names=("Levodopa",))
    assert drafted.section == "What Is Levodopa and When Is It Used for RLS?"
    assert drafted.text.startswith("Levodopa has been the mainstay of Parkinson's disease treatment")


def test_the_condition_itself_is_never_taken_for_the_treatment(tmp_path):
    body = "restless legs keep me up. restless legs again. restless legs every night. I walk a lot."
    assert detect_treatment("Restless Legs: My Story", body) is None
    assert title_names("Restless Legs and Walking for RLS", body) == []
    # the importer then asks for the treatment's name rather than calling it "Restless"
    raw = tmp_path / "story.txt"
    raw.write_text(f"Restless Legs Syndrome: My Story\n\nMar 3, 2025\nA. Member\n\nHow It Started\n\n{body}\n")
    from bot.knowledge.importer import ImportError_

    with pytest.raises(ImportError_, match="--treatment"):
        import_file(raw, tmp_path / "out")


def test_a_word_of_a_longer_name_and_a_distinctive_form_describe_a_treatment():
    from bot.knowledge.describe import descriptive_words

    found = Descriptions(
        {
            "vitamin-d": descriptive_words("Vitamin D keeps bones strong. Sunlight makes it.", ("Vitamin D", "D3")),
            "relaxis": descriptive_words("Relaxis is a vibrating pad.", ("Relaxis",)),
            **{
                name: descriptive_words(f"{name} is a tablet for Parkinson's disease.", (name,))
                for name in ("ropinirole", "pramipexole", "levodopa")
            },
            "memantine": descriptive_words("Memantine is a tablet for Alzheimer's disease.", ("Memantine",)),
        }
    )
    assert found.find("is the sunshine vitamin worth it") == ["vitamin-d"]  # "vitamin", from its name
    assert found.find("the bone vitamin") == ["vitamin-d"]  # "bone" and "bones" agree
    assert found.find("does the pad stop working after a while") == ["relaxis"]  # one treatment is a pad
    # a form most treatments share says nothing about which
    assert found.find("does the tablet stop working after a while") == []
    # a one-word name is no description of itself
    assert "relaxi" not in descriptive_words("Relaxis is a pad.", ("Relaxis",))


async def test_members_own_words_are_not_taken_for_misspelt_names(db, tmp_path, kb):
    # "neuro" (a neurologist) is one letter from Neupro, but members write it all the time
    folder = tmp_path / "patch"
    shutil.copytree(SHIPPED, folder)
    for raw in (METHADONE, TRAINING / "rotigotine.txt"):
        import_file(raw, folder)
    articles = await KnowledgeBase.open(db, folder)
    articles._model = await articles._model_loading
    assert articles.understand("is neupro ok with a pint").slugs == ["rotigotine"]
    understood = articles.understand("can the long acting opioid my neuro keeps mentioning make you constipated")
    assert understood.slugs == ["methadone"]
    # a misspelt name still is one
    assert articles.understand("does metadone make you constipated").slugs == ["methadone"]
    assert kb.understand("is baclofin habit forming").slugs == ["baclofen"]


HERB = """Nightwort for Restless Legs: What We Know

Mar 1, 2025
A. Writer

A Garden Plant With a Long History

Nightwort (Noctua hortensis) is a tall garden plant whose dried roots are sold as capsules, tea and drops. People have used it for poor sleep for centuries. Herbalists still sell it as a calming remedy.

How It Might Work

Nightwort is thought to act on calming brain signals. The roots contain oils that may quieten nerves. It is not used to treat RLS by doctors, and no drug is made from it.

Liver Reports and Product Quality

A few people taking herbal sleep blends developed liver problems. The liver reports involved mixed products, so it is unclear which herb caused the liver injury. Choose a product with a quality mark, because some capsules contain little of the herb. Tell your doctor about any yellowing of the skin, which can be a sign of liver trouble.

Mixing It With Alcohol and Other Medicines

Alcohol, sleeping tablets and other sedatives add to the drowsiness nightwort causes. Stop taking nightwort two weeks before surgery and tell the anaesthetist. Anyone with liver disease should ask a pharmacist first.
"""


@pytest.fixture
async def herb_kb(db, tmp_path):
    raw = tmp_path / "nightwort.txt"
    raw.write_text(HERB, encoding="utf-8")
    articles = tmp_path / "herb"
    shutil.copytree(SHIPPED, articles)
    import_file(raw, articles)
    kb = await KnowledgeBase.open(db, articles)
    kb._model = await kb._model_loading
    return kb


async def test_an_opening_that_says_what_the_treatment_is_covers_what_it_is(herb_kb):
    treatment = herb_kb.get("nightwort")
    assert treatment is not None
    # the heading names no topic; its first sentence defines the treatment
    assert "what_it_is" in herb_kb.topics_of(treatment.article.file, 0)
    answer = await herb_kb.ask("what actually is nightwort, is it a real plant?")
    assert answer.answered and answer.results[0].section == "A Garden Plant With a Long History"


async def test_a_herbal_remedy_is_found_by_what_members_call_it(herb_kb):
    for question in ("is the herbal sleep stuff safe with a glass of wine", "does the smelly root come as a tea"):
        assert herb_kb.understand(question).slugs == ["nightwort"], question


async def test_the_section_that_says_a_word_most_is_where_the_article_talks_about_it(herb_kb):
    article = herb_kb.articles[herb_kb.get("nightwort").article.file]
    from bot.knowledge import search

    query = search.analyse("does nightwort mess with your liver", ["nightwort"], {"nightwort"})
    focus = herb_kb._word_focus(query, article)
    # "liver": four times in the section on liver reports, once among the other cautions
    assert focus.index(max(focus)) == 2
    assert focus[2] > 3 * focus[3] > 0
    assert abs(sum(focus) - 1.0) < 1e-9


def test_a_shared_word_still_tells_apart_the_treatments_a_distinctive_one_fits():
    found = Descriptions(
        {
            "amantadine": {"old", "flu", "parkin", "antivi"},
            "clonidine": {"old", "blood", "pressu"},
            "valerian": {"old", "herb", "root"},
            **{name: {"parkin", "dopami"} for name in ("ropinirole", "pramipexole", "levodopa", "rotigotine")},
        }
    )
    # "old" fits three, "parkinsons" five: together, one
    assert found.find("the old parkinsons one my neurologist mentioned") == ["amantadine"]
    # a word too many treatments share says nothing on its own
    assert found.find("the parkinsons pill") == []
    # words joined by a slash are words of the description
    assert found.find("the parkinsons/flu pill, does it boost dopamine") == ["amantadine"]


def test_two_describing_words_in_a_row_describe_a_treatment_by_their_initials():
    from bot.knowledge.describe import descriptive_words

    clonidine = descriptive_words(
        "Clonidine is an old blood pressure drug, also used for opioid withdrawal.", ("Clonidine",)
    )
    assert {"bp", "ow"} <= clonidine
    # initials never join words across a clause, and are never a common word
    assert "pd" not in descriptive_words("It lowers pressure. Doctors prescribe it.", ())
    assert "is" not in descriptive_words("An iron supplement.", ())  # "iron supplement"
    # given the defining words, a pair said in passing further on gives no initials
    ropinirole = "Ropinirole is a dopamine agonist. It can lower blood pressure on standing."
    assert "bp" in descriptive_words(ropinirole, ("Ropinirole",))
    assert "bp" not in descriptive_words(ropinirole, ("Ropinirole",), "Ropinirole is a dopamine agonist.")
    assert "da" in descriptive_words(ropinirole, ("Ropinirole",), "Ropinirole is a dopamine agonist.")
    found = Descriptions(
        {
            "clonidine": clonidine,
            "baclofen": descriptive_words("Baclofen is a muscle relaxant used in multiple sclerosis.", ("Baclofen",)),
            **{
                name: descriptive_words(f"{name} is a tablet for Parkinson's disease.", (name,))
                for name in ("ropinirole", "pramipexole")
            },
        }
    )
    assert found.find("can i just pack in the bp tablet they gave me for my legs") == ["clonidine"]
    assert found.find("is the ms drug habit forming") == ["baclofen"]
    assert found.find("does the tablet stop working after a while") == []


async def test_an_imported_blood_pressure_drug_is_the_bp_tablet(db, tmp_path):
    # the ropinirole article says "blood pressure" too, but only in passing: the initials come
    # from the clonidine article's title and defining sentence
    folder = tmp_path / "bp"
    shutil.copytree(SHIPPED, folder)
    for name in ("clonidine", "ropinirole", "dipyridamole"):
        import_file(TRAINING / f"{name}.txt", folder)
    articles = await KnowledgeBase.open(db, folder)
    articles._model = await articles._model_loading
    assert articles.understand("can i just pack in the bp tablet they gave me for my legs").slugs == ["clonidine"]
    assert articles.understand("is the ms drug habit forming").slugs == ["baclofen"]


def test_a_hedge_like_type_or_kind_describes_nothing():
    from bot.knowledge.describe import descriptive_words

    found = Descriptions(
        {
            "magnesium": descriptive_words("Magnesium is a mineral. Several types are sold.", ("Magnesium",)),
            "amantadine": descriptive_words("Amantadine is an old flu and Parkinson's drug.", ("Amantadine",)),
        }
    )
    assert found.find("what do i tell the surgeon about the parkinsons-type pill") == ["amantadine"]
    assert found.find("is the mineral kind of pill any good") == ["magnesium"]


def test_a_heading_that_calls_the_treatment_a_kind_of_medicine_describes_it():
    from bot.knowledge.describe import heading_descriptions

    said = heading_descriptions(
        [
            "An Old Flu Drug With a Second Life",
            "The Sunshine Vitamin and Your Nerves",
            "Magnesium and Your Other Medicines",  # other medicines, not this one
            "Living With the Patch",  # the kind alone describes most treatments
            "Side Effects",
        ]
    )
    assert said == "old flu. sunshine"


async def test_a_treatment_is_found_by_what_its_headings_call_it(unlisted_kb):
    # the vitamin D article's heading calls it "The Sunshine Vitamin"; its opening never does
    assert unlisted_kb.understand("are the studies on the sunshine pills any good").slugs == ["vitamin-d"]
    answer = await unlisted_kb.ask("got a horrid metallic taste since starting the sunshine tablets, normal?")
    assert answer.answered and answer.results[0].treatment == "vitamin-d"
    # a word for a kind of medicine ends a description: "a blood thinner", like "a muscle relaxer"
    from bot.knowledge.describe import PHRASE

    assert [m.group(1) for m in PHRASE.finditer("how can a blood thinner help")] == ["blood thinner"]


def test_equally_described_treatments_come_in_the_order_their_articles_run_through_the_words():
    said = {"rotigotine": [1.0, 0.9], "clonidine": [0.1, 0.0]}  # slug -> per stem
    found = Descriptions(
        {"clonidine": {"patch", "blood"}, "rotigotine": {"patch", "dopami"}, "memantine": {"alzhei"}},
        lambda slug, stem: said[slug][0 if stem == "patch" else 1],
    )
    assert found.find("is the patch ok for my mum") == ["rotigotine", "clonidine"]
    assert found.weighed("is the patch ok for my mum") == {"rotigotine": 1.0, "clonidine": 0.1}
    # without a way to weigh them, both still come, weighed alike
    alike = Descriptions({"clonidine": {"patch"}, "rotigotine": {"patch"}}).weighed("the patch")
    assert alike == {"clonidine": 1.0, "rotigotine": 1.0}


async def test_the_patch_is_the_treatment_whose_article_is_about_a_patch(db, tmp_path):
    # the clonidine article mentions its patch in passing; the rotigotine article is about one
    folder = tmp_path / "patches"
    shutil.copytree(SHIPPED, folder)
    for name in ("clonidine", "rotigotine"):
        import_file(TRAINING / f"{name}.txt", folder)
    articles = await KnowledgeBase.open(db, folder)
    articles._model = await articles._model_loading
    assert articles.understand("is the patch ok for my 78 year old mum").slugs[0] == "rotigotine"
    answer = await articles.ask("I get dizzy when I stand up since starting the patch")
    assert answer.answered and answer.results[0].treatment == "rotigotine"


def test_a_description_that_fits_too_many_lists_them_to_ask_which_one():
    dopamine = {f"t{i}": {"parkin", "dopami"} for i in range(AMBIGUOUS + 1)}
    found = Descriptions(dopamine | {"memantine": {"alzhei"}, "baclofen": {"muscle"}, "x": {"old"}})
    assert found.find("does the parkinsons pill make you sleepy") == []  # it names none of them
    assert sorted(found.fits("does the parkinsons pill make you sleepy")) == sorted(dopamine)
    # one or a few it names; a description of nothing, or of everything, lists nothing
    assert found.fits("the alzheimers drug") == [] and found.find("the alzheimers drug") == ["memantine"]
    assert found.fits("the blue pill") == []
    vague = Descriptions({f"t{i}": {"old"} for i in range(12)})
    assert vague.fits("the old one") == []


async def test_a_member_is_asked_which_treatment_a_vague_description_means(db, tmp_path):
    folder = tmp_path / "dopamine"
    shutil.copytree(SHIPPED, folder)
    for name in ("ropinirole", "pramipexole", "rotigotine", "levodopa", "amantadine"):
        import_file(TRAINING / f"{name}.txt", folder)
    articles = await KnowledgeBase.open(db, folder)
    articles._model = await articles._model_loading
    answer = await articles.ask("does the parkinsons pill make you sleepy")
    assert not answer.answered and answer.reason == "several fit"
    said = articles.explain(answer)
    assert "Which one do you mean?" in said
    assert all(name in said for name in ("Ropinirole", "Pramipexole", "Rotigotine", "Levodopa"))
    # named, it is answered
    assert (await articles.ask("does ropinirole make you sleepy")).answered
