"""Treatments named by description: "the alzheimer's drug", "the muscle relaxer", "the patch".

Each treatment's descriptive words come from its own article's "what it is"
text, so an imported article is found by description too. A question's
description is a short phrase ending in a word for a medicine ("drug",
"pills", "patch", "relaxer", or "one": "the blood thinner one") after "the", "my"... or
opening a sentence ("patch fell off in the shower"); its words, with a few lay words mapped to the
articles' words, are matched against every treatment's description. A word
most treatments share says little; a description must point at one treatment.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator

from bot.knowledge.search import GENERIC as RLS_WORDS
from bot.knowledge.search import STOPWORDS, tokens

# kinds of medicine: "the opioid one", and said on their own too ("hooked on benzos")
_KINDS = r"opioids?|opiates?|benzos?|benzodiazepines?|painkillers?|sedatives?|antidepressants?"
_MEDICINE = (
    r"drugs?|pills?|meds?|medications?|medicines?|tablets?|patch(?:es)?|relaxers?|relaxants?|thinners?|jabs?"
    r"|injections?|infusions?|capsules?|stuff|agonists?|supplements?|minerals?|vitamins?"
    rf"|{_KINDS}"
    r"|softgels?|gumm(?:y|ies)|oils?|drops|sprays?|creams?"  # forms a remedy comes in
    r"|roots?|herbs?|teas?|tinctures?|remed(?:y|ies)|powders?|salts?"  # ... and a herbal one
    r"|pads?|devices?|gadgets?|machines?|mats?|cushions?|sleeves?|boots?|stockings?|pumps?"  # devices
    r"|aids?"  # "that natural sleep aid"
    r"|one"  # "the blood thinner one", "the opioid one"
)
_DETERMINER = r"the|my|that|this|those|these|his|her|their|your|a|an|some|those"
# a description follows a determiner or opens a sentence
PHRASE = re.compile(rf"(?:\b(?:{_DETERMINER})\s+|^\s*|(?<=[.!?])\s+)((?:[\w'’-]+(?:\s+|/)){{0,3}}?(?:{_MEDICINE}))\b", re.I)
# a kind of medicine said on its own describes one too: "hooked on benzos", "opioid withdrawal"
_KIND = re.compile(rf"\b({_KINDS})\b", re.I)
# Lay words and the words articles use for the same thing.
LAY: dict[str, tuple[str, ...]] = {
    "dementia": ("alzheimer", "dementia", "memory"),
    "alzheimers": ("alzheimer",),
    "alzheimer": ("alzheimer",),
    "memory": ("alzheimer", "dementia", "memory"),
    "relaxer": ("relaxant", "muscle"),
    "relaxers": ("relaxant", "muscle"),
    "relaxant": ("relaxant",),
    "spasm": ("spasm", "spasticity"),
    "nerve": ("nerve", "neuropathic", "anticonvulsant", "epilepsy"),
    "nerves": ("anxiety", "nerve"),
    "parkinsons": ("parkinson",),
    "parkinson": ("parkinson",),
    "patch": ("patch", "transdermal", "skin"),
    "patches": ("patch", "transdermal", "skin"),
    "sleeping": (_SLEEP := ("sleep", "sedative", "insomnia", "hypnotic")),
    "sleepy": _SLEEP,
    "epilepsy": ("epilepsy", "seizure", "anticonvulsant"),
    "seizure": ("epilepsy", "seizure", "anticonvulsant"),
    "fits": ("epilepsy", "seizure", "anticonvulsant"),
    "anxiety": ("anxiety", "panic"),
    "heart": ("heart", "cardiac", "stroke", "clot"),
    "infusion": ("infusion", "intravenous"),
    "jab": ("injection", "intravenous"),
    "pain": ("pain", "painkiller", "opioid"),
    "painkiller": ("pain", "opioid", "painkiller"),
    "painkillers": ("pain", "opioid", "painkiller"),
    "opioid": ("opioid", "opiate"),
    "opioids": ("opioid", "opiate"),
    "opiate": ("opioid", "opiate"),
    "opiates": ("opioid", "opiate"),
    "benzo": ("benzodiazepine",),
    "benzos": ("benzodiazepine",),
    "benzodiazepine": ("benzodiazepine",),
    "sedative": ("sedative",),
    "antidepressant": ("antidepressant",),
    "dopamine": ("dopamine",),
    "flu": ("influenza", "flu", "antiviral"),
    "mineral": ("mineral",),
    "minerals": ("mineral",),
    "vitamin": ("vitamin",),
    "thinner": ("thinner", "platelet", "anticoagulant", "clot"),
}
GENERIC = frozenset(
    "rls restless leg legs syndrome medication medicine drug treatment treatments option potential used "
    "use commonly typically often prescribed people condition conditions symptom symptoms"
    " type kind sort".split()  # "the parkinsons-type pill": a hedge, not a description
)
# words that say which of someone's medicines, not what it is: they tell apart treatments a
# describing word fits ("the old parkinsons one") but never name one alone ("my new pills", "the
# other tablet"), however few articles there are
WHICH_ONE = frozenset(
    "new newer newest old older oldest latest recent current usual normal regular same different other "
    "first second last next extra".split()
)
AMBIGUOUS = 4  # a description that fits more treatments than this names none of them
SEVERAL = 8  # ... and one that fits more than this is too vague even to list them ("the old one")
# a word for a medicine's form ("pad", "patch", "softgels") describes one only when it is this
# distinctive: at most one treatment in ten (and at least one) describes itself with it
FORM_SHARE = 10
KIN = 4  # a stem this long or longer also matches a longer or shorter one it begins or is begun by
KIN_WEIGHT = 0.5  # ... and counts half as much as the same stem
_CLAUSE = re.compile(r"[.,;:!?()\[\]\"/]")  # initials come from words of one clause
# "An Old Flu Drug With a Second Life", "The Sunshine Vitamin and Your Nerves": a heading that calls
# the treatment a kind of medicine describes it ("your other medicines" are other ones)
_NAMING = re.compile(rf"\b(?:the|an?)\s+((?:[\w'’-]+(?:\s+|/)){{1,3}}?(?:{_MEDICINE}))\b", re.I)
_MEDICINE_WORDS = re.compile(rf"^(?:{_MEDICINE})$", re.I)


def stem(word: str) -> str:
    """A word's first six letters, a plural's "s" dropped first ("bones" and "bone" agree)."""
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word[:6]


def descriptive_words(text: str, names: Iterable[str] = (), defining: str | None = None) -> set[str]:
    """Stems of the words that describe a treatment in its "what it is" text, and the initials of
    two such words in a row. A one-word name is not a description of itself; the words of a longer
    one are ("the vitamin" for Vitamin D). Initials come from ``defining`` (the title and the sentence
    that says what it is) when given: a pair said in passing further on says less."""
    own = {t for n in names if len(found := tokens(n)) == 1 for t in found}

    def clauses(source: str) -> Iterator[list[str | None]]:
        for clause in _CLAUSE.split(source.replace("'", "").replace("’", "")):
            yield [
                w if len(w) >= 3 and w not in STOPWORDS and w not in GENERIC and w not in own and w.isalpha() else None
                for w in tokens(clause)
            ]

    read = list(clauses(text))
    described = {stem(w) for words in read for w in words if w}
    # two describing words in a row also describe it by their initials ("blood pressure": "the bp pill")
    for words in read if defining is None else clauses(defining):
        described.update(
            i for a, b in zip(words, words[1:], strict=False) if a and b and (i := a[0] + b[0]) not in STOPWORDS
        )
    return described


def heading_descriptions(headings: Iterable[str]) -> str:
    """The words of the headings' phrases that call the treatment a kind of medicine ("old flu drug",
    "sunshine vitamin", "buzzing pad"), one clause each."""
    found = []
    for heading in headings:
        for match in _NAMING.finditer(heading.replace("'", "").replace("’", "")):
            *words, _ = [w for w in tokens(match.group(1)) if w not in STOPWORDS]  # the kind itself
            if words:  # ... describes most treatments ("tablet", "pad"): only the words before it
                found.append(" ".join(words))
    return ". ".join(found)


class Descriptions:
    """Finds the treatment a question describes without naming it."""

    def __init__(
        self, described: dict[str, set[str]], salience: Callable[[str, str], float] | None = None
    ) -> None:
        self._words = described
        # how much of its article a treatment's descriptive stem runs through (0-1): "patch" is said
        # in nearly every section on the rotigotine patch, once on clonidine
        self._salience = salience
        self._owners: dict[str, set[str]] = {}  # stem -> the treatments described with it
        self._by_start: dict[str, set[str]] = {}  # a stem's first letters -> the stems starting so
        for slug, stems in described.items():
            for s in stems:
                self._owners.setdefault(s, set()).add(slug)
                self._by_start.setdefault(s[:KIN], set()).add(s)

    def _described_by(self, form: str) -> dict[str, tuple[float, str]]:
        """The treatments a word's stem describes, how closely and by which of their stems: 1 for the
        same stem, KIN_WEIGHT for one that begins the other when both have KIN letters or more
        ("herbal" and "herb")."""
        found = {slug: (1.0, form) for slug in self._owners.get(form, ())}
        if len(form) >= KIN:
            for other in self._by_start.get(form[:KIN], ()):
                if other != form and (other.startswith(form) or form.startswith(other)):
                    for slug in self._owners[other]:
                        found.setdefault(slug, (KIN_WEIGHT, other))
        return found

    def find(self, question: str) -> list[str]:
        """Slugs the question's descriptive phrase points at: one, or the few it fits equally well
        ("the parkinsons pill" with several dopamine medicines), best first; none when it fits
        too many to say."""
        return list(self.weighed(question))

    def weighed(self, question: str) -> dict[str, float]:
        """``find``'s slugs, each with how much of its article the matched description runs through
        (its salience; 1.0 each without a salience function), in that order."""
        best, matched, distinctive = self._scores(question)
        if not best or not distinctive:
            return {}
        tied = self._tied(best)
        return {} if len(tied) > AMBIGUOUS else self._by_salience(tied, matched)

    def fits(self, question: str) -> list[str]:
        """The treatments a description fits equally when it fits too many to say which is meant
        ("the parkinsons pill" among five dopamine medicines), likeliest first, for asking the member
        which one; empty when it names one or a few (``find``), or would list more than SEVERAL."""
        best, matched, distinctive = self._scores(question)
        tied = self._tied(best) if best else []
        if len(tied) < 2 or (distinctive and len(tied) <= AMBIGUOUS) or len(tied) > SEVERAL:
            return []
        return list(self._by_salience(tied, matched))

    @staticmethod
    def _tied(best: dict[str, float]) -> list[str]:
        ranked = sorted(best.items(), key=lambda kv: -kv[1])
        return [slug for slug, score in ranked if score >= ranked[0][1] - 1e-9]

    def _by_salience(self, tied: list[str], matched: dict[str, set[str]]) -> dict[str, float]:
        if len(tied) == 1 or self._salience is None:
            return dict.fromkeys(tied, 1.0)
        # equally well described: the one whose article the description runs through comes first
        weight = {slug: sum(self._salience(slug, own) for own in matched[slug]) for slug in tied}
        return {slug: weight[slug] for slug in sorted(tied, key=lambda slug: -weight[slug])}

    def _scores(self, question: str) -> tuple[dict[str, float], dict[str, set[str]], bool]:
        """How well the question's descriptive phrases fit each treatment, the stems of each that
        they used, and whether any word of theirs is distinctive (fits few treatments)."""
        if not self._words:
            return {}, {}, False
        text = question.replace("'", "").replace("’", "")
        best: dict[str, float] = {}
        matched: dict[str, set[str]] = {}  # slug -> its descriptive stems the question used
        distinctive = False
        telling: set[str] = set()  # treatments a word of WHICH_ONE fits few enough to tell apart
        described: set[str] = set()  # ... and those the other words fit
        phrases = list(PHRASE.finditer(text))
        spans = [m.span(1) for m in phrases]
        kinds = [m for m in _KIND.finditer(text) if not any(a <= m.start() < b for a, b in spans)]
        for match in phrases + kinds:
            for word in tokens(match.group(1)):
                if word in STOPWORDS or word in GENERIC and word not in LAY:
                    continue
                form_word = bool(_MEDICINE_WORDS.match(word)) and word not in LAY
                forms = LAY.get(word, (word,))
                for form in {stem(f) for f in forms}:
                    slugs = self._described_by(form)
                    df = len(slugs)
                    if not df:
                        continue
                    if form_word and df > max(1, len(self._words) // FORM_SHARE):
                        continue  # "the tablet": most treatments are tablets
                    # a word many treatments share cannot point at one, but it still tells apart
                    # those a distinctive word fits ("the old parkinsons one")
                    if df <= max(AMBIGUOUS, len(self._words) // 4):
                        if word in WHICH_ONE:
                            telling |= set(slugs)  # distinctive only beside a describing word
                        else:
                            distinctive = True
                    if word not in WHICH_ONE:
                        described |= set(slugs)
                    for slug, (closeness, own) in slugs.items():
                        best[slug] = best.get(slug, 0.0) + closeness / df
                        matched.setdefault(slug, set()).add(own)
        return best, matched, distinctive or bool(telling & described)


# -- other uses ---------------------------------------------------------------------------------
# "used mainly to treat epilepsy", "licensed for night cramps", "best known as a treatment for
# opioid addiction", "developed as an antiviral against influenza": what a treatment is for besides
# RLS, in its own article's words
_TREAT = r"to\s+(?:treat|manage|control|prevent|ease|relieve|calm)"
_USE_CUE = re.compile(
    rf"\b(?:used|developed)\s+(?:[\w-]+\s+){{0,2}}?(?:for|against|as|{_TREAT})\b"
    rf"|\b(?:prescribed|licensed|approved|indicated)\s+(?:[\w-]+\s+){{0,2}}?(?:for|against|{_TREAT})\b"
    r"|\buses\s+(?:are|include)\b|\b(?:treatment|medicine|medication|drug|therapy)\s+(?:for|of)\b|\btreats?\b",
    re.I,
)
_USE_END = re.compile(r"[.;:()!?\[\]]|\b(?:but|although|though|because|rather|instead)\b", re.I)
# a comma ends the list of uses where a new clause starts ("..., and it is still used today")
_NEW_CLAUSE = re.compile(
    r"\b(?:it|its|they|their|this|these|that|which|who|when|where|while|so|if)\b"
    r"|\b(?:and|or)\s+(?:is|was|are|were|has|have|can|may|will)\b",
    re.I,
)
LIST_ITEM = 8  # words: a longer stretch after a comma is a new clause, not another use
# words that say how or how much, not what for ("moderate to severe", "for several decades")
USE_GENERIC = frozenset(
    """
    disease diseases disorder disorders condition conditions illness problem problems moderate severe
    mild chronic called known certain some other many people patients mainly mostly also such adults
    adult several decades years centuries long term primary types type form forms version versions
    home hospital hospitals doctors remedy remedies treatment treatments medicine aid especially usually often sometimes today still first later
    """.split()
)
OTHER_USE_SHARE = 0.34  # a use the article's sections talk about more widely than this is its subject
# a question about another use puts the use right after a word like these ("any good for bipolar",
# "will quinine treat malaria", "does it cure my depression")
_PURPOSE = frozenset("for treat treats treating treated cure cures curing against fix fixes sort prevent".split())
# ... but "I take carbamazepine for epilepsy" says why, "is it used for bipolar" asks what it is (its
# article says), and "for people with alzheimer's" says who
_BACKGROUND = frozenset("take takes taking took taken used prescribed licensed approved given".split())
_WHO = frozenset("with who having people those someone anyone".split())
PURPOSE_REACH = 4  # ... at most this many words before it


def other_uses(text: str, names: Iterable[str] = ()) -> set[str]:
    """Stems of what a treatment's "what it is" text says it is used for, RLS aside."""
    own = {t for n in names for t in tokens(n)}
    found: set[str] = set()
    for cue in _USE_CUE.finditer(text):
        rest = text[cue.end() : cue.end() + 160]
        end = _USE_END.search(rest)
        rest = rest[: end.start()] if end else rest
        clause = _NEW_CLAUSE.search(rest)
        items = (rest if clause is None else rest[: clause.start()]).split(",")
        kept = items[:1] + list(itertools.takewhile(lambda item: len(item.split()) <= LIST_ITEM, items[1:]))
        # "licensed for RLS, including RLS in people on dialysis": a use that is RLS says nothing else
        words = [w for item in kept if not RLS_WORDS.intersection(said := tokens(item)) for w in said]
        for word in words:
            if len(word) < 4 or not word.isalpha() or word in own:
                continue
            if word in STOPWORDS or word in GENERIC or word in USE_GENERIC or word in RLS_WORDS:
                continue
            found.add(stem(word))
    return found


def asks_other_use(question: str, uses: set[str]) -> bool:
    """Whether a question asks about one of a treatment's other uses ("is tegretol any good as a mood
    stabiliser for bipolar"): a use word right after a word of purpose, and RLS not mentioned."""
    if not uses:
        return False
    words = tokens(question.replace("'", "").replace("’", ""))
    if RLS_WORDS.intersection(words):
        return False
    for i, word in enumerate(words):
        if stem(word) not in uses:
            continue
        for j in range(max(0, i - PURPOSE_REACH), i):
            if words[j] not in _PURPOSE or _WHO.intersection(words[j + 1 : i]):
                continue
            if not _BACKGROUND.intersection(words[max(0, j - 3) : j]):
                return True
    return False
