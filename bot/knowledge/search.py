"""Question analysis for ranking: which words carry meaning, and what they may match.

A passage answers a question only when it matches enough of the question's
meaningful words (after dropping stopwords and expanding a few synonyms), not
merely because BM25 found *something*. Treatment names are handled apart: a
question naming a treatment only gets passages from that treatment's article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

TOKEN = re.compile(r"[^\W_]+")

STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any anybody anyone anything are aren as at
    be because been before being below between both but by can cannot could couldn d did didn do does
    doesn doing don down during each either else ever every few for from further had hadn has hasn have
    haven having he her here hers herself him himself his how i if in into is isn it its itself just
    ll m me might mine more most must mustn my myself need needs no nor not now o of off often on once
    only or other ought our ours ourselves out over own please re s same shall shan she should shouldn
    so some somebody someone something such t than that the their theirs them themselves then there
    these they this those through to too under until up us ve very was wasn we were weren what whats
    when where whether which while who whom whose why will with won would wouldn y yes yet you your
    yours yourself yourselves tell know let lets say says said told ask asking question wondering
    wonder anyone hi hello hey thanks thank ok okay pls please kind sort maybe really actually just
    like want wanted wants try trying tried take taking took takes give using use uses used go going
    get getting got one ones thing things lot lots much many way im ive id dont doesnt cant wont
    isnt arent wasnt whats hows done happen happens happened happening else besides
    stuff anyway vs versus compare compared comparing comparison difference differences between
    """.split()
)
# Words every article uses: on their own they say nothing about which passage answers.
GENERIC = frozenset("rls restless leg legs syndrome wed willis ekbom".split())
LEGS = frozenset({"legs"})
# Words that carry a little meaning but appear everywhere: they count half.
WEAK = frozenset(
    """
    work works working worked help helps helped helping helpful good better best bad worse worst
    effective effect cause causes caused make makes made feel feeling felt people person time times
    treatment treatments treat treating medication medications medicine medicines drug drugs option
    options symptom symptoms new right safe okay normal common usually strong solid reliable
    long much worth last affect affects affected
    """.split()
)
# Words that ask for nothing in particular: "what helps rls?" and "best treatment for restless legs?"
# ask which treatment works, and no article answers that for all of them.
VAGUE = frozenset(
    """
    help helps helped helping helpful good better best work works working worth treatment treatments
    medication medications medicine medicines drug drugs option options remedy remedies tips
    """.split()
)
SYNONYMS: dict[str, tuple[str, ...]] = {
    "rls": ("rls", "restless"),
    "restless": ("restless", "rls"),
    "ms": ("ms", "multiple sclerosis"),
    "sideeffects": ("side effects",),
    "sideeffect": ("side effects",),
    "addictive": ("dependence", "addiction", "withdrawal"),
    "addiction": ("dependence", "addictive", "withdrawal"),
    "addicted": ("dependence", "addiction"),
    "habit": ("dependence",),
    "dependency": ("dependence",),
    "hooked": ("dependence",),
    "stop": ("discontinue", "discontinuing", "withdrawal", "taper", "tapering"),
    "stopping": ("discontinue", "discontinuing", "withdrawal", "taper", "tapering"),
    "quit": ("discontinue", "withdrawal", "taper"),
    "quitting": ("discontinue", "withdrawal", "taper"),
    "suddenly": ("abruptly",),
    "sudden": ("abruptly",),
    "wean": ("taper", "tapering"),
    "weaning": ("taper", "tapering"),
    "sleepy": ("drowsiness", "sedation"),
    "drowsy": ("drowsiness", "sedation"),
    "tired": ("drowsiness", "fatigue"),
    "dizzy": ("dizziness",),
    "lightheaded": ("dizziness",),
    "sick": ("nausea",),
    "nauseous": ("nausea",),
    "nauseated": ("nausea",),
    "headaches": ("headache",),
    "constipated": ("constipation",),
    "confused": ("confusion",),
    "seizure": ("seizures",),
    "safe": ("risk", "risks", "serious", "side"),
    "safety": ("risk", "risks", "serious", "side"),
    "dangerous": ("risk", "risks", "serious"),
    "danger": ("risk", "risks", "serious"),
    "dangers": ("risk", "risks", "serious"),
    "adverse": ("side",),
    "mechanism": ("works", "receptor", "receptors", "mechanism"),
    "evidence": ("study", "studies", "research", "trial", "trials", "evidence"),
    "proof": ("study", "studies", "research", "trial", "evidence"),
    "proven": ("study", "studies", "research", "trial", "evidence"),
    "research": ("study", "studies", "research", "trial", "trials"),
    "studies": ("study", "studies", "research", "trial", "trials"),
    "study": ("study", "studies", "research", "trial", "trials"),
    "trial": ("study", "studies", "trial", "trials"),
    "trials": ("study", "studies", "trial", "trials"),
    "scientific": ("study", "studies", "research"),
    "science": ("study", "studies", "research"),
    "effective": ("effective", "efficacy", "effectiveness", "relief", "improvement"),
    "efficacy": ("effective", "efficacy", "effectiveness", "relief", "improvement"),
    "doctor": ("doctor", "healthcare", "provider", "physician"),
    "gp": ("doctor", "healthcare", "provider"),
    "physician": ("doctor", "healthcare", "provider"),
    "neurologist": ("doctor", "healthcare", "provider", "neurologic"),
    "interact": ("interact", "interaction", "interactions"),
    "timing": ("bedtime", "evening", "night", "timing"),
    "interactions": ("interact", "interaction", "interactions"),
    "mix": ("interact", "combination", "combining"),
    "mixing": ("interact", "combination", "combining"),
    "combine": ("combination", "combining", "interact"),
    "together": ("combination", "combining"),
    "pain": ("aching", "pain", "discomfort", "burning"),
    "hurt": ("aching", "pain", "discomfort"),
    "hurts": ("aching", "pain", "discomfort"),
    "ache": ("aching", "pain"),
    "insomnia": ("sleep", "asleep"),
    "sleeping": ("sleep", "asleep"),
    "dose": ("dose", "dosage", "mg"),
    "dosage": ("dose", "dosage", "mg"),
    "prescribe": ("prescribed",),
    "prescription": ("prescribed",),
    "alzheimers": ("alzheimer",),
    "spasms": ("spasm", "spasms", "spasticity"),
    "relax": ("relaxant", "relaxation"),
    "relaxer": ("relaxant",),
    "talk": ("discuss", "discussion", "talk"),
    "speak": ("discuss", "discussion"),
    "ask": ("discuss", "discussion"),
    "monitor": ("monitor", "monitoring", "diary", "track"),
    "track": ("monitor", "monitoring", "diary", "track"),
}
MAX_TERMS = 16
# Things other than medicines that members ask about mixing a treatment with. "It interacts with
# other medications" answers a question about ibuprofen; it says nothing about a glass of wine.
PARTNERS: dict[str, tuple[str, ...]] = {
    "alcohol": ("alcohol", "drinking"),
    "wine": ("alcohol", "wine"),
    "beer": ("alcohol", "beer"),
    "booze": ("alcohol",),
    "drinking": ("alcohol",),
    "food": ("food", "meal", "meals"),
    "meal": ("food", "meal"),
    "grapefruit": (),
    "caffeine": ("coffee",),
    "coffee": ("caffeine",),
    "cannabis": ("marijuana", "cbd"),
    "cbd": ("cannabis",),
    "weed": ("cannabis",),
    "nicotine": ("smoking",),
    "smoking": ("nicotine",),
}


@dataclass(frozen=True)
class Term:
    word: str
    forms: tuple[str, ...]  # the word and its synonyms, matched with stemming
    weight: float  # 1 for a meaningful word, 0.5 for a weak one


@dataclass
class Query:
    text: str
    treatments: list[str] = field(default_factory=list)  # slugs named in the question
    terms: list[Term] = field(default_factory=list)  # words a passage must cover
    generic: list[Term] = field(default_factory=list)

    @property
    def needed(self) -> list[Term]:
        """The words coverage is measured on: meaningful ones, or the generic ones alone."""
        return self.terms or self.generic

    @property
    def all_terms(self) -> list[Term]:
        return self.terms + self.generic


_MENTION = re.compile(r"<(?:@[!&]?|#)\d+>|@(?:everyone|here)\b", re.I)
_REWRITES = (
    # "coming off baclofen" is about stopping it
    (re.compile(r"\b(?:come|comes|coming|get|getting|got|wean|weaning)\s+(?:me\s+)?off\b", re.I), " stop "),
    # "how much should I take", "how many mg": a question about the dose
    (
        re.compile(
            r"\bhow\s+(?:much|many)\b(?=.*\b(?:take|taking|mg|milligrams?|pills?|tablets?|doses?|dosage)\b)",
            re.I,
        ),
        " dose ",
    ),
    # "when should I take it": a question about timing, not an invitation for an overview
    (re.compile(r"\b(?:when|what\s+time)\b(?=.*\b(?:take|taking|dose)\b)", re.I), " timing "),
    # "can I take baclofen with memantine": a question about taking them together
    (re.compile(r"\b(?:take|taking|use|using)\b(?=.*\bwith\b)", re.I), " interact "),
)


def prepare(text: str) -> str:
    """A question with Discord mentions dropped and a few idioms spelt out as the articles put them."""
    text = _MENTION.sub(" ", text)
    for pattern, replacement in _REWRITES:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


_SUFFIX = re.compile(r"(?:ations?|ings?|edly|ed|es|s|ly)$")


def stem(word: str) -> str:
    """A crude stem for matching a question's words to an article's: "tested" and "testing" -> "test"."""
    cut = _SUFFIX.sub("", word)
    return (cut if len(cut) >= 3 else word)[:5]


def tokens(text: str) -> list[str]:
    return [t.casefold() for t in TOKEN.findall(text)]


def make_term(word: str) -> Term:
    forms = tuple(dict.fromkeys((word, *SYNONYMS.get(word, ()))))
    return Term(word, forms, 0.5 if word in WEAK else 1.0)


def analyse(text: str, treatments: list[str], treatment_words: set[str]) -> Query:
    """Split a question into treatment names, meaningful words and generic words."""
    query = Query(text=text, treatments=treatments)
    seen: set[str] = set()
    for word in tokens(text):
        if word in seen or word in STOPWORDS or word in treatment_words:
            continue
        if len(word) < 2 and not word.isdigit():
            continue
        seen.add(word)
        term = make_term(word)
        (query.generic if word in GENERIC else query.terms).append(term)
        if len(seen) >= MAX_TERMS:
            break
    return query


def fts_phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def fts_any(forms: tuple[str, ...] | list[str]) -> str:
    return "(" + " OR ".join(fts_phrase(f) for f in forms) + ")"
