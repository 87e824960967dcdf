"""Fact cards: what an article says about its treatment, topic by topic.

Curated facts in an article's metadata win; topics without one are drafted
from the article's own sentences (the importer writes those drafts into the
metadata so an admin can correct them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.knowledge.articles import TOPIC_LABELS, TOPICS, Article, Section
from bot.knowledge.topics import names_pattern

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")

# Words that mark a heading (strong) or a sentence (weak) as belonging to a topic.
HEADING_HINTS: dict[str, tuple[str, ...]] = {
    "what_it_is": ("introduction", "what is", "overview", "treatment option", "potential treatment", "about"),
    "how_it_works": ("how", "works", "mechanism", "action"),
    "evidence": ("research", "stud", "trial", "evidence", "examin"),
    "side_effects": ("side effect", "adverse"),
    "risks": ("risk", "caution", "safety", "warning", "withdraw", "dependen", "interaction"),
    "ask_doctor": ("doctor", "healthcare", "physician", "provider", "discuss", "your gp", "pharmacist"),
}
SENTENCE_HINTS: dict[str, tuple[str, ...]] = {
    "what_it_is": (
        "prescribed",
        "used to treat",
        "typically used",
        "commonly used",
        "is a medication",
        "a medication",
        "drug commonly",
        "supplement",
        "relaxant",
    ),
    "how_it_works": (
        "works by",
        "thought to",
        "believed to",
        "receptor",
        "mechanism",
        "by blocking",
        "by increasing",
    ),
    "evidence": ("study", "studies", "trial", "research", "placebo", "participants"),
    "side_effects": ("side effects include", "common side effects", "side effects of", "side effect"),
    "risks": (
        "dependence",
        "withdrawal",
        "taper",
        "interact",
        "serious",
        "seizure",
        "allergic",
        "augmentation",
        "overdose",
        "abruptly",
    ),
    "ask_doctor": ("your doctor", "healthcare provider", "your physician", "consult", "discuss", "your gp"),
}

LIMITED_SIGNALS: tuple[tuple[str, str], ...] = (
    (r"\b(rats?|mice|mouse|animals?)\b", "animal studies"),
    (r"\bsmall(?:er)? (?:\w+ )?(?:stud(?:y|ies)|trials?|samples?|numbers?|groups?|pilot)\b", "small studies"),
    (
        r"\b(?:few|relatively few|a handful of) (?:\w+ )?(?:stud(?:y|ies)|trials?|people|patients)\b",
        "few studies",
    ),
    (
        r"\b([1-8]|one|two|three|four|five|six|seven|eight)[- ]weeks?\b|\bshort[- ](term|trials?|studies)\b",
        "short trials",
    ),
    (r"\bcase (report|series)\b", "case reports"),
    (
        r"\b(more research|larger|further research|more comprehensive|more studies)\b",
        "larger trials still needed",
    ),
    (r"\bpilot\b", "pilot studies"),
    (
        r"\bno (?:randomi[sz]ed|controlled|placebo|clinical|large|human)\b|\bnever been (?:studied|tested)\b",
        "studies without controlled trials",
    ),
)
STRONG_SIGNALS = (r"\bmeta-analys", r"\bguidelines?\b", r"\bfirst-line options?\b", r"\bseveral large\b")
MODERATE_SIGNALS = (r"\brandomi[sz]ed\b", r"\bplacebo\b", r"\bdouble-blind\b")


@dataclass(frozen=True)
class CardTopic:
    key: str
    label: str
    text: str
    sections: tuple[str, ...]  # headings of the article sections it comes from
    curated: bool = True

    @property
    def section(self) -> str:
        return self.sections[0] if self.sections else ""

    def to_dict(self) -> dict[str, Any]:
        return {"topic": self.key, "label": self.label, "text": self.text, "sections": list(self.sections)}


@dataclass(frozen=True)
class FactCard:
    topics: tuple[CardTopic, ...]
    evidence_level: str
    evidence_summary: str
    key_risks: list[str] = field(default_factory=list)

    def topic(self, key: str) -> CardTopic | None:
        return next((t for t in self.topics if t.key == key), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "evidence_level": self.evidence_level,
            "evidence_summary": self.evidence_summary,
            "key_risks": list(self.key_risks),
            "topics": [t.to_dict() for t in self.topics],
        }


_PARAGRAPH = re.compile(r"\n\s*\n")
_ENDED = (".", "!", "?", ":", ";")


def _paragraphs(text: str) -> list[str]:
    """The text's paragraphs as sentence-bearing units. A list the article sets out line by line
    ("Other serious risks include:" then one risk per line, no full stops) is one sentence, its
    items joined by semicolons, and a line without a full stop never runs into the next one."""
    units: list[str] = []
    lead: list[str] | None = None  # the line introducing a list, then its items
    for part in _PARAGRAPH.split(text):
        line = " ".join(part.split())
        if not line:
            continue
        if lead is not None and not line.endswith(_ENDED):
            lead.append(line)
            continue
        if lead is not None:
            if len(lead) == 1:  # no list after all: the line it introduces is its own sentence's end
                line = f"{lead[0]} {line}"
            else:
                units.append(_listed(lead))
            lead = None
        if line.endswith(":"):
            lead = [line]
        elif line.endswith(_ENDED) or not line[-1].isalnum():
            units.append(line)
        else:
            units.append(line + ".")
    if lead is not None:
        units.append(_listed(lead))
    return units


_BULLET = re.compile(r"^(?:[-–•*·▪]|\d{1,2}[.)])\s+")  # "- Mirapex", "• how you sleep", "2) Headache"


def _listed(lead: list[str]) -> str:
    if len(lead) == 1:
        return lead[0]
    return f"{lead[0]} {'; '.join(_BULLET.sub('', item) for item in lead[1:])}."


def sentences(text: str) -> list[str]:
    """The text's sentences as a reader sees them: a list set out line by line is one sentence."""
    if "\n" not in text:
        return flat_sentences(text)
    return [s.strip() for unit in _paragraphs(text) for s in _SENTENCE.split(unit) if s.strip()]


def flat_sentences(text: str) -> list[str]:
    """The sentences with line breaks read as spaces, as the section ranker's readings were learnt
    (reading lists apart changed no ranking for the better on the development questions)."""
    return [s.strip() for s in _SENTENCE.split(" ".join(text.split())) if s.strip()]


# "What Pneumatic Compression Is", "What Iron Tablets Are and Why...": a heading saying what it is
_WHAT_IT_IS = re.compile(r"^what\s+(?:[\w'’-]+\s+){1,5}(?:is|are)\b", re.I)


def _heading_score(topic: str, heading: str) -> int:
    score = sum(1 for hint in HEADING_HINTS[topic] if hint in heading.casefold())
    if topic == "what_it_is" and "what is" not in heading.casefold() and _WHAT_IT_IS.search(heading):
        score += 1
    return score


def _sets_out_a_list(sentence: str) -> bool:
    """A sentence that introduces a list and gives its items ("the most common were: nausea;
    dizziness; headache")."""
    _, colon, items = sentence.partition(": ")
    return bool(colon) and items.count("; ") >= 2


def _sentence_hits(topic: str, sentence: str) -> int:
    low = sentence.casefold()
    return sum(1 for hint in SENTENCE_HINTS[topic] if hint in low)


def defining_sentence(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """A sentence that says what the treatment is: "Dipyridamole is not a new drug", "Magnesium is a
    mineral the body needs", "Clonazepam belongs to ...", "It is sold as Persantine", "Pneumatic
    compression means squeezing the legs with air"."""
    spelled = [re.escape(n) for n in names if n.strip()]
    if not spelled:
        return None
    subject = rf"(?:{'|'.join(spelled)})(?:\s*\([^)]*\))?"
    return re.compile(
        rf"^(?:{subject}|it)\s+(?:is|was|are)\s+(?:not\s+)?(?:an?|one of|the|also)\b"
        rf"|^(?:{subject}|it)\s+(?:belongs to|is sold|is licensed|is approved|is prescribed|has been (?:used|in use))"
        rf"|^{subject}\s+(?:means|refers to)\s"
        rf"|^{subject}\s*,\s*(?:an?|the)\s",
        re.IGNORECASE,
    )


def draft_topic(
    topic: str, sections: list[Section], *, max_chars: int = 320, names: tuple[str, ...] = ()
) -> CardTopic | None:
    """The best section for a topic and its most telling sentences.

    ``names`` (the treatment's name and brands) let "what it is" find the sentence that defines it.
    """
    defines = defining_sentence(names) if topic == "what_it_is" else None
    best: tuple[int, Section, list[str], list[str]] | None = None
    for position, section in enumerate(sections):
        said = sentences(section.text)
        defining = [s for s in said if defines is not None and defines.search(s)]
        hits = [s for s in said if _sentence_hits(topic, s) or s in defining]
        score = 3 * _heading_score(topic, section.heading) + len(hits) + 2 * len(defining)
        if topic == "what_it_is" and position <= 1:
            score += 1
        if topic == "ask_doctor" and _heading_score(topic, section.heading) == 0:
            score -= 2  # every section says "see your doctor"; prefer a section about it
        if not hits and _heading_score(topic, section.heading) and topic in ("side_effects", "risks", "what_it_is"):
            # the heading says it all: "Side Effects to Expect", "What Is Levodopa and When Is It Used?"
            hits = sentences(section.text)[:2]
            score += len(hits)
        if hits and _heading_score(topic, section.heading):
            # under a heading on the topic, a list the section sets out is telling whatever its words,
            # after the sentences that are: "The side effects are the usual opioid ones. The most
            # common were: nausea; dizziness; headache."
            hits += [s for s in said if s not in hits and _sets_out_a_list(s)]
        if hits and (best is None or score > best[0]):
            best = (score, section, hits, defining)
    if best is None or best[0] <= 0:
        return None
    _, section, hits, defining = best
    # the sentence that defines the treatment first, then the most telling ones
    hits.sort(key=lambda s: (s not in defining, -_sentence_hits(topic, s)))
    chosen: list[str] = []
    for sentence in hits:
        if sum(len(c) + 1 for c in chosen) + len(sentence) > max_chars and chosen:
            break
        chosen.append(sentence)
    order = sentences(section.text)
    chosen.sort(key=lambda s: order.index(s) if s in order else 0)
    text = " ".join(chosen)
    if len(text) > max_chars:
        from bot.knowledge.text import truncate

        text = truncate(text, max_chars)
    return CardTopic(topic, TOPIC_LABELS[topic], text, (section.heading,), curated=False)


_NEGATION = re.compile(r"\b(?:no|not|none|nor|never|without|neither|lack|lacks|lacking|yet to)\b|n't\b")


def _limit_stated(pattern: str, text: str) -> bool:
    """A limiting signal in a sentence that does not deny it; a denial pattern is itself a limit."""
    if pattern.startswith(r"\bno "):
        return bool(re.search(pattern, text))
    return _affirmed(pattern, text)


def _affirmed(pattern: str, text: str) -> bool:
    """``pattern`` occurs in a sentence of ``text`` that does not deny it ("no guidelines recommend…")."""
    for sentence in sentences(text):
        for match in re.finditer(pattern, sentence):
            before = sentence[max(0, match.start() - 30) : match.start()]
            after = sentence[match.end() : match.end() + 20]
            if not _NEGATION.search(before) and not _NEGATION.search(after):
                return True
    return False


# What an article says of its evidence in so many words: "the evidence for it in RLS is limited and
# old", "overall, the evidence is reasonably strong", "reviewers rated the evidence as moderate".
_STRENGTH_WORDS = {
    "strong": "Strong", "robust": "Strong", "solid": "Strong", "convincing": "Strong",
    "good": "Moderate", "moderate": "Moderate", "fair": "Moderate", "reasonable": "Moderate",
    "modest": "Limited", "mixed": "Limited", "weak": "Limited", "limited": "Limited", "thin": "Limited",
    "poor": "Limited", "scant": "Limited", "sparse": "Limited", "scarce": "Limited", "low": "Limited",
    "slim": "Limited", "inconclusive": "Limited", "lacking": "Limited",
}
_LEVELS = ("Limited", "Moderate", "Strong")
_SOFTENERS = ("fairly", "reasonably", "moderately", "relatively", "pretty", "rather")  # strong -> moderate
_FILLERS = ("still", "also", "therefore", "now", "overall")  # left out of the words quoted
_HEDGES = "|".join((*_SOFTENERS, *_FILLERS, "quite", "only", "very"))
_STRENGTH = "|".join(sorted(_STRENGTH_WORDS, key=len, reverse=True))
_GRADE = (
    rf"(?P<not>not\s+|n't\s+)?(?P<hedge>(?:(?:{_HEDGES})\s+){{0,2}})(?P<word>{_STRENGTH})"
    rf"(?:\s+to\s+(?P<upto>{_STRENGTH}))?\b"
)
_STATED = (
    re.compile(
        r"^(?P<lead>(?:\w+[,:]?\s+){0,6}?)(?:the\s+|this\s+|its\s+)?(?:overall\s+)?(?:evidence|research|science)\b"
        rf"(?P<about>[^.;:!?]{{0,60}}?)\s+(?:is|was|remains|looks|seems)\s+{_GRADE}"
    ),
    re.compile(
        r"\brated\s+(?:the\s+)?(?:quality\s+of\s+(?:the\s+)?)?evidence"
        rf"(?P<about>[^.;:!?]{{0,60}}?)\s+as\s+{_GRADE}"
    ),
)
# ... about the treatment, not one aspect or another use of it ("evidence beyond three months is
# limited", "even for ordinary insomnia the evidence is mixed", "evidence about quality of life")
_ASIDE = re.compile(r"\b(?:about|beyond|after|longer|long[- ]term|even|other|quality of life|stretching)\b")


def _stated(sentence: str) -> re.Match[str] | None:
    low = sentence.casefold()
    for pattern in _STATED:
        match = pattern.search(low)
        said = match.groupdict() if match is not None else {}
        if match is not None and not _ASIDE.search(f"{said.get('lead') or ''} {said['about'] or ''}"):
            return match
    return None


# "There are no good-quality controlled trials showing that quinine helps RLS": said of RLS itself, it
# outweighs a strength stated for another use ("for night cramps ... rated the evidence as moderate")
_NONE_FOR_RLS = re.compile(
    r"\b(?:no|not\s+(?:any|one))\s+(?:good[- ]quality\s+|high[- ]quality\s+|good\s+|proper\s+|large\s+|reliable\s+)?"
    r"(?:controlled\s+|randomi[sz]ed\s+|placebo[- ]controlled\s+)*(?:trials?|studies|study|evidence)\s+"
    r"(?:yet\s+)?(?:showing|shows?|proving|proves?|that\s+shows?|to\s+show)\s+(?:that\s+)?[^.;!?]{0,40}?"
    r"\b(?:helps?|works?|improves?|treats?|eases?|relieves?)\s+(?:rls|restless\s+legs)\b"
)


def _none_for_rls(text: str) -> str | None:
    """The sentence saying no good study shows the treatment helps RLS, if any."""
    for sentence in sentences(text):
        if _NONE_FOR_RLS.search(sentence.casefold()):
            return sentence
    return None


def stated_strength(text: str) -> tuple[str, str] | None:
    """(level, the article's own words) where the article says how strong its evidence is."""
    for sentence in sentences(text):
        match = _stated(sentence)
        if match is None:
            continue
        word, upto, denied = match["word"], match["upto"], bool(match["not"])
        hedge = match["hedge"].split()
        level = _STRENGTH_WORDS[word]
        if upto:  # "low to moderate": the lower of the two
            level = _LEVELS[min(_LEVELS.index(level), _LEVELS.index(_STRENGTH_WORDS[upto]))]
            word = f"{word} to {upto}"
        if denied:
            if level == "Limited":
                continue  # "not weak" says little
            level = "Limited"
        elif level == "Strong" and any(h in _SOFTENERS for h in hedge):
            level = "Moderate"
        shown = [h for h in hedge if h not in _FILLERS]
        return level, " ".join(["not"] * denied + shown + [word])
    return None


def _and_list(items: list[str]) -> str:
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


def grade_evidence(text: str) -> tuple[str, str]:
    """A short evidence label and a plain summary, from what the article says about studies.

    Where the article says in so many words how strong its evidence is, that is the grade. Else a
    signal counts only in a sentence that affirms it: "no large trials" is not strong
    evidence, and "these were not small studies" is no limit. "More research is needed" on
    its own does not undo several large trials and a meta-analysis. A sentence saying no good
    study shows it helps RLS comes first: a strength stated for another use does not grade it.
    """
    if (denied := _none_for_rls(text)) is not None:
        opening = denied[0].lower() if denied[1:2].islower() else denied[0]  # "There are" but "RLS has"
        return "Limited", f"The article says {opening}{denied[1:].rstrip('.')}."
    low = text.casefold()
    limits = list(dict.fromkeys(label for pattern, label in LIMITED_SIGNALS if _limit_stated(pattern, low)))
    more = "larger trials still needed" in limits
    real_limits = [x for x in limits if x != "larger trials still needed"]
    stated = stated_strength(text)
    if stated is not None:
        level, words = stated
        noted = f" It notes {_and_list(real_limits)}." if real_limits and level != "Strong" else ""
        return level, f"The article says the evidence is {words}.{noted}"
    if any(_affirmed(p, low) for p in STRONG_SIGNALS) and not real_limits:
        return (
            "Strong",
            "The article describes well-established evidence, such as guidelines or large trials.",
        )
    if not low.strip():
        return "Unclear", "The article does not describe any studies of it for RLS."
    if limits:
        # what the article itself says limits the evidence, and no more: it may describe a trial or
        # a review beside its pilot studies, so never "only"
        if not real_limits:
            return "Limited", "The article says more research is needed."
        return "Limited", f"The evidence it describes has limits: {_and_list(real_limits)}." + (
            " It says more research is needed." if more else ""
        )
    if any(_affirmed(p, low) for p in MODERATE_SIGNALS):
        return "Moderate", "Some controlled trials, described by the article; not yet firmly established."
    return "Unclear", "The article does not say how strong the evidence is."


def build_card(article: Article) -> FactCard:
    topics: list[CardTopic] = []
    for key, label in TOPICS:
        fact = article.facts.get(key)
        if fact is not None:
            topics.append(CardTopic(key, label, fact.text, fact.sections))
            continue
        names = (article.treatment_name, *article.aliases) if article.treatment_name else ()
        drafted = draft_topic(key, article.sections, names=names)
        if drafted is not None:
            topics.append(drafted)
    evidence_fact = article.facts.get("evidence")
    evidence_topic = next((t for t in topics if t.key == "evidence"), None)
    evidence_text = " ".join(
        s.text for s in article.sections if evidence_topic and s.heading in evidence_topic.sections
    )
    level, summary = grade_evidence(evidence_text)
    if evidence_fact is not None:
        level = evidence_fact.level or level
        summary = evidence_fact.summary or summary
    key_risks = list(article.key_risks) or draft_key_risks(article.sections)
    return FactCard(tuple(topics), level, summary, key_risks)


# (pattern, label): the label says only what the pattern found. Qualifiers ("rare", "if stopped
# suddenly") are added from the same sentence's own words, never assumed.
_RISK_PHRASES = (
    (r"physical dependence", "physical dependence"),
    (r"dependence", "dependence"),
    (r"withdrawal", "withdrawal"),
    (r"taper", "taper to stop"),
    (r"interact", "interactions"),
    (r"seizures?", "seizures"),
    (r"hallucinations?", "hallucinations"),
    (r"allergic", "allergic reaction"),
    (r"augmentation", "augmentation"),
    (r"drowsiness|sedation", "drowsiness"),
)
_HOW_STOPPED = (
    (r"\babrupt", "abruptly"),
    (r"\bsudden", "suddenly"),
    (r"\bcold turkey\b", "cold turkey"),
)
_FREQUENCY = ((r"\brare(?:ly)?\b|\bin rare cases\b", "rare"), (r"(?<!un)\bcommon(?:ly)?\b", "common"))


def _qualified(label: str, sentence: str) -> str:
    """The label with what the sentence itself says about it, and nothing else."""
    if label == "withdrawal":
        how = next((word for pattern, word in _HOW_STOPPED if re.search(pattern, sentence)), None)
        return f"withdrawal if stopped {how}" if how else label
    if label == "taper to stop" and re.search(r"\bgradual", sentence):
        return "gradual taper to stop"
    if label == "interactions":
        # what it interacts with, in the article's own words
        found = re.search(
            r"\binteracts?\s+with\s+([^.;:()]{3,60}?)(?:,|\.|;|$| so | and so | which )", sentence
        )
        return f"interactions with {found.group(1).strip()}" if found else label
    if label in ("seizures", "hallucinations", "allergic reaction"):
        often = next((word for pattern, word in _FREQUENCY if re.search(pattern, sentence)), None)
        return f"{label} ({often})" if often else label
    return label


_LESSER = re.compile(r"\b(?:less|fewer|unlike)\b|\b(?:lower|reduced?) (?:risks?|rates?|chances?)\b")


_CLAUSE = re.compile(r"[:;]")


def draft_key_risks(sections: list[Section], names: Iterable[str] = (), others: Iterable[str] = ()) -> list[str]:
    """Risks the article states: from its risk and side-effect sections when it has them,
    leaving out sentences that deny or play down one ("far less augmentation than…"), and
    sentences about other treatments (``others``) that do not name this one (``names``):
    "stopping gabapentin or clonazepam suddenly can cause withdrawal" is no risk of acupuncture."""
    own = {n.casefold() for n in names}
    own_rx, other_rx = names_pattern(own), names_pattern(n for n in others if n.casefold() not in own)
    about_risks = [
        s for s in sections if _heading_score("risks", s.heading) or _heading_score("side_effects", s.heading)
    ]
    said = [
        sentence
        for s in (about_risks or sections)
        for sentence in map(str.casefold, sentences(s.text))
        if not _NEGATION.search(sentence) and not _LESSER.search(sentence)
    ]

    def of_another(sentence: str, pattern: str) -> bool:
        """Whether the part of the sentence stating the risk is about another treatment only."""
        part = next((c for c in _CLAUSE.split(sentence) if re.search(r"\b" + pattern, c)), sentence)
        return bool(other_rx and other_rx.search(part) and not (own_rx and own_rx.search(part)))

    risks: list[str] = []
    for pattern, label in _RISK_PHRASES:
        if label == "dependence" and "physical dependence" in risks:
            continue
        sentence = next((x for x in said if re.search(r"\b" + pattern, x) and not of_another(x, pattern)), None)
        if sentence is not None:
            risks.append(_qualified(label, sentence))
    return risks[:6]
