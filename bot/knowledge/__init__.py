"""Treatment facts from the community's articles: parsing, index, ranking, fact cards.

Nothing here imports discord: the bot's cogs and the command line share it.
"""

from __future__ import annotations

import asyncio
import bisect
import dataclasses
import hashlib
import json
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from bot.errors import UserError
from bot.knowledge import ages, ranker, reading, requests, search, topics
from bot.knowledge import text as text_mod
from bot.knowledge.articles import TOPIC_KEYS, Article, Problem, Section, article_files, parse_file
from bot.knowledge.cards import CardTopic, FactCard, build_card, defining_sentence, flat_sentences, sentences
from bot.knowledge.describe import (
    OTHER_USE_SHARE,
    Descriptions,
    asks_other_use,
    descriptive_words,
    heading_descriptions,
    other_uses,
)
from bot.knowledge.describe import stem as describe_stem
from bot.knowledge.importer import KNOWN_TREATMENTS
from bot.knowledge.sections import section_topics
from bot.workers import ProcessWorker

log = logging.getLogger(__name__)

OVERVIEW_TOPICS = ("what_it_is", "how_it_works", "evidence", "side_effects")
# a question naming only a treatment gets an overview, unless it asks one of these ("baclofen risks?")
OVERVIEW_SKIPS = ("evidence", "side_effects", "serious_risks", "dependence", "withdrawal", "interactions")
# ... or when the topic model's score for what is asked reaches this ("who shouldn't take pramipexole")
OVERVIEW_SURE = 0.25
OVERVIEW_ANSWER = 0.4  # ... unless the ranker is this sure of one section (development questions)
QUESTION_WEIGHT = 0.2  # the question sentence's share of a long post's topic (by-article figures)
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+")
# a question naming two treatments asks about the one named in its last clause that names one: "had
# a gambling problem on pramipexole, does amantadine cause the same urges?" (by-article figures)
# ("and" ends a clause unless a name follows it: "compare baclofen and memantine" is one)
_CLAUSE_SPLIT = re.compile(r"[,;:.!?()]|\b(?:but|so)\b", re.I)
_AND = re.compile(r"\band\b", re.I)
# a clause that only compares: "will my rls come back worse, like when i came off pramipexole"
_LIKE = re.compile(r"^\s*(?:and\s+)?(?:just\s+|much\s+)?(?:like|unlike|as\s+with|same\s+as|similar\s+to)\b", re.I)
# RLS said not to be what is asked about: "my dad has pd, not rls", "he doesn't have restless legs",
# "nothing to do with my legs"
_NOT_RLS = re.compile(
    r"\b(?:not|no|never|without|isn'?t|aren'?t|doesn'?t\s+have|don'?t\s+have|nothing\s+to\s+do\s+with)\s+"
    r"(?:(?:my|his|her|their|any|the|a|about|even|actual|real)\s+){0,2}(?:rls|restless\s+legs?(?:\s+syndrome)?|legs?|willis[- ]ekbom)\b",
    re.I,
)

TOO_VAGUE_NAMES = 12  # treatments listed to a question too broad to answer ("what helps rls?")

# What an off-article question is told, by its topic (and what the named treatments' articles do cover).
OFF_ARTICLE_REPLIES = {
    "dosing": (
        "The community articles don't give doses or say when to take a medicine; "
        "your doctor or pharmacist can tell you."
    ),
    "pregnancy": (
        "The community articles don't cover pregnancy or breastfeeding; please ask your doctor "
        "or midwife."
    ),
    "children": (
        "The community articles are about adults with RLS and don't cover children; "
        "please ask the child's doctor."
    ),
    "other_condition": (
        "The community articles are about treating RLS; they don't cover other conditions or "
        "other uses of a medicine. Your doctor or pharmacist can help with that."
    ),
    "access": (
        "The community articles don't cover prices, prescriptions, generics or where to get a "
        "medicine; a pharmacist or your doctor can tell you."
    ),
}
USE_SENTENCES = 10  # a treatment's other uses are read from this much of the section saying what it is
OTHER_USE_RANK = 3  # ... and a question asks about one only if the topic model has other uses this high
# a question put as one ("is it any good for...?"), not a search for what an article says ("baclofen
# for ms spasticity")
_ASKED = re.compile(r"\?|^\W*(?:is|are|does|do|did|can|could|will|would|should|what|how|why|which|any|has|have)\b", re.I)
# a question that asks something in particular, not what a treatment is or for all about it
_ASKS_SOMETHING = re.compile(
    r"^\W*(?:who|when|why|how|is|are|does|do|did|can|could|will|would|should|has|have)\b", re.I
)
LONG_NAME = 9  # a misspelt word this long may be two edits from a treatment's name ...
LONG_NAME_EDITS = 2
# a name cut short: (ending, letters the cut keeps at least): "klonnies", "trammies", "carby",
# "prami", "pregab". Three letters would make English of names ("rope", "meme"), and four with
# a plural "s" ("carbs").
CLIP_ENDINGS = (("ies", 4), ("ie", 4), ("y", 4), ("e", 4), ("s", 5), ("", 5))
FRIENDLY = ("ies", "ie", "y", "e")  # endings that make a cut name friendly ("klonnies", "bupe")
CLIPPED_SHORTEST = min(kept for _, kept in CLIP_ENDINGS)  # letters in the shortest cut name
CLIPPED_LEFT = 3  # ... and a cut leaves at least this many letters of the name out
# a word just after one of these (and "the", "my"...) is taken as a medicine ("on bupe", "started
# the bupe"), and so is one before a medicine's form ("bupe patch"); there, and only there, a
# friendly ending may follow a cut of three letters ("rope" and "meme" are words)
TAKEN_AFTER = frozenset("on off taking take takes took started starting stopped stopping quit tried trying prescribed".split())
_OWNED = frozenset("the my his her their your".split())
_FORM = re.compile(r"^(?:patch(?:es)?|tablets?|pills?|meds?|capsules?|doses?)$")
PLURAL_OF = 5  # a plural this short ("scds", "ipcs") of a name is still the name
READ_IN_WORKER = 400  # sections: at least this many to read are read in a worker process
# 2: section topics stored with each section; 3: the topic model's readings; 4: an opening that
# defines the treatment covers "what it is"
INDEX_VERSION = "kb-index-4"
MAX_QUESTION = 500
UNCOVERED_TOPICS = ("side_effects", "serious_risks", "dependence", "withdrawal", "interactions")  # where a wrong answer misleads
UNCOVERED_SURE = 0.5  # more likely than not
UNCOVERED_READING = 0.5
FOCUS_FROM = 400  # characters: a longer section is shown from the sentence that best answers
FOCUS_WORDS = 0.5  # a sentence using all the question's meaningful words, against its topic reading
FOCUS_SURE = 0.5  # the least a sentence must score (topic reading plus words) to be shown
FOCUS_CACHE = 256  # sections whose sentences' readings are kept
SALIENCE_CACHE = 64  # articles whose sections' descriptive stems are kept
NAME_TWIN = 92  # how alike (rapidfuzz ratio) an article's word and a treatment's name must be to mean it
COUNT_CACHE = 4096  # sections whose word counts are kept
# an opening section (one of the first DEFINED_WITHIN + 1) whose first DEFINING_SENTENCES say what
# the treatment is covers "what it is" this strongly (a heading that names a topic counts 3)
DEFINED_WITHIN = 1
DEFINING_SENTENCES = 3
DEFINED_STRENGTH = 3.0
# a word this many of the topic model's training questions use is members' own word ("my neuro"),
# not a misspelt name ("neupro"): the names themselves are masked out of those questions
MEMBER_WORD = 5
MIN_COVERAGE = 0.6  # share of a question's meaningful words a passage must match
RELATIVE_FLOOR = 0.3  # results scoring below this share of the best are dropped
FUZZY_CUTOFF = 80
ABOUT_RLS_CANDIDATES = 30
GENERAL_CANDIDATES = 30  # best BM25 sections weighed by topic for a question naming no treatment
OWN_USES = 2  # a rare word used in this many sections of one article (and in no other) points at it
RARE_PIECES = 3
KEYWORDS = 2  # a question of at most this many meaningful words is a keyword search  # per question word a section shares, on top of its topic strength
_WS = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _WS.sub(" ", re.sub(r"[^\w\s-]", " ", text.casefold())).strip()


@dataclass(frozen=True)
class ArticleInfo:
    title: str
    author: str
    date: str
    source: str
    file: str

    def to_dict(self) -> dict[str, str]:
        return {"title": self.title, "author": self.author, "date": self.date, "source": self.source}


@dataclass(frozen=True)
class Treatment:
    slug: str
    name: str
    aliases: tuple[str, ...]
    article: ArticleInfo
    source: Article = field(repr=False, compare=False)
    sections: tuple[Section, ...] = field(repr=False, default=())

    @cached_property
    def card(self) -> FactCard:
        """Built on first use: drafting topics from a long article is the slow part of start-up."""
        return build_card(self.source)

    def section(self, heading: str) -> Section | None:
        wanted = " ".join(heading.casefold().split())
        return next((s for s in self.sections if " ".join(s.heading.casefold().split()) == wanted), None)

    def topic_text(self, key: str) -> str:
        """The full passage behind a card topic: the text of every section it cites."""
        topic = self.card.topic(key)
        if topic is None:
            return ""
        parts = [s for s in (self.section(h) for h in topic.sections) if s is not None]
        if len(parts) == 1:
            return parts[0].text
        return "\n\n".join(f"**{s.heading}**\n{s.text}" for s in parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "name": self.name,
            "aliases": list(self.aliases),
            "article": self.article.to_dict(),
            **self.card.to_dict(),
        }


@dataclass(frozen=True)
class Passage:
    treatment: str | None
    article: str
    section: str
    text: str
    score: float
    file: str = field(default="", compare=False)
    position: int = field(default=0, compare=False)
    topic: str | None = field(default=None, compare=False)
    # where in ``text`` the sentence that best answers the question starts (0: the beginning);
    # a long section is shown from there (see ``text.excerpt``)
    focus: int = field(default=0, compare=False)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "treatment": self.treatment,
            "article": self.article,
            "section": self.section,
            "text": self.text,
            "score": round(self.score, 4),
        }
        if self.topic:
            out["topic"] = self.topic
        return out


@dataclass(frozen=True)
class Answer:
    question: str
    answered: bool
    results: list[Passage] = field(default_factory=list)
    topic: str | None = None  # what the question asks about
    reason: str = ""  # why it was not answered
    covered: dict[str, list[str]] = field(default_factory=dict)  # slug -> topics its article does cover
    # answered although the question named no treatment it asks about ("is it addictive?"): the
    # closest passages in any article, whichever treatment they are on
    unnamed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"answered": self.answered, "results": [p.to_dict() for p in self.results]}


@dataclass(frozen=True)
class Understood:
    text: str  # the question with mentions dropped and idioms spelt out
    slugs: list[str]  # treatments meant, by name or by description
    words: set[str]  # the words that named them
    described: bool  # found by description ("the muscle relaxer"), not by name
    prediction: topics.Prediction | None
    # described: how much of each one's article the description runs through (the likelier one first)
    salience: dict[str, float] = dataclasses.field(default_factory=dict)


def _starting(keys: list[str], piece: str) -> list[str]:
    """The keys (sorted) that begin with piece."""
    found = []
    for key in keys[bisect.bisect_left(keys, piece) :]:
        if not key.startswith(piece):
            break
        found.append(key)
    return found


def _taken(said: list[str], i: int) -> bool:
    """Whether the word at ``i`` is said the way a medicine is: "on bupe", "started the bupe", "bupe patch"."""
    before = said[max(0, i - 2) : i]
    if before and (before[-1] in TAKEN_AFTER or (len(before) == 2 and before[0] in TAKEN_AFTER and before[1] in _OWNED)):
        return True
    return i + 1 < len(said) and bool(_FORM.match(said[i + 1]))


def _rare(words: dict[str, str]) -> dict[str, str]:
    """The words the embeddings' tokenizer splits into several pieces: not everyday English
    ("cinchonism", "ferritin", "schweppes"; not "dinner", "recipe" or "pressure")."""
    from bot.embeddings import embedder

    try:
        ids = embedder().ids
        return {w: slug for w, slug in words.items() if len(ids(w)) >= RARE_PIECES}
    except (OSError, RuntimeError):  # no embeddings: no word is taken to name an article
        return {}


# said with an answer to a question that named no treatment (``Answer.unnamed``)
UNNAMED_NOTE = (
    "You didn't name a treatment, so these are the closest passages in any article: "
    "check which treatment each one is about."
)


def _word_set(text: str) -> set[str]:
    """``set(search.tokens(text))``, casefolding each distinct word once."""
    return {w.casefold() for w in set(search.TOKEN.findall(text))}


def validate_question(question: str) -> str:
    """The question, trimmed; a UserError when it is empty or too long."""
    text = " ".join((question or "").split())
    if not text:
        raise UserError("Please type a question, e.g. `baclofen side effects`.")
    if len(text) >= MAX_QUESTION:
        raise UserError(f"That question is {len(text)} characters long; please keep it under {MAX_QUESTION}.")
    return text


def _question_sentence(said: list[str]) -> str:
    """Of a post's sentences, the question itself: the last one asking something, else the last."""
    said = [s for s in said if s.strip()] or [""]
    return ([s for s in said if "?" in s] or said)[-1]


def _short_plural(word: str) -> bool:
    """A word that may be a short name in the plural ("scds"), not a word of its own ("memantines")."""
    return 3 < len(word) <= PLURAL_OF and word.endswith("s")


class _PhraseIndex:
    """Finds known phrases (one or more words) in text in time linear in the text's words."""

    def __init__(self, phrases: dict[str, str]) -> None:
        self._phrases: dict[tuple[str, ...], str] = {}
        for phrase, value in phrases.items():
            key = tuple(search.tokens(phrase))
            if key:
                self._phrases.setdefault(key, value)
        self._longest = max((len(k) for k in self._phrases), default=0)
        self._first = frozenset(k[0] for k in self._phrases)  # a phrase can only start at these

    def find(self, text: str) -> list[tuple[str, tuple[str, ...]]]:
        """(value, words) for each phrase in the text, longest first at each position."""
        if not self._longest or not text:
            return []
        words = search.tokens(text)
        found = []
        first = self._first
        i = 0
        while i < len(words):
            word = words[i]
            if word not in first and not (_short_plural(word) and word[:-1] in first):
                i += 1
                continue
            for size in range(min(self._longest, len(words) - i), 0, -1):
                key = tuple(words[i : i + size])
                value = self._phrases.get(key)
                if value is None and _short_plural(key[-1]):
                    # a short name in the plural ("SCDs"); a long one is a word of its own ("memantines")
                    value = self._phrases.get((*key[:-1], key[-1][:-1]))
                if value is not None:
                    found.append((value, key))
                    i += size
                    break
            else:
                i += 1
        return found


class KnowledgeBase:
    """Every article under ``articles_dir``, searchable. Works with no articles at all."""

    def __init__(self, db: Any, articles_dir: Path) -> None:
        self.db = db
        self.articles_dir = Path(articles_dir)
        self.articles: dict[str, Article] = {}
        self.problems: list[Problem] = []
        self.reindexed: list[str] = []  # files (re)indexed by the last open()
        self._treatments: dict[str, Treatment] = {}
        self._by_name: dict[str, str] = {}  # normalised name/alias -> slug
        self._labels: list[tuple[str, str, str]] = []  # (normalised key, label, slug)
        self._names = _PhraseIndex({})  # names and aliases -> slug
        self._name_keys: list[str] = []
        self._label_keys: list[str] = []
        self._missing = _PhraseIndex({})  # well-known treatments no article covers
        self._missing_keys: list[str] = []  # sorted, one word each (see _starting)
        self._one_word_names: list[str] = []
        self._sections: dict[int, tuple[str, int]] = {}  # fts rowid -> (file, position)
        self._general: set[int] = set()
        self._about_rls: list[int] = []  # rowids of the sections most about RLS itself
        self._rows_by_slug: dict[str, list[int]] = {}
        self._words: frozenset[str] = frozenset()  # every word the articles use
        self._own_words: dict[str, str] = {}  # rare words only one treatment's article uses -> its slug
        self._vocabulary: list[str] = []  # words of six letters or more used by the articles
        self._model: topics.TopicModel | None = None
        self._model_loading: asyncio.Future[topics.TopicModel] | None = None
        self._descriptions: Descriptions | None = None
        self._defining_section: dict[str, Section] = {}
        self._uses: dict[str, set[str]] = {}  # what else each treatment is for, once asked about
        self._salience_cache: dict[str, list[set[str]]] = {}  # slug -> each section's descriptive stems
        self._section_topics: dict[tuple[str, int], dict[str, float]] = {}
        self._word_cache: dict[tuple[str, int], frozenset[str]] = {}
        self._count_cache: dict[tuple[str, int], dict[str, int]] = {}  # see _section_counts
        self._sentence_cache: dict[tuple[str, int], np.ndarray] = {}  # see _sentence_readings
        self._vectors: dict[tuple[str, int], Any] = {}  # (file, position) -> the section's embedding
        # what the topic model reads in each section, one float32 row per section (see
        # ``reading``): file -> the row of _reading_values of its first section (10,000 sections:
        # about 1 MB)
        self._reading_rows: dict[str, int] = {}
        self._reading_values = np.zeros((0, reading.WIDTH), dtype=np.float32)
        self._last_vector: tuple[str, Any] | None = None
        self._ranker: ranker.Ranker | None = None

    # -- loading -----------------------------------------------------------
    @classmethod
    async def open(cls, db: Any, articles_dir: Path) -> KnowledgeBase:
        kb = cls(db, articles_dir)
        await asyncio.to_thread(kb._load)  # parsing: off the loop
        # the topic model and embeddings load in the background: start-up does not wait for them
        kb._model_loading = asyncio.ensure_future(asyncio.to_thread(topics.load_model))
        await kb._index()
        return kb

    def _load(self) -> None:
        for path in article_files(self.articles_dir):
            article, problems = parse_file(path)
            self.problems.extend(problems)
            for problem in problems:
                log.warning("article problem: %s", problem)
            if article is None:
                continue
            if article.slug and article.slug in self._treatments:
                log.warning("%s: treatment %s already covered; skipped", path, article.slug)
                continue
            self.articles[article.file] = article
            if article.slug and article.treatment_name:
                self._add_treatment(article)
        words: set[str] = set()
        owner: dict[str, str | None] = {}  # word -> the one treatment whose article uses it enough
        for a in self.articles.values():
            # in how many of its sections each word is used: a word of one passing mention says little
            uses = Counter(w for s in a.sections for w in _word_set(f"{s.heading} {s.text}"))
            words.update(uses)
            slug = a.slug if a.slug in self._treatments else None  # one article per treatment
            for w, n in uses.items():
                owner[w] = slug if w not in owner and n >= OWN_USES else None
        self._own_words = _rare(
            {
                w: slug
                for w, slug in owner.items()
                if slug is not None and len(w) >= 5 and w.isalpha() and w not in search.STOPWORDS
            }
        )
        self._words = frozenset(words)
        self._vocabulary = sorted(w for w in words if len(w) >= 6 and w.isalpha())
        self._compile()
        try:
            self._ranker = ranker.Ranker.load()  # a few numbers: read here, off the loop
        except ValueError as exc:  # weights for other features: retraining reads the articles first
            log.error("%s", exc)

    def _article_topics(self, article: Article) -> list[dict[str, float]]:
        """The topics of each of an article's sections (stored in the index with them)."""
        found = []
        names = tuple(n for n in (article.treatment_name, *article.aliases) if n)
        defines = defining_sentence(names)
        for position, section in enumerate(article.sections):
            names_it = any(t.article.file == article.file for t in self.mentioned_treatments(section.heading))
            topics_here = section_topics(section.heading, section.text, names_treatment=names_it)
            if (
                defines is not None
                and position <= DEFINED_WITHIN
                and any(defines.search(s) for s in flat_sentences(section.text)[:DEFINING_SENTENCES])
            ):
                # "Valerian (Valeriana officinalis) is a tall perennial...": an opening section that
                # says what the treatment is introduces it, whatever its heading
                topics_here["what_it_is"] = max(topics_here.get("what_it_is", 0.0), DEFINED_STRENGTH)
            found.append(topics_here)
        if found and not any("what_it_is" in f for f in found):
            found[0]["what_it_is"] = 1.0  # no section says what it is: the first one introduces it
        return found

    def _describe(self) -> None:
        """Each treatment's descriptive words, from the section that says what it is."""
        described: dict[str, set[str]] = {}
        defines: dict[str, Section] = {}  # the section saying what each treatment is (and is for)
        for article in self.articles.values():
            if not article.slug or not article.sections:
                continue
            fact = article.facts.get("what_it_is")
            cited = [s for s in article.sections if fact is not None and s.heading in fact.sections]
            if cited:
                section = cited[0]  # the section its "what it is" fact cites
            else:
                strengths = [
                    self.topics_of(article.file, p).get("what_it_is", 0.0)
                    for p in range(len(article.sections))
                ]
                section = article.sections[max(range(len(strengths)), key=lambda p: (strengths[p], -p))]
            # the section that says what it is (heading included), and the fact card's own words
            text = " ".join(flat_sentences(f"{article.title}. {section.heading}. {section.text}")[:6])
            text += f" {fact.text}" if fact is not None else ""
            if named := heading_descriptions([article.title, *(s.heading for s in article.sections)]):
                text += f" {named}."
            defining = f"{article.title}. " + " ".join(
                flat_sentences(fact.text if fact is not None else section.text)[:1]
            )
            names = (article.treatment_name or "", *article.aliases)
            described[article.slug] = descriptive_words(text, names, defining)
            defines[article.slug] = section
        self._descriptions = Descriptions(described, self._salience)
        self._defining_section, self._uses = defines, {}

    def _other_uses(self, slug: str) -> set[str]:
        """What else a treatment is for, in its article's words (read when first asked about)."""
        found = self._uses.get(slug)
        if found is None:
            section, treatment = self._defining_section.get(slug), self._treatments.get(slug)
            if section is None or treatment is None:
                return set()
            article = treatment.source
            names = (article.treatment_name or "", *article.aliases)
            found = self._uses[slug] = {
                use
                for use in other_uses(" ".join(flat_sentences(section.text)[:USE_SENTENCES]), names)
                if self._salience(slug, use) <= OTHER_USE_SHARE
            }
        return found

    def _salience(self, slug: str, stem: str) -> float:
        """The share of a treatment's article sections (heading and text) using a descriptive stem."""
        found = self._salience_cache.get(slug)
        if found is None:
            treatment = self._treatments.get(slug)
            article = self.articles.get(treatment.article.file) if treatment else None
            found = [
                {describe_stem(w) for w in search.tokens(f"{s.heading} {s.text}".replace("'", "").replace("’", ""))}
                for s in (article.sections if article else ())
            ]
            if len(self._salience_cache) >= SALIENCE_CACHE:
                self._salience_cache.pop(next(iter(self._salience_cache)))
            self._salience_cache[slug] = found
        return sum(stem in words for words in found) / len(found) if found else 0.0

    def _add_treatment(self, article: Article) -> None:
        treatment = Treatment(
            slug=article.slug or "",
            name=article.treatment_name or "",
            aliases=article.aliases,
            article=ArticleInfo(article.title, article.author, article.date, article.source, article.file),
            source=article,
            sections=tuple(article.sections),
        )
        self._treatments[treatment.slug] = treatment
        for key in (treatment.slug, treatment.name, *treatment.aliases):
            self._by_name.setdefault(_norm(key), treatment.slug)
        self._labels.append((_norm(treatment.name), treatment.name, treatment.slug))
        for alias in treatment.aliases:
            self._labels.append((_norm(alias), f"{alias} ({treatment.name})", treatment.slug))

    def _compile(self) -> None:
        self._names = _PhraseIndex(self._by_name)
        self._label_keys = [norm for norm, _, _ in self._labels]
        self._name_keys = list(self._by_name)
        known = {_norm(k) for k in self._by_name}
        missing = {
            _norm(n): name
            for name, aliases in KNOWN_TREATMENTS.items()
            if _norm(name) not in known
            for n in (name, *aliases)
            if _norm(n) not in known
        }
        self._missing = _PhraseIndex(missing)
        self._missing_keys = sorted(k for k in missing if " " not in k)
        self._one_word_names = sorted(k for k in self._by_name if " " not in k)

    async def _index(self) -> None:
        """Re-index articles whose content changed; drop the ones that are gone."""
        stored = {
            row["file"]: row["content_hash"]
            for row in await self.db.fetchall("SELECT file, content_hash FROM kb_articles")
        }
        # the topic model's readings are stored too: a model trained on other questions reads again
        model_key = await asyncio.to_thread(topics.corpus_key)
        digests = {
            file: hashlib.sha256(f"{INDEX_VERSION}\n{model_key}\n{article.content_hash}".encode()).hexdigest()
            for file, article in self.articles.items()
        }
        changed = [file for file in self.articles if stored.get(file) != digests[file]]
        # reading every sentence for its topics is the slow part: in a thread, only for changed articles
        computed = await asyncio.to_thread(
            lambda: {f: self._article_topics(self.articles[f]) for f in changed}
        )
        readings = await self._read(changed)
        async with self.db.transaction() as conn:
            for file in set(stored) - set(self.articles):
                await self._drop(conn, file)
                log.info("removed %s from the index", file)
            for file in changed:
                article, digest = self.articles[file], digests[file]
                if file not in readings and article.sections:
                    # indexed without the topic model's readings: the next start reads it again
                    digest = f"unread:{digest}"
                await self._drop(conn, file)
                await conn.execute(
                    "INSERT INTO kb_articles(file, content_hash, slug, title, index_version) VALUES(?,?,?,?,?)",
                    (file, digest, article.slug, article.title, INDEX_VERSION),
                )
                names = " ".join([article.treatment_name or "", *article.aliases])
                rows = reading.unpack(readings.get(file), len(article.sections)) if file in readings else None
                for position, section in enumerate(article.sections):
                    cursor = await conn.execute(
                        "INSERT INTO kb_sections(file, position, heading, topics, readings) VALUES(?,?,?,?,?)",
                        (
                            file,
                            position,
                            section.heading,
                            json.dumps(computed[file][position]),
                            rows[position].tobytes() if rows is not None else None,
                        ),
                    )
                    await conn.execute(
                        "INSERT INTO kb_fts(rowid, heading, body, names) VALUES(?,?,?,?)",
                        (cursor.lastrowid, section.heading, section.text, names),
                    )
                self.reindexed.append(file)
                log.info("indexed %s (%d sections)", file, len(article.sections))
        rows = await self.db.fetchall("SELECT id, file, position, heading, topics, readings FROM kb_sections")
        # each row brings its own copy of its file's name, of every topic's name and of each strength
        # (a few values, 1.0, 2.0 ...): one of each is kept
        files = {file: file for file in self.articles}
        names: dict[str, str] = {}
        strengths: dict[float, float] = {}
        self._sections = {row["id"]: (files.get(row["file"], row["file"]), row["position"]) for row in rows}
        self._section_topics = {
            (files[row["file"]], row["position"]): {
                names.setdefault(topic, topic): strengths.setdefault(value := float(strength), value)
                for topic, strength in json.loads(row["topics"]).items()
            }
            for row in rows
            if row["file"] in self.articles
        }
        self._load_readings([row for row in rows if row["file"] in self.articles])
        await asyncio.to_thread(self._describe)
        self._rows_by_slug = {}
        for row in rows:
            article = self.articles.get(row["file"])
            if article is not None and article.slug:
                self._rows_by_slug.setdefault(article.slug, []).append(row["id"])
        about = sorted(
            (-self.topics_of(row["file"], row["position"]).get("about_rls", 0.0), row["id"])
            for row in rows
            if "about_rls" in self.topics_of(row["file"], row["position"])
        )
        self._about_rls = [rowid for _, rowid in about[:ABOUT_RLS_CANDIDATES]]
        # sections whose heading names no treatment ("Understanding Restless Leg Syndrome")
        self._general = {
            row["id"]
            for row in rows
            if row["file"] in self.articles and not self.mentioned_treatments(row["heading"])
        }
        # the articles' own patterns compiled while indexing ("Dipyridamole is a ...") would stay in
        # re's cache, a few megabytes with many articles; none is used again
        re.purge()

    @staticmethod
    async def _drop(conn: Any, file: str) -> None:
        await conn.execute(
            "DELETE FROM kb_fts WHERE rowid IN (SELECT id FROM kb_sections WHERE file = ?)", (file,)
        )
        await conn.execute("DELETE FROM kb_sections WHERE file = ?", (file,))
        await conn.execute("DELETE FROM kb_articles WHERE file = ?", (file,))

    # -- treatments ----------------------------------------------------------
    def treatments(self) -> list[Treatment]:
        return sorted(self._treatments.values(), key=lambda t: t.name.casefold())

    async def warm_cards(self, treatments: list[Treatment] | None = None) -> None:
        """Draft the fact cards not built yet, in a thread: the event loop keeps running meanwhile."""
        pending = [t for t in (treatments or self.treatments()) if "card" not in t.__dict__]
        if pending:
            await asyncio.to_thread(lambda: [t.card for t in pending])

    def get(self, slug: str) -> Treatment | None:
        return self._treatments.get(slug)

    def find_treatment(self, name: str) -> Treatment | None:
        """By slug, generic name, brand name or misspelling; small typos are forgiven."""
        key = _norm(name or "")
        if not key:
            return None
        slug = self._by_name.get(key)
        if slug is None:
            # an autocomplete label such as "Lioresal (Baclofen)"
            inner = re.fullmatch(r"(.+?)\s*\((.+)\)", (name or "").strip())
            if inner:
                slug = self._by_name.get(_norm(inner.group(2))) or self._by_name.get(_norm(inner.group(1)))
        if slug is None and len(key) >= 4 and self._by_name:
            match = process.extractOne(key, self._name_keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
            if match:
                slug = self._by_name[match[0]]
        return self._treatments.get(slug) if slug else None

    def close_names(self, name: str, limit: int = 3) -> list[str]:
        """Names of treatments that look a little like ``name`` (for "did you mean")."""
        key = _norm(name or "")
        if not key or not self._labels:
            return [t.name for t in self.treatments()][:limit]
        matches = process.extract(key, [k for k, _, _ in self._labels], scorer=fuzz.WRatio, limit=limit * 4)
        names: list[str] = []
        floor = max(70.0, (matches[0][1] - 20) if matches else 0)
        for _, score, index in matches:
            treatment = self._treatments[self._labels[index][2]]
            if score >= floor and treatment.name not in names:
                names.append(treatment.name)
        return names[:limit]

    def suggest(self, text: str, limit: int = 25) -> list[tuple[str, str]]:
        """(label, slug) pairs for autocomplete: prefix matches, then substrings, then typos."""
        limit = max(0, min(limit, 25))
        key = _norm(text or "")
        if not key:
            return [(t.name[:100], t.slug) for t in self.treatments()][:limit]
        ranked: list[tuple[int, str, str]] = []
        for norm, label, slug in self._labels:
            if norm.startswith(key):
                ranked.append((0, label, slug))
            elif key in norm:
                ranked.append((1, label, slug))
        if len(ranked) < limit and len(key) >= 3:
            close = process.extract(
                key, self._label_keys, scorer=fuzz.partial_ratio, score_cutoff=75, limit=limit * 2
            )
            for _, _, index in close:
                norm, label, slug = self._labels[index]
                if not norm.startswith(key) and key not in norm:
                    ranked.append((2, label, slug))
        ranked.sort(key=lambda r: (r[0], r[1].casefold()))
        out: list[tuple[str, str]] = []
        seen: set[str] = set()
        for _, label, slug in ranked:
            if label in seen:
                continue
            seen.add(label)
            out.append((label[:100], slug))
            if len(out) >= limit:
                break
        return out

    def mentioned_treatments(self, text: str) -> list[Treatment]:
        """Treatments named in free text (names, brands, misspellings) as whole words."""
        found: list[Treatment] = []
        for slug, _ in self._names.find(text):
            treatment = self._treatments[slug]
            if treatment not in found:
                found.append(treatment)
        return found

    def _treatments_in_question(self, text: str) -> tuple[list[str], set[str]]:
        """Slugs named in a question (typos included) and the words that named them."""
        named = self._named_in(text)
        return list(named), {w for keys in named.values() for key in keys for w in key}

    def _named_in(self, text: str) -> dict[str, list[tuple[str, ...]]]:
        """Each slug named in the text, in the order first named, with the words of each mention."""
        named: dict[str, list[tuple[str, ...]]] = {}
        words: set[str] = set()
        for slug, matched in self._names.find(text):
            words.update(matched)
            named.setdefault(slug, []).append(matched)
        said = search.tokens(text)
        for i, word in enumerate(said):
            used = word in self._words
            if word in words or word in search.STOPWORDS or len(word) < CLIPPED_SHORTEST:
                continue
            if self._model is not None and self._model.uses(word) >= MEMBER_WORD:
                continue
            clipped = None if used else self._clipped(word, taken=_taken(said, i))
            if clipped is not None:
                words.add(word)
                named.setdefault(clipped, []).append((word,))
                continue
            if len(word) < (6 if used else 5):
                continue
            # a word the articles use is rarely a misspelt name; when it is, it is a near twin of one
            # ("persantin" in an article on Persantine)
            cutoff = NAME_TWIN if used else 85
            match = process.extractOne(word, self._name_keys, scorer=fuzz.ratio, score_cutoff=cutoff)
            if not match and not used and len(word) >= LONG_NAME:
                # two letters swapped or mistyped in a long name ("carbamezapine"): two edits in a
                # word this long leave it nearer that name than any English word
                match = process.extractOne(
                    word, self._name_keys, scorer=Levenshtein.distance, score_cutoff=LONG_NAME_EDITS
                )
            if match:
                words.add(word)
                named.setdefault(self._by_name[match[0]], []).append((word,))
        return named

    def _clipped(self, word: str, taken: bool = False) -> str | None:
        """The one treatment a name cut short stands for: "klonnies" (Klonopin), "prami"
        (pramipexole). The cut keeps at least four letters and ends the way such names are made
        friendly (-ie, -y, -e), or keeps five (CLIP_ENDINGS). A doubled last letter may be the
        friendly form's ("klonn-ies"). A cut that also begins the name of a treatment no article
        covers stands for nothing. ``taken``: the word follows one that says a medicine is taken
        ("on bupe"), where a friendly ending may follow three letters."""
        if not word.isalpha():
            return None
        found: set[str] = set()
        for ending, shortest in CLIP_ENDINGS:
            if taken and ending in FRIENDLY:
                shortest = min(shortest, CLIPPED_SHORTEST - 1)
            if not word.endswith(ending) or len(word) - len(ending) < shortest:
                continue
            cut = word[: len(word) - len(ending)] if ending else word
            doubled = ending in ("ies", "ie", "y") and len(cut) > shortest and cut[-1] == cut[-2]
            cuts = {cut, cut[:-1]} if doubled else {cut}
            for piece in cuts:
                if _starting(self._missing_keys, piece):
                    return None
                found |= {
                    self._by_name[key]
                    for key in _starting(self._one_word_names, piece)
                    if len(key) >= len(piece) + CLIPPED_LEFT
                }
        return found.pop() if len(found) == 1 else None

    # -- questions -----------------------------------------------------------
    def topics_of(self, file: str, position: int) -> dict[str, float]:
        """The question topics one section covers, with their strength."""
        return self._section_topics.get((file, position), {})

    def covered_topics(self, slug: str) -> list[str]:
        """Every topic the treatment's article covers, in the usual order."""
        treatment = self._treatments.get(slug)
        if treatment is None:
            return []
        file = treatment.article.file
        found = {t for pos in range(len(treatment.sections)) for t in self.topics_of(file, pos)}
        return [t for t in topics.ANSWERABLE if t in found]

    def _topic_model(self) -> topics.TopicModel:
        if self._model is None:
            self._model = topics.load_model()  # loaded once per process (the background load shares it)
        return self._model

    def understand(self, question: str) -> Understood:
        """Which treatments a question means (by name or description) and what it asks about them."""
        text = search.prepare(" ".join((question or "").split())[: MAX_QUESTION * 2])
        named = self._named_in(text)
        slugs = self._asked_first(text, named) if len(named) > 1 else list(named)
        words = {w for keys in named.values() for key in keys for w in key}
        described, salience = False, {}
        if not slugs and self._descriptions is not None:
            salience = self._descriptions.weighed(text)
            slugs, described = list(salience), bool(salience)
        if not slugs:
            # "what is cinchonism?" with an article on quinine: a rare word only one article uses
            implied = {self._own_words[w] for w in search.tokens(text) if w in self._own_words}
            if len(implied) == 1 and not self._missing.find(text):
                slugs, described = list(implied), True
        named = {" ".join(key) for _, key in self._names.find(text)}
        named |= {" ".join(key) for _, key in self._missing.find(text)} | words
        pattern = topics.names_pattern(named) if named else None
        prediction = self._predict(topics.normalise(text, pattern)) if text else None
        return Understood(text, slugs, words, described, prediction, salience)

    def _asked_first(self, text: str, named: dict[str, list[tuple[str, ...]]]) -> list[str]:
        """The named treatments with the one the question itself asks about first: the one named in
        the last clause of the question sentence that names one."""
        slugs = list(named)

        def naming(part: str) -> list[str]:
            words = set(search.tokens(part))
            return [slug for slug in slugs if any(set(key) <= words for key in named[slug])]

        clauses: list[str] = []
        for piece in _CLAUSE_SPLIT.split(_question_sentence(_SENTENCE_SPLIT.split(text))):
            parts = _AND.split(piece)
            clauses.append(parts[0])
            for part in parts[1:]:
                if naming(" ".join(part.split()[:2])):
                    clauses[-1] += f" and {part}"  # names joined by "and"
                else:
                    clauses.append(part)
        # a comparison ("like when i came off pramipexole") names the one asked about only if
        # no other clause names one
        asking = [c for c in clauses if not _LIKE.match(c)]
        if not any(naming(c) for c in asking):
            asking = clauses
        for clause in reversed(asking):
            if found := naming(clause):
                return [found[0], *(slug for slug in slugs if slug != found[0])]
        # the question itself names none ("... now she's suggesting amantadine. What should I ask
        # her?"): it asks about the ones the last sentence naming any names, those first
        for sentence in reversed(_SENTENCE_SPLIT.split(text)):
            if here := naming(sentence):
                return [*here, *(slug for slug in slugs if slug not in here)]
        return slugs

    def _predict(self, text: str) -> topics.Prediction:
        """The topic a question asks about. In a post of several sentences the question itself
        (the last one asking something, else the last one) also counts, for QUESTION_WEIGHT: "My
        dad is 82 and on pramipexole. He sees people in the room at night. Is that the tablets?"."""
        model = self._topic_model()
        whole = model.predict(text)
        said = [s for s in _SENTENCE_SPLIT.split(text) if len(s.split()) >= 3]
        if len(said) < 2:
            return whole
        focus = model.predict(_question_sentence(said))
        scores = {k: (1 - QUESTION_WEIGHT) * v + QUESTION_WEIGHT * focus.scores[k] for k, v in whole.scores.items()}
        ranked = sorted(scores, key=lambda k: -scores[k])
        return topics.Prediction(ranked[0], scores[ranked[0]] - scores[ranked[1]], scores)

    async def ask(self, question: str, limit: int = 3) -> Answer:
        answer = await self._ask(question, limit)
        if not answer.answered or not any(len(p.text) > FOCUS_FROM for p in answer.results):
            return answer
        return dataclasses.replace(answer, results=[self._focused(p, answer.question) for p in answer.results])

    def _focused(self, passage: Passage, question: str) -> Passage:
        """The passage with its focus on the sentence that best answers the question: the one the
        topic model reads as most about the asked topic and that uses most of the question's own
        words (weak words count half). Focus stays 0 for a short section, or when no sentence
        after the first is sure enough (FOCUS_SURE)."""
        if len(passage.text) <= FOCUS_FROM or self._model is None:
            return passage
        article = self.articles.get(passage.file)
        parts = sentences(passage.text)
        if article is None or len(parts) < 2:
            return passage
        names = [n for n in (article.slug, article.treatment_name, *article.aliases) if n]
        query = search.analyse(question, [], {w for n in names for w in search.tokens(n)})
        total = sum(t.weight for t in query.terms)
        readings = self._sentence_readings(article, passage.position, parts, names)
        column = reading.COLUMN.get(passage.topic or "")
        best, best_score = 0, -1.0
        for i, sentence in enumerate(parts):
            words = {search.stem(w) for w in search.tokens(sentence)}
            used = sum(t.weight for t in query.terms if any(search.stem(f) in words for f in t.forms))
            score = (float(readings[i, column]) if column is not None else 0.0) + (
                FOCUS_WORDS * used / total if total else 0.0
            )
            if score > best_score + 1e-9:
                best, best_score = i, score
        if best == 0 or best_score < FOCUS_SURE:
            return passage
        start = text_mod.locate(passage.text, parts[best])
        return dataclasses.replace(passage, focus=start) if start > 0 else passage

    def _sentence_readings(self, article: Article, position: int, parts: list[str], names: list[str]) -> np.ndarray:
        """The topic model's reading of each sentence of a section (probabilities over
        ``reading.TOPICS``), kept for the last few sections asked about."""
        key = (article.file, position)
        found = self._sentence_cache.get(key)
        if found is None:
            found = reading.read_sentences(self._model, parts, names)
            if len(self._sentence_cache) >= FOCUS_CACHE:
                self._sentence_cache.pop(next(iter(self._sentence_cache)))
            self._sentence_cache[key] = found
        return found

    async def _ask(self, question: str, limit: int) -> Answer:
        text = " ".join((question or "").split())[: MAX_QUESTION * 2]
        nothing = Answer(text, False, [])
        if not text or not self._sections:
            return nothing
        if self._model is None and self._model_loading is not None:
            self._model = await self._model_loading
        asked = text
        if requests.asks_for_writing(asked):  # "write me a poem about baclofen" asks for no fact
            return Answer(asked, False, [], topic="chat", reason="writing")
        understood = self.understand(text)
        text, slugs = understood.text, understood.slugs
        if not text or not search.tokens(text):
            return nothing
        if not slugs and self._missing.find(text):
            return Answer(asked, False, [], reason="uncovered treatment")  # no article covers it
        prediction = understood.prediction
        assert prediction is not None
        query = self.query_for(understood)
        if (
            slugs
            and "other_condition" in prediction.ranked()[:OTHER_USE_RANK]
            and any(asks_other_use(_NOT_RLS.sub(" ", text), self._other_uses(slug)) for slug in slugs)
            and (_ASKED.search(text) or not self._keyword_search(query, slugs))
        ):
            # "is tegretol any good as a mood stabiliser for bipolar": another use its article names
            return self._refused_off_article(asked, "other_condition", slugs)
        if slugs and ages.asks_about_a_minor(text):
            # the articles are written for adults: "is methadone ok for teenagers with rls"
            return self._refused_off_article(asked, "children", slugs)
        topic = prediction.topic
        asked_probabilities = ranker.topic_probabilities(prediction.scores)
        floor = self._ranker_model().answer_floor(asked_probabilities)
        if self._ranker_model().refuses(topic, asked_probabilities):
            still_answerable = topic == "other_condition" and (
                bool(set(search.tokens(_NOT_RLS.sub(" ", text))) & search.GENERIC)
                or self._keyword_search(query, slugs)
            )
            if not still_answerable:
                # a question about another use of a medicine ("is persantin good after a stroke?")
                # is refused even where its article mentions that use in passing
                return self._refused_off_article(asked, topic, slugs)
            # "does the alzheimer's drug help jumpy legs" asks about RLS after all; "baclofen
            # hiccups" is a search for what its article says on them
            prediction = prediction.among(topics.ANSWERABLE)
        elif topic in topics.OFF_ARTICLE:
            prediction = prediction.among(topics.ANSWERABLE)  # not sure enough to refuse: what else?
        topic = prediction.topic
        strong = [t for t in query.terms if t.weight >= 1]
        if slugs:
            if (
                not query.terms
                and not understood.described
                and topic not in OVERVIEW_SKIPS
                and prediction.scores.get(topic, 0.0) < OVERVIEW_SURE
                and not self._one_section_answers(asked, slugs, prediction, query)
            ):
                return self._overview(asked, slugs, prediction, query, limit)
            return self._answer_for(
                asked, slugs, prediction, query, limit, by_score=understood.described, floor=floor,
                salience=understood.salience,
            )
        vague = query.terms and all(t.word in search.VAGUE for t in query.terms)
        if vague and (topic == "about_rls" or query.generic):
            # "what helps rls?", "what's the best treatment for restless legs": no one passage answers
            answer = Answer(asked, False, [], topic=topic, reason="too vague")
        elif topic == "about_rls":
            answer = await self._answer_general(asked, prediction, query, limit, coverage=0.5)
        elif not strong:
            answer = Answer(asked, False, [], topic=topic, reason="no treatment named")
        else:
            # the topic model's own first reading says whether a treatment is asked about at all
            # ("how do I fix my car" is chat, read as how it works only for want of a better topic;
            # "what causes rls" is about RLS itself)
            first = understood.prediction.topic if understood.prediction is not None else None
            about_one = first in topics.ANSWERABLE and first != "about_rls"
            answer = await self._answer_general(
                asked, prediction, query, limit, coverage=MIN_COVERAGE, about_a_treatment=about_one
            )
        if not answer.answered and self._descriptions is not None and (several := self._descriptions.fits(text)):
            # "the parkinsons pill" among several dopamine medicines: ask which one is meant
            return Answer(asked, False, [], topic=topic, reason="several fit", covered=dict.fromkeys(several, []))
        return answer

    def query_for(self, understood: Understood) -> search.Query:
        """The question's words as the search and the ranker weigh them. A word before "legs" that
        no article uses is the member's own name for RLS ("jumpy legs", "jimmy legs"): generic,
        like "restless", not something a passage must say."""
        query = search.analyse(understood.text, understood.slugs, understood.words)
        said = search.tokens(understood.text)
        naming: set[str] = set()
        for i, word in enumerate(said):
            if word not in search.LEGS:
                continue
            for before in reversed(said[max(i - 2, 0) : i]):
                if before in self._words or before in search.STOPWORDS or before in understood.words:
                    break
                naming.add(before)
        if not naming or not query.terms:
            return query
        return dataclasses.replace(
            query,
            terms=[t for t in query.terms if t.word not in naming],
            generic=query.generic + [t for t in query.terms if t.word in naming],
        )

    def _refused_off_article(self, asked: str, topic: str, slugs: list[str]) -> Answer:
        covered = {slug: self.covered_topics(slug) for slug in slugs}
        return Answer(asked, False, [], topic=topic, reason="off-article", covered=covered)

    def _section_words(self, file: str, position: int) -> frozenset[str]:
        key = (file, position)
        words = self._word_cache.get(key)
        if words is None:
            section = self.articles[file].sections[position]
            words = frozenset(search.stem(w) for w in search.tokens(f"{section.heading} {section.text}"))
            if len(self._word_cache) > 4096:
                self._word_cache.clear()
            self._word_cache[key] = words
        return words

    @staticmethod
    def _heading_words(article: Article, position: int) -> set[str]:
        return {search.stem(w) for w in search.tokens(article.sections[position].heading)}

    def _overlap(self, query: search.Query, file: str, position: int) -> float:
        words = self._section_words(file, position)
        return sum(t.weight for t in query.terms if any(search.stem(f) in words for f in t.forms))

    def explain(self, answer: Answer) -> str:
        """Why a question was not answered, and what the articles do cover, in plain words."""
        topic = answer.topic
        if answer.reason == "uncovered treatment":
            return "None of the community articles covers that treatment, so I won't guess."
        if answer.reason == "writing":
            return (
                "I only look things up in the community articles, so I don't write poems, jokes or "
                "stories. Ask me a question about a treatment and I'll show you what its article says."
            )
        if answer.reason == "several fit":
            names = [t.name for slug in answer.covered if (t := self._treatments.get(slug)) is not None]
            listed = ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else "".join(names)
            return (
                f"That could be any of several treatments the community articles cover: {listed}. "
                "Which one do you mean? Ask again with its name."
            )
        if answer.reason == "too vague" and self._treatments:
            # "what helps rls?": too broad to answer from one passage; say what can be asked about
            names = sorted({t.name for t in self._treatments.values()}, key=str.casefold)
            shown = ", ".join(names[:TOO_VAGUE_NAMES]) + (", and others" if len(names) > TOO_VAGUE_NAMES else "")
            return (
                "That's a broad question, and each community article is about one treatment. "
                f"They cover: {shown}. Ask about one of them."
            )
        if topic in OFF_ARTICLE_REPLIES:
            return self._also_covered(answer, OFF_ARTICLE_REPLIES[topic])
        if topic == "chat" or not topic:
            return "I couldn't find anything in the community articles that answers that, so I won't guess."
        if answer.covered:
            parts = []
            for slug, covered in answer.covered.items():
                treatment = self._treatments.get(slug)
                if treatment is None:
                    continue
                what = ", ".join(topics.TOPIC_NAMES[t] for t in covered if t != "about_rls") or "little else"
                missing = topics.TOPIC_NAMES.get(topic, topic)
                if answer.reason.startswith("not mentioned: "):
                    missing = answer.reason.removeprefix("not mentioned: ")
                elif topic in covered:
                    # it covers the topic, just not what was asked about it: say so, not the opposite
                    parts.append(
                        f"I couldn't find the part of the article on {treatment.name} that answers "
                        f"that. It covers: {what}."
                    )
                    continue
                parts.append(
                    f"The article on {treatment.name} doesn't cover {missing}. It does cover: {what}."
                )
            if parts:
                return " ".join(parts)
        if answer.reason == "no treatment named":
            return (
                f"That sounds like a question about {topics.TOPIC_NAMES.get(topic, topic)}: "
                "which treatment do you mean? Name it and ask again."
            )
        return "I couldn't find anything in the community articles that answers that, so I won't guess."

    def _also_covered(self, answer: Answer, refusal: str) -> str:
        """An off-article refusal, and what the named treatments' articles do cover instead."""
        parts = [refusal]
        for slug, covered in answer.covered.items():
            treatment = self._treatments.get(slug)
            what = [topics.TOPIC_NAMES[t] for t in covered if t != "about_rls"]
            if treatment is not None and what:
                parts.append(f"The article on {treatment.name} does cover: {', '.join(what)}.")
        return " ".join(parts)

    def _rare_hits(self, query: search.Query, article: Article) -> dict[int, int]:
        """position -> how many of the question's meaningful words only this section (or few) use.

        BM25's idea on one article: "baclofen hiccups" is about the one section that says hiccups,
        whatever the topic model thinks.
        """
        n = len(article.sections)
        hits: dict[int, int] = {}
        if len(query.terms) > KEYWORDS:
            return hits  # a sentence: its topic says more than any one word
        for term in query.terms:
            if term.weight < 1 or len(term.word) < 4:
                continue
            stems = {search.stem(f) for f in term.forms}
            if self._model.is_rare(term.word):
                # a word members seldom use names something specific: where the article says it
                where = [p for p in range(n) if stems & self._section_words(article.file, p)]
            else:
                # a common word counts where a heading says it ("requip augmentation")
                where = [p for p in range(n) if stems & self._heading_words(article, p)]
            if 0 < len(where) <= max(1, n // 4):
                for p in where:
                    hits[p] = hits.get(p, 0) + 1
        return hits

    def _keyword_search(self, query: search.Query, slugs: list[str]) -> bool:
        """A few words the named article uses, every one ("baclofen for ms spasticity"): a search for
        what it says on them, even about another condition."""
        return len(query.terms) <= KEYWORDS and self._articles_say(query, slugs)

    def _articles_say(self, query: search.Query, slugs: list[str]) -> bool:
        """Whether a named treatment's article uses every meaningful word of the question."""
        needed = [t for t in query.terms if t.weight >= 1]
        if not slugs or not needed:
            return False
        for slug in slugs:
            article = self.articles.get(self._treatments[slug].article.file)
            if article is None:
                continue
            words = {w for p in range(len(article.sections)) for w in self._section_words(article.file, p)}
            if all(any(search.stem(f) in words for f in t.forms) for t in needed):
                return True
        return False

    def _unmentioned_partner(self, query: search.Query, article: Article) -> list[str]:
        """Substances the question asks about mixing with that the article never mentions."""
        words = {w for p in range(len(article.sections)) for w in self._section_words(article.file, p)}
        asked = {t.word for t in query.terms} | set(query.text.casefold().split())
        return sorted(
            p
            for p in search.PARTNERS
            if p in asked and not any(search.stem(f) in words for f in (p, *search.PARTNERS[p]))
        )

    def _candidates(
        self, question: str, prediction: topics.Prediction, query: search.Query, article: Article
    ) -> list[ranker.Candidate]:
        """What the ranker needs to know about each of the article's sections for this question."""
        vector = self._question_vector(question)
        rare = self._rare_hits(query, article)
        total = sum(t.weight for t in query.terms)
        asked = {search.stem(f) for t in query.terms for f in t.forms}
        sims = [float(self._vector(article.file, p) @ vector) for p in range(len(article.sections))]
        top = max(sims, default=0.0)
        n = len(article.sections)
        read = [self._reading(article, p) for p in range(n)]
        focus = self._word_focus(query, article)
        return [
            ranker.Candidate(
                topics=self.topics_of(article.file, p),
                rare_words=rare.get(p, 0),
                word_share=self._overlap(query, article.file, p) / total if total else 0.0,
                similarity=sims[p],
                similarity_gap=sims[p] - top,
                heading_words=len(self._heading_words(article, p) & asked),
                word_focus=focus[p],
                position=p,
                sections=n,
                heading=article.sections[p].heading,
                question=question,
                heading_topics=read[p].get("heading", {}),
                content_topics=read[p].get("content", {}),
            )
            for p in range(n)
        ]

    def _section_counts(self, file: str, position: int) -> dict[str, int]:
        """How often a section uses each word stem (heading included), kept for recent sections."""
        key = (file, position)
        counts = self._count_cache.get(key)
        if counts is None:
            section = self.articles[file].sections[position]
            counts = {}
            for word in search.tokens(f"{section.heading} {section.text}"):
                stem = search.stem(word)
                counts[stem] = counts.get(stem, 0) + 1
            if len(self._count_cache) >= COUNT_CACHE:
                self._count_cache.pop(next(iter(self._count_cache)))
            self._count_cache[key] = counts
        return counts

    def _word_focus(self, query: search.Query, article: Article) -> list[float]:
        """Per section: of all the article's uses of the question's words, the share in that section,
        averaged over the words by their weight ("liver" is said six times in the section on liver
        reports, once where it lists other cautions)."""
        n = len(article.sections)
        counts = [self._section_counts(article.file, p) for p in range(n)]
        shares, total = [0.0] * n, 0.0
        for term in query.terms:
            stems = {search.stem(f) for f in term.forms}
            used = [sum(c.get(s, 0) for s in stems) for c in counts]
            whole = sum(used)
            if not whole:
                continue
            total += term.weight
            for p in range(n):
                shares[p] += term.weight * used[p] / whole
        return [s / total for s in shares] if total else shares

    async def _read(self, files: list[str]) -> dict[str, bytes]:
        """What the topic model reads in these articles' sections (see ``reading``): in a thread
        for a few articles, in a worker process for many, so that the tokenizer's memory is not
        kept by the bot. Empty, and logged, when they cannot be read."""
        batch: reading.Batch = [
            (
                f,
                [(s.heading, s.text) for s in self.articles[f].sections],
                [n for n in (self.articles[f].slug, self.articles[f].treatment_name, *self.articles[f].aliases) if n],
            )
            for f in files
        ]
        if not batch:
            return {}
        try:
            if sum(len(sections) for _, sections, _ in batch) < READ_IN_WORKER:
                return await asyncio.to_thread(reading.read_batch, batch)
            worker = ProcessWorker("reading")
            try:
                return await worker.run(reading.read_batch, batch)
            finally:
                await worker.aclose()
        except Exception:  # the topic model could not be loaded: index without its readings
            log.exception("could not read the sections' topics; indexing without them")
            return {}

    def _load_readings(self, rows: list[Any]) -> None:
        """The stored readings of every indexed section, kept as one compact array."""
        rows = sorted(rows, key=lambda row: (row["file"], row["position"]))
        values = np.zeros((len(rows), reading.WIDTH), dtype=np.float32)
        first: dict[str, int] = {}  # file -> the row of its first section (its sections follow in order)
        for i, row in enumerate(rows):
            values[i] = reading.unpack(row["readings"], 1)[0]
            first.setdefault(row["file"], i - row["position"])
        self._reading_rows, self._reading_values = first, values

    def _reading(self, article: Article, position: int) -> dict[str, dict[str, float]]:
        """What the topic model reads in a section (stored with it when it was indexed):
        {"heading": {topic: p}, "content": {topic: p}}; empty when it was never read."""
        start = self._reading_rows.get(article.file)
        if start is None or not 0 <= position < len(article.sections) or start + position >= len(self._reading_values):
            return {}
        row = start + position
        values = self._reading_values[row].tolist()
        n = len(reading.TOPICS)
        return {
            "heading": {t: v for t, v in zip(reading.TOPICS, values[:n], strict=True) if v},
            "content": {t: v for t, v in zip(reading.TOPICS, values[n:], strict=True) if v},
        }

    def _question_vector(self, question: str):
        cached = self._last_vector
        if cached is not None and cached[0] == question:
            return cached[1]
        vector = topics.embed([question])[0]
        self._last_vector = (question, vector)
        return vector

    def _vector(self, file: str, position: int):
        """A section's embedding (heading and text), computed once."""
        key = (file, position)
        vector = self._vectors.get(key)
        if vector is None:
            section = self.articles[file].sections[position]
            vector = self._vectors[key] = topics.embed([f"{section.heading}. {section.text}"])[0]
        return vector

    def _ranker_model(self) -> ranker.Ranker:
        if self._ranker is None:
            self._ranker = ranker.Ranker.load()
        return self._ranker

    def rank_sections(
        self,
        question: str,
        prediction: topics.Prediction,
        query: search.Query,
        article: Article,
    ) -> list[tuple[float, int]]:
        """(probability that it answers, position) for each section, best first."""
        model = self._ranker_model()
        probabilities = ranker.topic_probabilities(prediction.scores)
        candidates = self._candidates(question, prediction, query, article)
        found = [
            (model.probability(ranker.features(prediction.topic, probabilities, c)), c.position)
            for c in candidates
        ]
        return sorted(found, key=lambda x: (-x[0], x[1]))

    def _answer_for(
        self,
        asked: str,
        slugs: list[str],
        prediction: topics.Prediction,
        query: search.Query,
        limit: int,
        *,
        by_score: bool = False,
        floor: float | None = None,
        salience: dict[str, float] | None = None,
    ) -> Answer:
        """The sections that answer a question about these treatments. ``by_score``: the question
        described them rather than named them, so the surest answer comes first, not the first named.
        ``floor``: how likely a section must be to answer (the ranker's threshold by default)."""
        topic = prediction.topic
        threshold = self._ranker_model().threshold if floor is None else floor
        picked: list[tuple[float, Article, int]] = []
        uncovered: list[str] = []
        partners: list[str] = []
        for slug in slugs:
            treatment = self._treatments[slug]
            article = self.articles.get(treatment.article.file)
            if article is None or not article.sections:
                continue
            if topic == "interactions" and (unknown := self._unmentioned_partner(query, article)):
                uncovered.append(slug)
                partners.extend(unknown)
                continue
            if self._never_covers(article, prediction):
                uncovered.append(slug)
                continue
            ranked = self.rank_sections(asked, prediction, query, article)
            best = ranked[0][0] if ranked else 0.0
            if best < threshold:
                uncovered.append(slug)
                continue
            for probability, position in ranked:
                if probability >= max(threshold, best * 0.6):
                    picked.append((probability, article, position))
        if not picked:
            covered = {slug: self.covered_topics(slug) for slug in uncovered}
            reason = f"not mentioned: {', '.join(dict.fromkeys(partners))}" if partners else "not covered"
            return Answer(asked, False, [], topic=topic, reason=reason, covered=covered)
        # the best section of each treatment first, in the order the question named them
        firsts, rest, seen = [], [], set()
        for item in picked:
            (rest if item[1].file in seen else firsts).append(item)
            seen.add(item[1].file)
        if by_score:  # the article the description runs through most, then the surest answer
            firsts.sort(key=lambda x: (-round((salience or {}).get(x[1].slug or "", 0.0), 6), -x[0]))
        ordered = (firsts + sorted(rest, key=lambda x: -x[0]))[: max(1, limit)]
        count = len(ordered)
        results = [
            self._passage(article, position, float(count - i) + score / 100, topic)
            for i, (score, article, position) in enumerate(ordered)
        ]
        return Answer(asked, True, results, topic=topic)

    def _never_covers(self, article: Article, prediction: topics.Prediction) -> bool:
        """Whether the question surely asks about a topic (stopping, dependence...) that no section of
        the article says anything about: neither its cues nor the topic model's reading of any of its
        sentences. Such a question is refused with what the article does cover."""
        topic = prediction.topic
        if topic not in UNCOVERED_TOPICS:
            return False
        if ranker.topic_probabilities(prediction.scores).get(topic, 0.0) < UNCOVERED_SURE:
            return False
        for position in range(len(article.sections)):
            if self.topics_of(article.file, position).get(topic, 0.0) > 0:
                return False
            if self._reading(article, position).get("content", {}).get(topic, 0.0) >= UNCOVERED_READING:
                return False
        return True

    async def _answer_general(
        self,
        asked: str,
        prediction: topics.Prediction,
        query: search.Query,
        limit: int,
        coverage: float,
        about_a_treatment: bool = False,
    ) -> Answer:
        """A question naming no treatment: the sections on its topic that match its words. When none
        does and ``about_a_treatment`` (it reads as a question about one), the member is asked which."""
        topic = prediction.topic
        strong = [t for t in query.terms if t.weight >= 1]
        groups = []
        for term in strong:
            forms = list(term.forms)
            if not any(f in self._words for f in forms) and (fixed := self._spelling(term.word)):
                forms.append(fixed)
            groups.append(search.fts_any(forms))
        rows: list[tuple[int, float]] = []
        if groups:
            # every meaningful word in one section: a selective query, fast on any number of articles
            rows = await self.db.fetchall(
                "SELECT rowid, bm25(kb_fts, 3.0, 1.0, 2.0) AS rank FROM kb_fts WHERE kb_fts MATCH ? "
                f"ORDER BY rank LIMIT {GENERAL_CANDIDATES}",
                (f"{{heading body}} : ({' AND '.join(groups)})",),
            )
            if not rows and topic == "about_rls":
                # a long question about RLS itself: the sections about RLS that share most of its words
                rows = [(rowid, 0.0) for rowid in self._about_rls]
        elif topic == "about_rls":
            rows = [(rowid, 0.0) for rowid in self._about_rls]  # "what is rls?": the sections about RLS
        total = sum(t.weight for t in query.terms) or 1.0
        scored = []
        for rowid, rank in rows:
            place = self._sections.get(rowid)
            if place is None or place[0] not in self.articles:
                continue
            found = self.topics_of(*place)
            share = self._overlap(query, *place) / total if query.terms else 0.0
            if topic not in found and share < 1.0:
                continue  # another topic's section, unless it says every word asked ("ferritin tested")
            if query.terms and share < coverage:
                continue
            scored.append((found.get(topic, 0.0) + max(-float(rank), 0.0), rowid))
        if not scored:
            # "does the drowsiness ever wear off": about a treatment, but which one? Unless it uses a
            # word the articles never say that is not everyday English: a name they do not know
            # ("does zopiclone make you drowsy")
            unknown = {t.word: "" for t in strong if not any(f in self._words for f in t.forms)}
            named = about_a_treatment and not _rare(unknown)
            return Answer(asked, False, [], topic=topic, reason="no treatment named" if named else "not covered")
        scored.sort(key=lambda s: (-round(s[0], 6), s[1]))
        best = scored[0][0]
        results = []
        for score, rowid in scored[: max(1, limit)]:
            if score < best * RELATIVE_FLOOR:
                break
            file, position = self._sections[rowid]
            results.append(self._passage(self.articles[file], position, score, topic))
        guessed = about_a_treatment and any(p.treatment for p in results)
        return Answer(asked, True, results, topic=topic, unnamed=guessed)

    def _span(self, slug: str) -> tuple[int, int] | None:
        """The first and last index row of a treatment's sections, when they are contiguous."""
        ids = self._rows_by_slug.get(slug)
        if not ids or max(ids) - min(ids) + 1 != len(ids):
            return None
        return min(ids), max(ids)

    def _spelling(self, word: str) -> str | None:
        """The article word one typo away (two for long words), if exactly one is closest."""
        if len(word) < 6 or not word.isalpha() or not self._vocabulary:
            return None
        allowed = 1 if len(word) < 9 else 2
        found = process.extract(
            word, self._vocabulary, scorer=Levenshtein.distance, score_cutoff=allowed, limit=2
        )
        if not found or (len(found) > 1 and found[1][1] == found[0][1]):
            return None
        return found[0][0]

    def _one_section_answers(
        self, text: str, slugs: list[str], prediction: topics.Prediction, query: search.Query
    ) -> bool:
        """Whether a question in small words ("who should not have acupuncture?") asks something
        that a section the ranker is sure of answers, for the treatment it asks about first: then
        it asks that, not for an overview ("acupuncture?", "what is baclofen", "tell me about it")."""
        if not _ASKS_SOMETHING.search(text):
            return False
        article = self.articles.get(self._treatments[slugs[0]].article.file)
        if article is None or not article.sections:
            return False
        return self.rank_sections(text, prediction, query, article)[0][0] >= OVERVIEW_ANSWER

    def _overview(
        self, text: str, slugs: list[str], prediction: topics.Prediction, query: search.Query, limit: int
    ) -> Answer:
        """A question that only names treatments: what each is, how it works, the evidence.

        For each, the section the ranker finds best for that topic, as if it had been asked.
        """
        picked: list[tuple[Article, int]] = []
        for key in OVERVIEW_TOPICS:
            # as if the topic model were sure of it: the other topics' sections do not count
            asked = topics.Prediction(key, 1.0, {k: (1.0 if k == key else -3.0) for k in prediction.scores})
            for slug in slugs:
                article = self.articles.get(self._treatments[slug].article.file)
                if article is None or not article.sections:
                    continue
                _, position = self.rank_sections(text, asked, query, article)[0]
                if all(p[0] is not article or p[1] != position for p in picked):
                    picked.append((article, position))
        picked = picked[: max(1, limit)]
        if not picked:
            return Answer(text, False, [])
        return Answer(
            text, True, [self._passage(a, pos, float(len(picked) - i)) for i, (a, pos) in enumerate(picked)]
        )

    @staticmethod
    def _passage(article: Article, position: int, score: float, topic: str | None = None) -> Passage:
        section = article.sections[position]
        return Passage(
            article.slug, article.title, section.heading, section.text, score, article.file, position, topic
        )

    def passage(self, file_key: str, position: int) -> Passage | None:
        """A section by article file stem and position (for "read more" buttons)."""
        article = self.articles.get(f"{file_key}.md")
        if article is None or not 0 <= position < len(article.sections):
            return None
        return self._passage(article, position, 0.0)


__all__ = [
    "MAX_QUESTION",
    "Answer",
    "ArticleInfo",
    "CardTopic",
    "FactCard",
    "KnowledgeBase",
    "Passage",
    "TOPIC_KEYS",
    "Treatment",
    "validate_question",
]
