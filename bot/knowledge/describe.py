"""Treatments named by description: "the alzheimer's drug", "the muscle relaxer", "the patch".

Each treatment's descriptive words come from its own article's "what it is"
text, so an imported article is found by description too. A question's
description is a short phrase ending in a word for a medicine ("drug",
"pills", "patch", "relaxer", or "one": "the blood thinner one"); its words, with a few lay words mapped to the
articles' words, are matched against every treatment's description. A word
most treatments share says little; a description must point at one treatment.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from bot.knowledge.search import STOPWORDS, tokens

_MEDICINE = (
    r"drugs?|pills?|meds?|medications?|medicines?|tablets?|patch(?:es)?|relaxers?|relaxants?|thinners?|jabs?"
    r"|injections?|infusions?|capsules?|stuff|agonists?|supplements?|minerals?|vitamins?"
    r"|opioids?|opiates?|benzos?|benzodiazepines?|painkillers?|sedatives?|antidepressants?"  # classes
    r"|softgels?|gumm(?:y|ies)|oils?|drops|sprays?|creams?"  # forms a remedy comes in
    r"|roots?|herbs?|teas?|tinctures?|remed(?:y|ies)|powders?|salts?"  # ... and a herbal one
    r"|pads?|devices?|gadgets?|machines?|mats?|cushions?|sleeves?|boots?|stockings?|pumps?"  # devices
    r"|one"  # "the blood thinner one", "the opioid one"
)
_DETERMINER = r"the|my|that|this|those|these|his|her|their|your|a|an|some|those"
PHRASE = re.compile(rf"\b(?:{_DETERMINER})\s+((?:[\w'’-]+(?:\s+|/)){{0,3}}?(?:{_MEDICINE}))\b", re.I)
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
    "sleeping": ("sleep", "sedative", "insomnia", "hypnotic"),
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
        for match in PHRASE.finditer(text):
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
                    distinctive = distinctive or df <= max(AMBIGUOUS, len(self._words) // 4)
                    for slug, (closeness, own) in slugs.items():
                        best[slug] = best.get(slug, 0.0) + closeness / df
                        matched.setdefault(slug, set()).add(own)
        return best, matched, distinctive
