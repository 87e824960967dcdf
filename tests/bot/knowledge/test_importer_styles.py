"""Raw articles in other house styles: numbered question headings, bylines in other orders,
other comment counts; imported, checked, indexed and looked up end to end."""

from __future__ import annotations

import json
import shutil

import pytest

from bot.knowledge.cards import grade_evidence
from bot.knowledge.importer import detect_treatment, import_file, parse_raw

from .conftest import RAW, SHIPPED
from .test_cli import run

PREGABALIN = RAW / "pregabalin.txt"
DIPYRIDAMOLE = RAW / "dipyridamole.txt"


def test_numbered_question_headings_and_byline_before_date():
    raw = parse_raw(PREGABALIN.read_text())
    assert raw.title == "Pregabalin for Restless Legs: What Does the Evidence Say?"
    assert (raw.author, raw.date) == ("Dr. Maria O'Connell", "2024-02-14")
    assert [h for h, _ in raw.sections] == [
        "What is pregabalin?",
        "How does it work?",
        "Does it actually work for RLS?",
        "Side effects you might notice",
        "Risks, dependence and stopping safely",
        "Questions to ask your doctor",
    ]
    # "12 Comments" but only two shown: the count line is not trusted, the comments are
    assert [(c.author, c.date) for c in raw.comments] == [
        ("Karen D.", "2024-02-15T21:12"),
        ("mo_from_leeds", "2024-02-16T07:03"),
    ]
    body = " ".join(t for _, t in raw.sections)
    assert "cold turkey" not in body and "demand it" not in body


def test_author_and_date_on_one_line_and_comments_in_brackets():
    raw = parse_raw(DIPYRIDAMOLE.read_text())
    assert (raw.author, raw.date) == ("Sam Okafor", "2023-09-02")
    assert raw.sections[0][0] == "Why Would a Heart Drug Help RLS?"
    assert raw.sections[-1][0] == "Bringing It Up With Your GP"
    assert [(c.author, c.date, c.text) for c in raw.comments] == [
        ("Alan P.", "2023-09-03T18:40", "My neurologist laughed when I asked about this. Worth a try though?")
    ]
    assert all("Leave a reply" not in t for _, t in raw.sections)


def test_numbered_list_items_are_not_headings():
    text = (
        "Iron and RLS\nJan 2, 2024 Ann Author\nHow to Take It\nThree tips from the clinic.\n"
        "1. Take it with vitamin C\n2. Avoid tea at the same time\n3. Get your ferritin checked\n"
        "What Studies Show\nSmall trials found benefit.\n"
    )
    raw = parse_raw(text)
    assert [h for h, _ in raw.sections] == ["How to Take It", "What Studies Show"]
    assert "2. Avoid tea" in raw.sections[0][1]


def test_a_list_of_short_lines_is_text_even_when_a_paragraph_follows_it():
    text = (
        "Buprenorphine and RLS\n\nJan 2, 2024\nAnn Author\n\n"
        "Common Side Effects\nMost side effects ease in a week or two. Common ones include:\n"
        "Nausea, and sometimes vomiting\nHeadache\nConstipation\nItching, redness or a mild rash where the patch sat\n\n"
        "Dry mouth and sweating are also reported.\n\n"
        "Who Needs Extra Care\n\nPeople with lung disease need a careful review.\n"
    )
    raw = parse_raw(text)
    assert [h for h, _ in raw.sections] == ["Common Side Effects", "Who Needs Extra Care"]
    assert "Itching, redness or a mild rash" in raw.sections[0][1]
    assert "Dry mouth" in raw.sections[0][1]


def test_a_heading_with_a_blank_line_before_it_heads_the_list_under_it():
    text = (
        "Iron and RLS\n\nJan 2, 2024 Ann Author\n\nIntroduction\n\nIron matters in RLS.\n\n"
        "Side Effects\nStomach upset\nDark stools\n\nMost ease with food.\n\nWhat Studies Show\n\nSmall trials found benefit.\n"
    )
    raw = parse_raw(text)
    assert [h for h, _ in raw.sections] == ["Introduction", "Side Effects", "What Studies Show"]
    assert "Dark stools" in raw.sections[1][1] and "Most ease with food." in raw.sections[1][1]


@pytest.mark.parametrize(
    ("byline", "author", "date"),
    [
        ("Published: 14 February 2024\nBy Dr. Maria O'Connell", "Dr. Maria O'Connell", "2024-02-14"),
        ("Updated: Jan 5, 2025\nAuthor: Kim Lee", "Kim Lee", "2025-01-05"),
        ("Kim Lee\nUpdated: Jan 5, 2025", "Kim Lee", "2025-01-05"),
        # only a month: kept as the month, no day invented
        ("Last reviewed: March 2025\nBy Jo Bloggs", "Jo Bloggs", "2025-03"),
        ("Reviewed by Dr A Smith, Sept 2024", "Dr A Smith", "2024-09"),
        ("By Jo Bloggs | Updated March 2025", "Jo Bloggs", "2025-03"),
        # a second date after the first is part of the byline, not a heading
        ("Page last reviewed: 14 March 2025\nNext review due: 14 March 2028", "", "2025-03-14"),
        ("Medically reviewed by Dr. Jane Smith, MD", "Dr. Jane Smith, MD", ""),
    ],
)
def test_labelled_bylines(byline, author, date):
    raw = parse_raw(f"Iron and RLS: Does It Help?\n{byline}\n\nWhat Is It\n\nA mineral. It helps.\n")
    assert (raw.author, raw.date) == (author, date)
    assert [heading for heading, _ in raw.sections] == ["What Is It"]


def test_a_heading_after_the_date_is_not_taken_for_the_author():
    raw = parse_raw("Iron and RLS\n\nPublished 12 March 2025\n\nWhat It Is\nA mineral the body needs. It helps.\n")
    assert (raw.author, raw.date) == ("", "2025-03-12")
    assert [heading for heading, _ in raw.sections] == ["What It Is"]


def test_a_heading_with_a_month_in_it_is_not_a_byline():
    raw = parse_raw("Iron and RLS\n\nMay 2, 2025\n\nWhat Changed in March 2024\nThe advice on ferritin changed.\n")
    assert raw.date == "2025-05-02"
    assert [heading for heading, _ in raw.sections] == ["What Changed in March 2024"]
    raw = parse_raw("Iron and RLS\n\nWhat Changed in March 2024\nThe advice on ferritin changed.\n")
    assert raw.date == ""
    assert [heading for heading, _ in raw.sections] == ["What Changed in March 2024"]


def test_a_first_paragraph_with_a_date_in_it_is_not_a_byline():
    first = "Ropinirole was approved for restless legs in May 2005, and it is still widely used."
    raw = parse_raw(f"Ropinirole and RLS\n\n{first}\n\nSide Effects\nNausea is common.\n")
    assert raw.date == ""
    assert first in raw.sections[0][1]


def test_an_article_dated_by_its_month_only_passes_the_check(tmp_path):
    from bot.knowledge.articles import parse_file

    source = tmp_path / "iron.txt"
    source.write_text(
        "Iron Tablets for Restless Legs\n\nLast reviewed: March 2025\nBy Jo Bloggs\n\n"
        "What Iron Tablets Are\nIron tablets are a supplement used for iron deficiency.\n\n"
        "Side Effects\nConstipation and stomach upset are common.\n"
    )
    article, problems = parse_file(import_file(source, tmp_path / "out").article_path)
    assert problems == [] and article is not None and article.date == "2025-03"


def test_evidence_grades_follow_what_the_article_says(tmp_path):
    pregabalin = import_file(PREGABALIN, tmp_path).article_path.read_text()
    dipyridamole = import_file(DIPYRIDAMOLE, tmp_path).article_path.read_text()
    assert "level: Strong" in pregabalin  # large randomized trials, first-line in guidelines
    assert "level: Limited" in dipyridamole  # a small pilot study and a two-week trial
    assert "section: Bringing It Up With Your GP" in dipyridamole  # what to raise with a doctor


@pytest.mark.parametrize(
    "text",
    [
        "Current guidelines do not recommend it, and no large trials exist.",
        "It is not a first-line option.",
        "There has never been a placebo-controlled trial.",
    ],
)
def test_denied_evidence_is_never_graded_strong_or_moderate(text):
    level, summary = grade_evidence(text)
    assert level in ("Limited", "Unclear"), (text, level)
    assert "well-established" not in summary


def test_import_check_index_and_look_up_end_to_end(tmp_path):
    articles = tmp_path / "articles"
    shutil.copytree(SHIPPED, articles)
    done, _ = run("articles", "import", str(PREGABALIN), str(DIPYRIDAMOLE), "--dest", str(articles))
    assert done.returncode == 0, done.stderr
    assert "2 reader comments kept apart" in done.stdout
    done, _ = run("articles", "check", "--dir", str(articles))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 treatment(s)" in done.stdout

    done, _ = run("ask", "lyrica side effects", "--json", articles_dir=articles)
    answer = json.loads(done.stdout)
    assert answer["answered"] is True
    assert (answer["results"][0]["treatment"], answer["results"][0]["section"]) == (
        "pregabalin",
        "Side effects you might notice",
    )
    done, _ = run("ask", "can I stop pregablin suddenly", "--json", articles_dir=articles)
    first = json.loads(done.stdout)["results"][0]
    assert first["section"] == "Risks, dependence and stopping safely"
    done, _ = run("ask", "what research is there on persantine", "--json", articles_dir=articles)
    assert json.loads(done.stdout)["results"][0]["section"] == "What Research Exists So Far?"
    done, _ = run("ask", "Gained ten pounds cold turkey", "--json", articles_dir=articles)
    assert json.loads(done.stdout) == {"answered": False, "results": []}  # comment text is not indexed

    done, _ = run("treatment", "Persantine", "--json", articles_dir=articles)
    card = json.loads(done.stdout)
    assert card["slug"] == "dipyridamole" and card["evidence_level"] == "Limited"
    assert card["article"] == {
        "title": "Can a Heart Drug Calm Restless Legs? Dipyridamole Explained",
        "author": "Sam Okafor",
        "date": "2023-09-02",
        "source": "dipyridamole.txt",
    }
    topics = {t["topic"]: t["sections"] for t in card["topics"]}
    assert topics["side_effects"] == ["Common Side Effects"]
    assert topics["ask_doctor"] == ["Bringing It Up With Your GP"]


def test_key_risks_come_from_what_the_article_warns_about():
    from bot.knowledge.articles import Section
    from bot.knowledge.cards import draft_key_risks

    raw = parse_raw(PREGABALIN.read_text())
    risks = draft_key_risks([Section(h, t, 0) for h, t in raw.sections])
    # the article says "stopping it suddenly": the card says so, in its words
    assert "dependence" in risks and "withdrawal if stopped suddenly" in risks
    # "it caused far less augmentation than pramipexole" is not a warning
    assert not any("augmentation" in r for r in risks)
    raw = parse_raw(DIPYRIDAMOLE.read_text())
    assert draft_key_risks([Section(h, t, 0) for h, t in raw.sections]) == [
        "interactions with blood thinners and some heart medicines"
    ]


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Several large randomised placebo-controlled trials and a meta-analysis support it.", "Strong"),
        (
            "Several large randomised placebo-controlled trials and a meta-analysis support it. "
            "More research on long-term use would still help.",
            "Strong",
        ),
        (
            "These were not small studies: 400 people took part in randomised placebo-controlled trials.",
            "Moderate",
        ),
        ("In one small study people improved. Larger trials are needed.", "Limited"),
    ],
)
def test_evidence_grade_weighs_strength_and_negation(text, level):
    assert grade_evidence(text)[0] == level


@pytest.mark.parametrize(
    ("sentence", "expected", "never"),
    [
        ("Seizures are common in the first weeks.", "seizures (common)", "seizures (rare)"),
        ("Seizures can happen.", "seizures", "seizures (rare)"),
        ("In rare cases it causes seizures.", "seizures (rare)", "seizures (common)"),
        ("Withdrawal symptoms such as anxiety can occur.", "withdrawal", "withdrawal if stopped abruptly"),
        ("Abruptly discontinuing it can lead to withdrawal.", "withdrawal if stopped abruptly", None),
    ],
)
def test_key_risks_add_no_qualifier_the_article_does_not_state(sentence, expected, never):
    from bot.knowledge.articles import Section
    from bot.knowledge.cards import draft_key_risks

    risks = draft_key_risks([Section("Risks and Side Effects", sentence, 0)])
    assert expected in risks
    assert never not in risks


def test_a_risk_the_article_gives_another_treatment_is_not_this_ones():
    from bot.knowledge.articles import Section
    from bot.knowledge.cards import draft_key_risks

    text = (
        "Acupuncture cannot cause dependence, and stopping it causes no withdrawal. What to avoid is"
        " stopping your RLS medicine because you started acupuncture: stopping gabapentin or clonazepam"
        " suddenly can cause withdrawal. Bruising can happen where the needles went in."
    )
    sections = [Section("Dependence and Stopping Treatment", text, 0)]
    others = ["Gabapentin", "Clonazepam", "Baclofen"]
    assert draft_key_risks(sections, names=["Acupuncture"], others=others) == []
    # the same words about this treatment are its own risk
    text = "Stopping baclofen suddenly can cause withdrawal, as with gabapentin: taper it with your doctor."
    risks = draft_key_risks([Section("Stopping", text, 0)], names=["Baclofen"], others=others)
    assert "withdrawal if stopped suddenly" in risks


def test_an_imported_article_keeps_its_drafted_risks_its_own(tmp_path):
    from bot.knowledge.articles import parse_file

    raw = RAW.parent / "imported_new" / "articles" / "acupuncture.txt"
    article, _ = parse_file(import_file(raw, tmp_path).article_path)
    assert not any("withdrawal" in risk for risk in article.key_risks)  # it says "stopping causes no withdrawal"


def test_a_long_question_heading_starts_its_own_section():
    text = (
        "Iron for RLS\nJan 2, 2024 Ann Author\nSerious Risks\nIron overload can harm the liver.\n"
        "Can You Get Hooked, and What If You Stop or Miss a Dose?\n"
        "Iron is not habit-forming and stopping causes no withdrawal.\n"
    )
    raw = parse_raw(text)
    assert [h for h, _ in raw.sections] == [
        "Serious Risks",
        "Can You Get Hooked, and What If You Stop or Miss a Dose?",
    ]
    assert "withdrawal" not in raw.sections[0][1]


def test_a_list_of_questions_to_ask_stays_in_its_section():
    text = (
        "Quinine and Cramps\nJan 2, 2024 Ann Author\nWhat It Is\nA bark extract used for cramps.\n"
        "Talking It Through With Your Doctor\nUseful questions to raise include:\n"
        "Is it licensed where I live?\nWhat are the alternatives?\n"
        "I have taken it for years. Can we try a break?\n\n"
        "Your doctor decides whether it is right for you.\n"
    )
    raw = parse_raw(text)
    assert [h for h, _ in raw.sections] == ["What It Is", "Talking It Through With Your Doctor"]
    talk = raw.sections[1][1]
    assert "Is it licensed where I live?" in talk and "Can we try a break?" in talk
    assert talk.rstrip().endswith("Your doctor decides whether it is right for you.")


def test_a_question_heading_after_a_paragraph_is_still_a_heading():
    text = (
        "Valerian\nJan 2, 2024 Ann Author\nWhat It Is\nA herb.\n"
        "Is It Safe to Take Every Night?\nShort courses seem safe for most adults.\n"
        "Does It Work?\nThe trials are small.\n"
    )
    assert [h for h, _ in parse_raw(text).sections] == [
        "What It Is",
        "Is It Safe to Take Every Night?",
        "Does It Work?",
    ]


def test_a_question_heading_after_a_bulleted_list_of_questions_is_a_heading():
    text = (
        "Home > Treatments > Medicines\n\nRotigotine patch for restless legs\n\nLast reviewed: March 2025\n\n"
        "What is it?\nA dopamine agonist skin patch.\n\n"
        "What should I ask my doctor?\nUseful questions to ask:\n"
        "- How will we know if this is working?\n- What are the signs of augmentation?\n\n"
        "How does the patch fit with other ways of managing RLS?\nMedicine works best alongside other steps.\n\n"
        "Related pages\nAugmentation explained\nIron and restless legs\n\n"
        "Was this page helpful? Yes / No\n"
    )
    raw = parse_raw(text)
    assert raw.title == "Rotigotine patch for restless legs"  # not the site's breadcrumb trail
    assert [h for h, _ in raw.sections] == [
        "What is it?",
        "What should I ask my doctor?",
        "How does the patch fit with other ways of managing RLS?",
    ]
    ask = raw.sections[1][1]
    assert "How will we know if this is working?" in ask and "signs of augmentation" in ask
    # links to other pages and the page's own furniture are no part of the article
    assert not any("Iron and restless legs" in t or "helpful" in t for _, t in raw.sections)


@pytest.mark.parametrize("heading", ["References", "Related articles", "See also", "Further reading:"])
def test_sections_that_point_elsewhere_are_left_out(heading):
    text = (
        "Iron and RLS\nJan 2, 2024 Ann Author\n\nWhat It Is\nA mineral the body needs.\n\n"
        f"{heading}\n1. Allen RP et al. Iron and restless legs. Sleep Med 2018.\n"
    )
    assert [h for h, _ in parse_raw(text).sections] == ["What It Is"]


@pytest.mark.parametrize(
    ("text", "level", "words"),
    [
        # the article's own verdict outweighs the guideline it mentions
        ("The evidence for carbamazepine in RLS is limited and old. Guidelines list it last.", "Limited", "limited"),
        ("Several trials of 450 people lasted six weeks. Overall, the evidence is reasonably strong.", "Moderate",
         "reasonably strong"),
        ("In 2016 American neurologists rated the evidence for symptom relief as strong.", "Strong", "strong"),
        ("The reviewers rated the evidence as low to moderate quality.", "Limited", "low to moderate"),
        ("A meta-analysis was published. The evidence is not strong.", "Limited", "not strong"),
    ],
)
def test_evidence_is_graded_as_the_article_states_it(text, level, words):
    got, summary = grade_evidence(text)
    assert got == level
    assert summary.startswith(f"The article says the evidence is {words}.")


@pytest.mark.parametrize(
    "text",
    [
        "Even for ordinary insomnia the evidence is mixed.",  # another use
        "Evidence beyond about three months is limited.",  # one aspect of it
        "The evidence about quality of life was weak.",
    ],
)
def test_what_is_said_of_one_aspect_is_not_the_grade(text):
    assert not grade_evidence(text)[1].startswith("The article says the evidence is")


def test_names_the_article_says_its_treatment_goes_by_are_other_names():
    from bot.knowledge.importer import lay_names

    sections = [
        (
            "What It Is",
            "Cannabis, also known as marijuana, weed or pot, comes from the hemp plant. Older names for it "
            "include Indian hemp. Restless legs syndrome (RLS), also called Willis-Ekbom disease, is common. "
            "Although it is often called a wonder drug, it is not. Feeling slow the next morning, sometimes "
            "called a weed hangover, is common.",
        )
    ]
    assert lay_names(sections, "Cannabis") == ["Indian hemp", "marijuana", "weed", "pot"]
    # what kind of thing it is, and a list that runs on into the sentence, are not names
    kinds = [("What It Is", "Tramadol (Ultram), sometimes called a weak opioid, is a painkiller.")]
    assert lay_names(kinds, "Tramadol", ["Ultram"]) == []


async def test_an_imported_treatment_is_found_by_a_name_its_article_gives(tmp_path):
    from bot.db import Database, discover_migrations
    from bot.knowledge import KnowledgeBase

    source = tmp_path / "valerian.txt"
    source.write_text(
        "Valerian for Restless Legs\n\nMay 2, 2025\nBy Jo Bloggs\n\n"
        "What Valerian Is\nValerian is a herbal supplement made from a root. Older names for it include "
        "all-heal and garden heliotrope. Most people take valerian as a sleep aid.\n\n"
        "Side Effects\nHeadache, stomach upset and grogginess the next morning are the most common.\n"
    )
    articles = tmp_path / "articles"
    import_file(source, articles)
    db = await Database(tmp_path / "kb.db").open()
    try:
        await db.migrate([m for m in discover_migrations() if 100 <= m.version <= 199])
        kb = await KnowledgeBase.open(db, articles)
        assert "all-heal" in kb.get("valerian").aliases
        answer = await kb.ask("my nan swore by all-heal, does it give you headaches?")
        assert answer.answered and answer.results[0].treatment == "valerian"
    finally:
        await db.close()


CLINIC_PAGE = (
    "Skip to main content\nNorthgate Neurology Centre\n"
    "Home | Our Team | Conditions | Patient Blog | Contact\n"
    "Home > Patient Blog > Restless Legs\n\n"
    "Perampanel and Restless Legs: What We Know So Far\n\n"
    "By Dr Sam Okafor, Consultant Neurologist\n"
    "Published 4 February 2025 | Updated 1 April 2025 | 6 min read\n"
    "Share this: Facebook | X | LinkedIn | Email | Print\n\n"
    "What Perampanel Is\n"
    "Perampanel is an epilepsy medicine. Perampanel blocks AMPA receptors. Some people also take iron.\n\n"
    "Advertisement\n\n"
    "How It Might Help\nPerampanel may calm overactive nerve signalling. Low iron can worsen RLS.\n\n"
    "Sign up to our newsletter for the latest news\n"
    "We use cookies to improve your experience. Accept all | Reject\n"
    "Side effects | How common | What to do\n"
    "Tags: restless legs, perampanel, epilepsy medicines\n"
)

CHARITY_PAGE = (
    "Quiet Legs Trust\nDonate | Helpline | Support Groups | Join\n"
    "You are here: Home / Treatments / Devices\n\n"
    "Calf Wrap Stimulation (CWS) Therapy: Your Questions Answered\n\n"
    "Factsheet 9 | Reviewed by our Clinical Panel | Last updated: June 2025 | Next review: June 2027\n"
    "Print this page | Download PDF (120 KB) | Text size A A A\n\n"
    "This factsheet answers common questions about calf wraps for RLS and how they compare with iron.\n\n"
    "What is CWS?\nCalf wrap stimulation uses a band that buzzes gently. CWS is worn in the evening.\n\n"
    "Does it work?\nOne trial found CWS helped. Iron was checked first. Low iron matters.\n\n"
    "Who should not use it?\nPeople with leg ulcers should not use CWS. Ask about iron.\n\n"
    "Share: Facebook | X | Email\n(c) 2025 Quiet Legs Trust | Privacy policy | Terms of use\n"
)


def test_a_page_s_site_name_menus_and_share_buttons_are_not_its_title_or_text():
    raw = parse_raw(CLINIC_PAGE)
    assert raw.title == "Perampanel and Restless Legs: What We Know So Far"
    assert raw.author == "Dr Sam Okafor, Consultant Neurologist" and raw.date == "2025-02-04"
    assert [h for h, _ in raw.sections] == ["What Perampanel Is", "How It Might Help"]
    text = " ".join(t for _, t in raw.sections)
    assert "Facebook" not in text and "Tags" not in text and "Northgate" not in text
    assert "Advertisement" not in text and "newsletter" not in text and "cookies" not in text
    # a row between bars lower down is the article's own (a table), not a menu
    assert "Side effects | How common | What to do" in text
    body = "\n".join(f"{h}\n{t}" for h, t in raw.sections)
    assert detect_treatment(raw.title, body) == "Perampanel"


def test_a_fact_sheet_s_bar_separated_byline_and_short_name_in_brackets_are_read():
    raw = parse_raw(CHARITY_PAGE)
    assert raw.title == "Calf Wrap Stimulation (CWS) Therapy: Your Questions Answered"
    assert raw.date == "2025-06" and raw.author == "Clinical Panel"
    assert raw.sections[0][0] == "Introduction" and "Print this page" not in raw.sections[0][1]
    assert raw.sections[-1][0] == "Who should not use it?" and "Privacy" not in raw.sections[-1][1]
    body = "\n".join(f"{h}\n{t}" for h, t in raw.sections)
    # "iron" is said more often than the long name, but the title's name and its "CWS" win
    assert detect_treatment(raw.title, body) == "Calf Wrap Stimulation"


@pytest.mark.parametrize(
    ("site", "title"),
    [
        ("Restless Legs Syndrome Foundation", "Perampanel and Restless Legs"),  # both name RLS: the later
        ("Northgate Clinic", "Ropinirole: What You Need to Know"),
        ("RLS Support Network", "Ropinirole: What You Need to Know"),  # a known treatment outranks RLS
    ],
)
def test_of_a_site_s_name_and_the_title_the_title_is_the_one_naming_the_subject(site, title):
    text = f"{site}\n\n{title}\n\nBy Ann Author\n\nWhat It Is\nA medicine. It is taken at night.\n"
    assert parse_raw(text).title == title


@pytest.mark.parametrize(
    "text",
    [
        "Valerian for Sleep\nWhat It Is\nA herb taken at night for sleep and restless legs.\n",
        "Valerian for Sleep\nAnn Author\nJan 2, 2024\nWhat It Is\nA herb taken at night.\n",
        "Valerian for Sleep\nValerian for Sleep\nBy Ann Author\nWhat It Is\nA herb taken at night.\n",
    ],
)
def test_the_first_line_stays_the_title_when_nothing_comes_before_it(text):
    assert parse_raw(text).title == "Valerian for Sleep"


def test_headings_ending_in_a_colon_are_headings_when_the_page_has_no_others():
    text = (
        "Iron and restless legs\nLast updated 3 Jan 2024\n\n"
        "Key points:\n- Low iron can make RLS worse.\n- A blood test checks ferritin.\n\n"
        "What it is:\nIron is a mineral. The body uses it to make blood.\n\n"
        "Side effects:\nConstipation and stomach upset are common.\n\n"
        "Other problems include:\nDark stools, which are harmless.\n"
    )
    raw = parse_raw(text)
    assert [h for h, _ in raw.sections] == ["Introduction", "What it is", "Side effects"]
    assert "Other problems include:" in raw.sections[-1][1]  # a lead-in, not a heading


def test_a_line_ending_in_a_colon_is_text_where_the_page_has_headings():
    text = (
        "Valerian for RLS\nJan 2, 2024 Ann Author\n\nWhat It Is\nA herb taken at night.\n\n"
        "Mixing It With Other Things\nValerian adds to other sedatives.\n\n"
        "Take particular care with:\nAlcohol, even a glass of wine in the evening.\n"
    )
    raw = parse_raw(text)
    assert [h for h, _ in raw.sections] == ["What It Is", "Mixing It With Other Things"]
    assert "Take particular care with:" in raw.sections[-1][1]


@pytest.mark.parametrize("contents", ["On this page", "Contents", "In this article"])
def test_a_table_of_contents_is_not_a_section(contents):
    text = (
        "Pregabalin for Restless Legs\nBy Ann Author\n\n"
        f"{contents}\nWhat is pregabalin?\nSide effects\n\n"
        "What is pregabalin?\nA medicine for nerve pain, epilepsy and RLS.\n\n"
        "Side effects\nDizziness and sleepiness are common.\n"
    )
    assert [h for h, _ in parse_raw(text).sections] == ["What is pregabalin?", "Side effects"]


MASSAGE_COLUMN = RAW / "massage_column.txt"  # a newspaper's health column, with undated reader comments


def test_a_headline_that_links_no_treatment_to_rls_is_named_by_the_phrase_its_text_says_most():
    raw = parse_raw(MASSAGE_COLUMN.read_text())
    body = " ".join(text for _, text in raw.sections)
    # it mentions iron, but it is about massage; "nightly" and "really" are no names
    assert detect_treatment(raw.title, body) == "Massage"


def test_undated_reader_comments_are_kept_apart_not_lost(tmp_path):
    raw = parse_raw(MASSAGE_COLUMN.read_text())
    assert [c.author for c in raw.comments] == ["Brenda, Leeds", "Tom K", "Sheila", "Raj"]
    assert raw.comments[0].text.endswith("It cured me completely!") and raw.comments[0].date == ""
    result = import_file(MASSAGE_COLUMN, tmp_path)
    assert result.comments_path is not None and "cured me completely" in result.comments_path.read_text()
    assert "cured me completely" not in result.article_path.read_text()
