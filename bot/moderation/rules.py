"""Moderation rules: loading, validation and compilation of the phrase language.

A rule file is YAML::

    vocab:                      # named word lists, used as {name} in phrases
      agent: [5g, wifi, vaccin*]
    rules:
      - id: invented-cause
        category: invented_cause
        severity: medium        # low | medium | high
        note: What the articles actually say.
        phrases:
          - "{agent} ... cause/causes/causing rls"
        patterns: []            # optional raw regular expressions (file only)
        anchors: []             # literal words every pattern match contains
        examples:
          match: ["5g causes rls"]
          no_match: ["there is no evidence 5g causes rls"]

The phrase language (also what ``/mod rules add`` accepts) never exposes
regular expressions: words are matched literally after normalisation, with

* ``a/b/c``   one of several words or phrases,
* ``word*``   a word prefix (``vaccin*`` matches vaccine, vaccines, vaccination),
* ``[word]``  an optional word,
* ``...``     up to three other words in between,
* ``{name}``  any entry of a vocabulary list,
* ``a_b``     words said together, inside a ``/`` list (``get_rid_of/banish``).

Every construct compiles to bounded, non-nested repetition, so no phrase can
make matching slow. Each phrase also yields its *anchors*: literal words
one of which every match must contain, used by the scanner's prefilter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.errors import UserError
from bot.moderation.normalise import normalise, squeeze, squeeze_pattern

CATEGORIES = {
    "miracle_cure": "Miracle cure",
    "invented_cause": "Invented cause",
    "regulator_conspiracy": "Conspiracy about regulators",
    "dangerous_advice": "Dangerous advice",
    "product_pitch": "Product pitch",
}
SEVERITIES = {"low": 1, "medium": 2, "high": 3}

# What the scanner's prefilter treats as a token; anchors are such tokens.
_TOKEN = re.compile(r"\w+|%")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,48}$")
# Separator between words: spaces and punctuation, but never a sentence end.
SEP = r"[^\w.!?;\n]+"
_WORD = r"[\w']+"
GAP = rf"(?:{SEP}{_WORD}){{0,3}}?"
_MAX_PHRASES = 60
_MAX_PHRASE_LEN = 300
_MAX_PREFIX_EXTRA = 12
# Each "..." lets a match try up to four word counts and each [optional] word
# two ways; a failing search can try every combination at every position, so
# the product is bounded (the shipped rules need at most 64).
_MAX_GAPS = 3
_MAX_BRANCHING = 256
# Nested unbounded repetition such as (a+)+ or (\w*)* can backtrack
# exponentially; raw patterns containing it are refused.
_NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*[+*{]")


# Words too common to be useful prefilter anchors.
_COMMON = frozenset(
    squeeze(w)
    for w in "a an the is are was were be been am by to in on of at for and or nor but so as if it its this that "
    "these those me my mine you your we us our they them their he she his her i with from up down off out "
    "now just will would can could do does did not no yes get got have has had make makes made take use "
    "once one all some any right good free work need want check happy never here there what who which how "
    "more most very too also then than well fine great better help helps again know tell give send post "
    "site total feel night sleep legs leg day time today really think like once away go want tell say "
    "say said way off".split()
)


# Words this community uses all the time: better anchors than "you", worse than "chemtrail".
_DOMAIN = frozenset(
    squeeze(w)
    for w in "rls restless symptoms symptom doctor doctors dose doses iron ferritin meds medication medicine pills "
    "tablets drugs gabapentin pregabalin lyrica ropinirole requip pramipexole mirapex rotigotine neupro "
    "baclofen tramadol opioids levodopa magnesium memantine clonazepam methadone oxycodone".split()
)


def commonness(word: str) -> int:
    """Rough cost of a word as a prefilter anchor: how often chat contains it (lower is rarer)."""
    if word in _COMMON:
        return 1000
    if word in _DOMAIN:
        return 16
    return 2 ** max(0, 8 - len(word))


class RuleError(UserError, ValueError):
    """A rule or phrase is invalid; the message says what to fix."""


def _quoted(text: str, limit: int = 40) -> str:
    """A phrase or word as an error message quotes it: cut short, so the message stays short."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


@dataclass(frozen=True)
class Piece:
    """One compiled phrase or pattern: its regex source and prefilter anchors."""

    source: str
    regex: str
    anchors: frozenset[str]
    # Every required word of the phrase as its set of anchors: a match contains
    # one anchor of each set (the scanner checks them all before the regex).
    required: tuple[frozenset[str], ...] = ()
    # Words written in this phrase itself: "they do not want you to know" is
    # not negated by its own "not" (other phrases of the rule still are).
    literal_words: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    severity: str
    note: str
    pieces: tuple[Piece, ...]
    phrases: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    examples_match: tuple[str, ...] = ()
    examples_no_match: tuple[str, ...] = ()
    custom: bool = False
    # Chosen first when several rules match one message (a sales pitch that
    # also promises a cure is a pitch); then severity decides.
    priority: int = 0
    # Words written in the rule itself (a negation word the rule spells out,
    # e.g. "they do not want you to know", does not negate its own match).
    literal_words: frozenset[str] = field(default_factory=frozenset)
    # Precise enough for a public reply or a removal (``public: true`` in the rule file); other
    # matches only alert the moderators, whatever the server's action.
    public: bool = False

    @property
    def rank(self) -> int:
        return SEVERITIES[self.severity]

    @property
    def anchors(self) -> frozenset[str]:
        return frozenset().union(*(p.anchors for p in self.pieces))

    @property
    def regex(self) -> str:
        return "|".join(f"(?:{p.regex})" for p in self.pieces)


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    vocab: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def get(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def without(self, disabled: Iterable[str]) -> RuleSet:
        off = set(disabled)
        return RuleSet(tuple(r for r in self.rules if r.id not in off), self.vocab)

    def plus(self, extra: Iterable[Rule]) -> RuleSet:
        taken = {r.id for r in self.rules}
        return RuleSet(self.rules + tuple(r for r in extra if r.id not in taken), self.vocab)


# -- phrase compilation -------------------------------------------------------
def _alternative(alt: str, where: str) -> tuple[str, str]:
    """Regex and anchor word for one literal alternative (maybe ending in *)."""
    prefix = alt.endswith("*")
    text = normalise((alt[:-1] if prefix else alt).replace("_", " ")).strip()
    if not text or "*" in text:
        raise RuleError(f"{where}: empty word or misplaced * in {_quoted(alt)}")
    words = text.split()
    body = SEP.join(re.escape(w) for w in words)
    if prefix:
        body += rf"\w{{0,{_MAX_PREFIX_EXTRA}}}"
    head = r"(?<!\w)" if re.match(r"\w", text) else ""
    tail = "" if prefix else (r"(?!\w)" if re.search(r"\w$", text) else "")
    # The anchor is the rarest whole token of the alternative; a prefix
    # alternative's last token is only a prefix ("vaccin*").
    tokens = _TOKEN.findall(text)
    if not tokens:
        raise RuleError(f"{where}: {_quoted(alt)} has no letters or digits")
    last = len(tokens) - 1
    index = min(range(len(tokens)), key=lambda i: (commonness(tokens[i]), -len(tokens[i]), i != last))
    anchor = tokens[index] + ("*" if prefix and index == last else "")
    return f"{head}{body}{tail}", anchor


def _token(token: str, vocab: Mapping[str, tuple[str, ...]], where: str) -> tuple[str, set[str]]:
    alts: list[str] = []
    for alt in token.split("/"):
        if alt.startswith("{") and alt.endswith("}"):
            name = alt[1:-1]
            if name not in vocab:
                raise RuleError(f"{where}: unknown vocabulary list {{{name}}}")
            alts.extend(vocab[name])
        elif "{" in alt or "}" in alt:
            raise RuleError(f"{where}: write a vocabulary list as {{name}}, got {_quoted(alt)}")
        else:
            alts.append(alt)
    regexes, anchors = [], set()
    for alt in alts:
        if not alt:
            raise RuleError(f"{where}: empty alternative in {_quoted(token)}")
        regex, anchor = _alternative(alt, where)
        regexes.append(regex)
        anchors.add(anchor)
    # Longest first so "restless legs" wins over "restless".
    regexes.sort(key=len, reverse=True)
    return "(?:" + "|".join(regexes) + ")", anchors


def compile_phrase(phrase: str, vocab: Mapping[str, tuple[str, ...]] | None = None, where: str = "") -> Piece:
    """Compile one phrase of the phrase language to a safe regex."""
    vocab = vocab or {}
    where = where or _quoted(phrase)
    if len(phrase) > _MAX_PHRASE_LEN:
        raise RuleError(f"{where}: a phrase is at most {_MAX_PHRASE_LEN} characters")
    tokens = phrase.replace("\u2026", " ... ").split()
    if not tokens or all(t == "..." for t in tokens):
        raise RuleError(f"{where}: a phrase needs at least one word")
    if tokens[0] == "..." or tokens[-1] == "...":
        raise RuleError(f"{where}: ... goes between words, not at the start or end")
    parts: list[str] = []
    required: list[set[str]] = []
    need_sep = False
    for token in tokens:
        if token == "...":
            parts.append(GAP)
            continue
        optional = token.startswith("[") and token.endswith("]")
        inner = token[1:-1] if optional else token
        if not inner or "[" in inner or "]" in inner:
            raise RuleError(f"{where}: brackets mark one optional word, like [your]")
        regex, anchors = _token(inner, vocab, where)
        if optional:
            parts.append(f"(?:{SEP}{regex})?" if need_sep else f"(?:{regex}{SEP})?")
        else:
            parts.append(f"{SEP}{regex}" if need_sep else regex)
            need_sep = True
            required.append(anchors)
    if not required:
        raise RuleError(f"{where}: a phrase needs at least one word that is not optional")
    gaps = tokens.count("...")
    optional = len(tokens) - gaps - len(required)
    if gaps > _MAX_GAPS or 4**gaps * 2**optional > _MAX_BRANCHING:
        raise RuleError(
            f"{where}: too many ... gaps or [optional] words in one phrase (at most {_MAX_GAPS} gaps, and "
            "fewer optional words the more gaps there are); split it into shorter phrases"
        )
    # The rarest required token gives the anchors.
    best = min(required, key=lambda a: sum(commonness(w.rstrip("*")) + 3 * w.endswith("*") for w in a))
    return Piece(
        phrase,
        "".join(parts),
        frozenset(best),
        tuple(frozenset(r) for r in required),
        _literal_words([phrase], vocab),
    )


def compile_pattern(pattern: str, anchors: Iterable[str], where: str) -> Piece:
    """A raw regex from the rule file (never from a command), checked for safety."""
    if _NESTED_QUANTIFIER.search(pattern):
        raise RuleError(f"{where}: nested repetition like (a+)+ can hang the scanner: {pattern!r}")
    pattern = squeeze_pattern(pattern)  # text is matched with doubled letters squeezed
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise RuleError(f"{where}: invalid pattern {pattern!r}: {exc}") from exc
    if compiled.groups:
        raise RuleError(f"{where}: use (?:...) instead of capturing groups in {pattern!r}")
    words = frozenset(normalise(a).strip() for a in anchors if normalise(a).strip())
    if not words or not all(re.fullmatch(r"(?:\w+|%)\*?", w) for w in words):
        raise RuleError(
            f"{where}: patterns need 'anchors': single words (or prefixes ending in *), "
            "one of which every match contains"
        )
    return Piece(pattern, pattern, words, (words,), words)


def _literal_words(phrases: Iterable[str], vocab: Mapping[str, tuple[str, ...]]) -> frozenset[str]:
    words: set[str] = set()
    for phrase in phrases:
        for token in phrase.split():
            alts = []
            for alt in token.strip("[]").split("/"):
                alts.extend(vocab.get(alt[1:-1], ()) if alt.startswith("{") else [alt])
            for alt in alts:
                words.update(normalise(alt.rstrip("*").replace("_", " ")).split())
    return frozenset(words)


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RuleError(f"{where}: expected a list of non-empty strings")
    return tuple(v.strip() for v in value)


def build_rule(
    data: Mapping[str, Any],
    vocab: Mapping[str, tuple[str, ...]] | None = None,
    *,
    custom: bool = False,
    allow_patterns: bool = True,
) -> Rule:
    """Validate one rule mapping and compile it."""
    vocab = vocab or {}
    rule_id = str(data.get("id", "")).strip()
    where = f"rule {rule_id or '?'}"
    if not _ID.match(rule_id):
        raise RuleError(f"{where}: id must be 2-49 lower-case letters, digits or dashes")
    unknown = set(data) - {
        "id",
        "category",
        "severity",
        "priority",
        "note",
        "phrases",
        "patterns",
        "anchors",
        "examples",
        "public",
    }
    if unknown:
        raise RuleError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    category = str(data.get("category", "")).strip()
    if category not in CATEGORIES:
        raise RuleError(f"{where}: category must be one of {', '.join(CATEGORIES)}")
    severity = str(data.get("severity", "medium")).strip()
    if severity not in SEVERITIES:
        raise RuleError(f"{where}: severity must be low, medium or high")
    priority = data.get("priority", 0)
    if not isinstance(priority, int) or isinstance(priority, bool) or not -9 <= priority <= 9:
        raise RuleError(f"{where}: priority must be a whole number from -9 to 9")
    public = data.get("public", False)
    if not isinstance(public, bool):
        raise RuleError(f"{where}: public must be true or false")
    note = str(data.get("note") or "").strip()
    if not note:
        raise RuleError(f"{where}: a note for moderators is required")
    phrases = _strings(data.get("phrases"), f"{where}.phrases")
    patterns = _strings(data.get("patterns"), f"{where}.patterns")
    if patterns and not allow_patterns:
        raise RuleError(f"{where}: only phrases are accepted here")
    if not phrases and not patterns:
        raise RuleError(f"{where}: needs phrases or patterns")
    if len(phrases) + len(patterns) > _MAX_PHRASES:
        raise RuleError(f"{where}: at most {_MAX_PHRASES} phrases")
    anchors = _strings(data.get("anchors"), f"{where}.anchors")
    pieces = [compile_phrase(p, vocab, f"{where}: phrase {_quoted(p)}") for p in phrases]
    pieces += [compile_pattern(p, anchors, f"{where}") for p in patterns]
    examples = data.get("examples") or {}
    if not isinstance(examples, Mapping):
        raise RuleError(f"{where}: examples must have 'match' and 'no_match' lists")
    return Rule(
        id=rule_id,
        category=category,
        severity=severity,
        note=note,
        pieces=tuple(pieces),
        phrases=phrases,
        patterns=patterns,
        examples_match=_strings(examples.get("match"), f"{where}.examples.match"),
        examples_no_match=_strings(examples.get("no_match"), f"{where}.examples.no_match"),
        custom=custom,
        priority=priority,
        literal_words=_literal_words(phrases, vocab) | frozenset(anchors),
        public=public,
    )


def parse_vocab(raw: Any) -> dict[str, tuple[str, ...]]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise RuleError("vocab must map names to lists of words")
    vocab = {}
    for name, words in raw.items():
        if not re.fullmatch(r"[a-z_]+", str(name)):
            raise RuleError(f"vocab {name!r}: names are lower-case letters and _")
        vocab[str(name)] = _strings(words, f"vocab {name}")
        if not vocab[str(name)]:
            raise RuleError(f"vocab {name}: empty list")
    return vocab


def parse_rules(data: Any, source: str = "rules") -> RuleSet:
    if not isinstance(data, Mapping) or not isinstance(data.get("rules"), list):
        raise RuleError(f"{source}: expected a mapping with a 'rules' list")
    vocab = parse_vocab(data.get("vocab"))
    rules = []
    seen: set[str] = set()
    for entry in data["rules"]:
        if not isinstance(entry, Mapping):
            raise RuleError(f"{source}: each rule is a mapping")
        rule = build_rule(entry, vocab)
        if rule.id in seen:
            raise RuleError(f"{source}: duplicate rule id {rule.id}")
        seen.add(rule.id)
        rules.append(rule)
    return RuleSet(tuple(rules), vocab)


# libyaml's C parser when available (the same data, ~15x faster than the pure-Python one).
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_rules(path: str | Path) -> RuleSet:
    """Read and validate a rule file; :class:`RuleError` names what is wrong."""
    path = Path(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except FileNotFoundError as exc:
        raise RuleError(f"{path}: rule file not found") from exc
    except yaml.YAMLError as exc:
        raise RuleError(f"{path}: not valid YAML: {exc}") from exc
    return parse_rules(data, str(path))


def custom_rule(
    rule_id: str,
    category: str,
    phrases: Iterable[str],
    note: str,
    severity: str = "medium",
    vocab: Mapping[str, tuple[str, ...]] | None = None,
) -> Rule:
    """A moderator-made rule: phrases only, the shipped vocabulary available."""
    return build_rule(
        {"id": rule_id, "category": category, "severity": severity, "note": note, "phrases": list(phrases)},
        vocab,
        custom=True,
        allow_patterns=False,
    )
