"""The importer turns raw web articles (the seeds and others in their format) into articles."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.knowledge.articles import Section, parse_file
from bot.knowledge.cards import draft_topic, grade_evidence, sentences
from bot.knowledge.checker import check_articles
from bot.knowledge.importer import ImportError_, detect_treatment, import_file, parse_raw

from .conftest import RAW, SEEDS

BACLOFEN_SEED = SEEDS / "003_86dbaa6d567a6e92.txt"
MEMANTINE_SEED = SEEDS / "000_cf4ef5823b9295cf.txt"


def test_memantine_seed_byline_on_one_line():
    raw = parse_raw(MEMANTINE_SEED.read_text())
    assert raw.title == "Memantine and Restless Legs Syndrome (RLS): A Potential Treatment Option"
    assert (raw.author, raw.date) == ("Hudson Bellamy", "2023-05-11")
    headings = [h for h, _ in raw.sections]
    assert headings[0] == "An Introduction to Restless Legs Syndrome (RLS) and Memantine"
    assert "Considering the Potential Side Effects of Memantine" in headings
    assert headings[-1] == "Conclusion: Memantine as a Potential Treatment Option for RLS"
    assert len(headings) == 8
    assert raw.title not in headings  # the repeated title is not a section
    assert raw.comments == []
    # paragraphs of a section stay together
    research = dict(raw.sections)["Examining the Research on Memantine and RLS"]
    assert "rats" in research and "six weeks" in research


def test_baclofen_seed_date_and_author_on_separate_lines_and_comments_apart():
    raw = parse_raw(BACLOFEN_SEED.read_text())
    assert (raw.author, raw.date) == ("James Hines", "2023-04-28")
    assert len(raw.sections) == 5
    assert [c.author for c in raw.comments] == [
        "Wiley William",
        "Tim H",
        "Umesh Sukhwani",
        "Vishnupriya Srivastava",
    ]
    assert raw.comments[0].date == "2023-04-29T00:48"
    assert "5G towers" in raw.comments[0].text
    article_text = " ".join(t for _, t in raw.sections)
    for marker in ("5G", "Image placeholder", "Write a comment", "4 Comments", "zombie"):
        assert marker not in article_text


def test_import_writes_article_and_keeps_comments_in_a_separate_file(tmp_path):
    result = import_file(BACLOFEN_SEED, tmp_path)
    assert result.article_path == tmp_path / "baclofen.md"
    assert result.comments_path == tmp_path / "comments" / "baclofen.yaml"
    markdown = result.article_path.read_text()
    assert "5G" not in markdown and "Tim H" not in markdown
    comments = yaml.safe_load(result.comments_path.read_text())
    assert len(comments["comments"]) == 4 and comments["treatment"] == "baclofen"
    article, problems = parse_file(result.article_path)
    assert problems == []
    assert article.slug == "baclofen" and article.author == "James Hines" and article.date == "2023-04-28"
    assert {"Lioresal", "baclophen"} <= set(article.aliases)
    assert article.facts["evidence"].level == "Limited"
    # the imported article passes the checker as it is
    assert check_articles(tmp_path)[0] == []


def test_import_refuses_to_overwrite_without_force(tmp_path):
    import_file(MEMANTINE_SEED, tmp_path)
    (tmp_path / "memantine.md").write_text((tmp_path / "memantine.md").read_text() + "\n<!-- edited -->\n")
    with pytest.raises(ImportError_, match="already exists"):
        import_file(MEMANTINE_SEED, tmp_path)
    assert "edited" in (tmp_path / "memantine.md").read_text()
    import_file(MEMANTINE_SEED, tmp_path, force=True)
    assert "edited" not in (tmp_path / "memantine.md").read_text()


@pytest.mark.parametrize(
    ("file", "title", "author", "date", "slug", "headings", "comments"),
    [
        (
            "gabapentin.txt",
            "Gabapentin for Restless Legs: What the Research Says",
            "Sara Okafor",
            "2024-06-02",
            "gabapentin",
            [
                "What Gabapentin Is",
                "How Gabapentin Calms Overactive Nerves",
                "Clinical Trials of Gabapentin in RLS",
                "Common Side Effects",
                "Cautions and Stopping Safely",
                "Questions for Your Doctor",
            ],
            0,
        ),
        (
            "ropinirole.txt",
            "Ropinirole and RLS: Relief With a Catch",
            "Priya Raman",
            "2022-11-03",
            "ropinirole",
            [
                "What Is Ropinirole?",
                "The Dopamine Connection",
                "What Studies Have Shown",
                "Side Effects to Expect",
                "The Risk of Augmentation",
                "Talking to Your Doctor",
            ],
            3,
        ),
        (
            "iron.txt",
            "Iron Supplements and Restless Legs Syndrome",
            "Tomás Herrera",
            "2021-01-14",
            "iron",
            [
                "Why Iron Matters in RLS",
                "How Iron Therapy Works",
                "The Evidence So Far",
                "Side Effects of Iron",
                "Risks of Too Much Iron",
                "Testing Before You Start",
            ],
            0,
        ),
        (
            "magnesium_noheadings.txt",
            "Magnesium for Night Cramps and RLS",
            "Alex Moreau",
            "2023-09-09",
            "magnesium",
            ["Introduction", "What People Report"],
            0,
        ),
    ],
)
def test_other_articles_in_the_raw_format(tmp_path, file, title, author, date, slug, headings, comments):
    raw = parse_raw((RAW / file).read_text())
    assert (raw.title, raw.author, raw.date) == (title, author, date)
    assert [h for h, _ in raw.sections] == headings
    assert len(raw.comments) == comments
    result = import_file(RAW / file, tmp_path)
    assert result.article_path.name == f"{slug}.md"
    assert (result.comments_path is not None) == bool(comments)
    article, problems = parse_file(result.article_path)
    assert problems == [] and article.slug == slug
    assert "Write a comment" not in result.article_path.read_text()


def test_ropinirole_comments_have_times_and_are_not_in_the_article(tmp_path):
    result = import_file(RAW / "ropinirole.txt", tmp_path)
    data = yaml.safe_load(result.comments_path.read_text())
    assert [(c["author"], c["date"]) for c in data["comments"]] == [
        ("Dana K", "2022-11-04T09:15"),
        ("Marco", "2022-11-05T21:02"),
        ("Lena Fischer", "2022-11-07T07:45"),
    ]
    assert "tonic water" not in result.article_path.read_text()


def test_drafted_facts_grade_evidence_from_the_text(tmp_path):
    grades = {}
    for raw in sorted(RAW.glob("*.txt")):
        article, _ = parse_file(import_file(raw, tmp_path).article_path)
        grades[article.slug] = article.facts["evidence"].level if "evidence" in article.facts else None
    assert grades["gabapentin"] == "Strong"  # randomized trials and guidelines
    assert grades["ropinirole"] == "Moderate"  # large placebo-controlled trials, augmentation later
    assert grades["iron"] == "Limited"  # a few small trials, more research needed


def test_treatment_from_title_brand_names_and_override(tmp_path):
    assert detect_treatment("Why I Switched From Requip") == "Ropinirole"
    assert detect_treatment("A new look at Lyrica and sleep") == "Pregabalin"
    assert detect_treatment("Night thoughts", "I take baclofen. baclofen helps.") == "Baclofen"
    result = import_file(RAW / "magnesium_noheadings.txt", tmp_path, treatment="Magnesium citrate")
    assert result.article_path.name == "magnesium-citrate.md"


def test_empty_or_headless_text_is_refused(tmp_path):
    with pytest.raises(ImportError_):
        parse_raw("\n\n  \n")
    empty = tmp_path / "empty.txt"
    empty.write_text("Just a title\n")
    with pytest.raises(ImportError_):
        import_file(empty, tmp_path / "out")


def test_shipped_seeds_match_what_the_importer_produces(tmp_path):
    """The shipped articles are the importer's output with curated facts: same sections, same text."""
    for seed, shipped in ((BACLOFEN_SEED, "baclofen.md"), (MEMANTINE_SEED, "memantine.md")):
        fresh, _ = parse_file(import_file(seed, tmp_path).article_path)
        kept, problems = parse_file(Path(__file__).resolve().parents[3] / "data" / "articles" / shipped)
        assert problems == []
        assert [(s.heading, s.text) for s in kept.sections] == [(s.heading, s.text) for s in fresh.sections]
        assert (kept.title, kept.author, kept.date) == (fresh.title, fresh.author, fresh.date)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_any_raw_text_imports_or_is_refused_clearly(text):
    try:
        raw = parse_raw(text)
    except ImportError_:
        return
    assert raw.title and raw.sections
    assert all(heading.strip() and body.strip() for heading, body in raw.sections)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Heading Here",
                "A paragraph that ends properly.",
                "",
                "Image placeholder",
                "2 Comments",
                "April 29, 2023 AT 00:48",
                "Write a comment",
                "May 11 2023 Someone",
                "Short line",
            ]
        ),
        max_size=30,
    )
)
def test_line_soup_never_crashes(lines):
    try:
        raw = parse_raw("Title\n" + "\n".join(lines))
    except ImportError_:
        return
    for _heading, body in raw.sections:
        assert "Write a comment" not in body and "Image placeholder" not in body


@pytest.mark.parametrize(
    ("byline", "author", "date"),
    [
        ("May 11 2023 Hudson Bellamy", "Hudson Bellamy", "2023-05-11"),
        ("Apr 28, 2023\nJames Hines", "James Hines", "2023-04-28"),
        ("James Hines\nApr 28, 2023", "James Hines", "2023-04-28"),
        ("By Tomás Herrera · 14 January 2021", "Tomás Herrera", "2021-01-14"),
        ("Posted on March 3rd, 2024 by Jane Doe", "Jane Doe", "2024-03-03"),
        ("2022-12-01 | Li Wei", "Li Wei", "2022-12-01"),
        ("Sept. 9, 2020 - Ana María López", "Ana María López", "2020-09-09"),
    ],
)
def test_byline_formats(byline, author, date):
    text = f"Some Treatment and RLS\n\n{byline}\n\nA Heading\n\nA paragraph of text that ends here.\n"
    raw = parse_raw(text)
    assert (raw.author, raw.date) == (author, date)
    assert raw.sections == [("A Heading", "A paragraph of text that ends here.")]


def test_comments_without_a_count_line():
    text = (
        "Title\nJan 2, 2024 Ann Author\nHeading One\nBody text here.\n"
        "• Image placeholder\nBob\nJanuary 3, 2024 AT 10:00\nGreat read!\nWrite a comment\n"
    )
    raw = parse_raw(text)
    assert raw.sections == [("Heading One", "Body text here.")]
    assert [(c.author, c.date, c.text) for c in raw.comments] == [("Bob", "2024-01-03T10:00", "Great read!")]


def test_brand_names_in_the_title_or_after_sold_as_become_aliases():
    from bot.knowledge.importer import brand_names

    assert brand_names("Pramipexole (Mirapex, Mirapexin, Sifrol) for Restless Legs: A Guide", [], "Pramipexole") == [
        "Mirapex",
        "Mirapexin",
        "Sifrol",
    ]
    said = [("What it is", "It is sold as Klonopin in the United States and as Rivotril in the UK and Europe.")]
    assert brand_names("Clonazepam for Restless Legs", said, "Clonazepam") == ["Klonopin", "Rivotril"]
    assert brand_names("Magnesium for Restless Legs (RLS): What the Evidence Says", [], "Magnesium") == []
    assert brand_names("Baclofen (baclofen) and RLS", [], "Baclofen") == []  # not its own name again
    said = [("What it is", "For pain it comes as a weekly patch (brands include Butrans in the US and Butec in the UK).")]
    assert brand_names("Buprenorphine for Restless Legs", said, "Buprenorphine") == ["Butrans", "Butec"]
    said = [("What it is", "Some brands contain more Magnesium than others.")]
    assert brand_names("Magnesium for Restless Legs", said, "Magnesium") == []


def test_a_list_set_out_line_by_line_is_read_as_one_sentence():
    text = (
        "The FDA warned again.\n\nOther serious risks include:\n\n"
        "heart rhythm problems, especially at higher doses\n\nsevere allergic and skin reactions\n\n"
        "The platelet reaction is an immune reaction.\n\nKey points\n\nIt is\nwrapped over lines."
    )
    assert sentences(text) == [
        "The FDA warned again.",
        "Other serious risks include: heart rhythm problems, especially at higher doses; severe allergic and"
        " skin reactions.",
        "The platelet reaction is an immune reaction.",
        "Key points.",  # a line with no full stop never runs into the next sentence
        "It is wrapped over lines.",
    ]
    # a line introducing a sentence rather than a list stays with it
    assert sentences("Worth knowing:\n\nIt can cause dizziness. Take care.") == [
        "Worth knowing: It can cause dizziness.",
        "Take care.",
    ]


def test_a_drafted_fact_keeps_a_lists_items_apart(tmp_path):
    raw = RAW.parent / "imported" / "articles" / "quinine.txt"
    article, _ = parse_file(import_file(raw, tmp_path).article_path)
    drafted = " ".join(fact.text for fact in article.facts.values())
    assert "especially at higher doses; severe allergic and skin reactions; serious poisoning" in drafted
    assert "higher doses severe allergic" not in drafted  # items run together say what the article does not


def test_a_list_under_a_heading_on_the_topic_is_drafted_with_the_sentence_before_it():
    section = Section(
        "Common Side Effects in the First Weeks",
        "The side effects are the usual opioid ones. In trials the most common were:\n\n- Nausea\n\n"
        "- Dizziness or light-headedness\n\n- Headache\n\nMost ease after a week or two.",
        1,
    )
    drafted = draft_topic("side_effects", [section])
    assert drafted is not None
    assert drafted.text == (
        "The side effects are the usual opioid ones. In trials the most common were: Nausea; Dizziness or"
        " light-headedness; Headache."
    )
    # a list under a heading on another topic is no side effect
    other = Section("Who Should Not Use It", "Avoid it if you have:\n\n- kidney disease\n\n- glaucoma\n\n- asthma", 1)
    assert draft_topic("side_effects", [other]) is None


def test_no_good_trial_for_rls_outweighs_a_strength_stated_for_another_use():
    text = (
        "For night cramps, the best summary is a review that pooled 23 trials. The reviewers rated the"
        " evidence as low to moderate quality. There are no good-quality controlled trials showing that"
        " quinine helps RLS."
    )
    assert grade_evidence(text) == (
        "Limited",
        "The article says there are no good-quality controlled trials showing that quinine helps RLS.",
    )
    # trials that do show it are no denial
    assert "showing that it helps" not in grade_evidence("Two controlled trials showing that it helps RLS were small.")[1]


def test_an_imported_articles_evidence_is_graded_for_rls(tmp_path):
    article, _ = parse_file(import_file(RAW.parent / "imported" / "articles" / "quinine.txt", tmp_path).article_path)
    assert article.facts["evidence"].level == "Limited"
    assert "no good-quality controlled trials" in article.facts["evidence"].summary
