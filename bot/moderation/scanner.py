"""The compiled scanner: every rule in one regex behind a cheap prefilter.

``Scanner.scan`` is what runs on every message:

1. crisis language first (its own path, see :mod:`bot.safety`);
2. normalise the text once and split it into word tokens;
3. prefilter: each compiled phrase knows *anchor* tokens one of which any
   match must contain; the anchors of the whole rule set are compiled once
   into one trie-shaped regex (Aho-Corasick-like), so a single pass finds the
   words that could start a match and an index maps them to their phrases.
   Most chat has none and is cleared without running any phrase;
4. only those phrases' regexes run, and
   :func:`bot.moderation.context.why_not` keeps only real claims.

``Scanner.scan_naive`` is the straightforward rule-by-rule loop (every phrase
compiled and searched in turn, no index) with the same results, kept as a
baseline for benchmarks and as a cross-check in tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.moderation.context import why_not
from bot.moderation.normalise import normalise_stages
from bot.moderation.rules import Rule, RuleSet, load_rules
from bot.safety import match_crisis

CRISIS_RULE = "crisis-language"


@dataclass(frozen=True)
class Skipped:
    rule: str
    matched: str
    reason: str


@dataclass(frozen=True)
class ScanResult:
    flagged: bool
    kind: str | None = None  # "claim" | "crisis"
    category: str | None = None
    rule: str | None = None
    severity: str | None = None
    note: str | None = None
    matched: str | None = None
    skipped: tuple[Skipped, ...] = field(default=(), compare=False)

    def as_json(self) -> dict[str, Any]:
        return {"flagged": self.flagged, "kind": self.kind, "category": self.category, "rule": self.rule}


CLEAN = ScanResult(False)


_PREFIX_LENGTHS = (3, 4, 5)
_TOKEN = re.compile(r"\w+|%")


def _trie_regex(exact: set[str], prefixes: set[str]) -> str:
    """One regex alternation, factored like a trie, matching any anchor at a word start.

    Exact anchors must end at a word boundary; prefix anchors may continue.
    Factoring by first letters lets the regex engine reject most positions
    after one character, which is what makes the prefilter cheap.
    """
    root: dict[str, dict] = {}
    for word, kind in [(w, "exact") for w in exact] + [(p, "prefix") for p in prefixes]:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        if node.get("") != "prefix":
            node[""] = kind

    def emit(node: dict) -> str:
        if node.get("") == "prefix":
            return ""  # anything may follow
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch != ""]
        if node.get("") == "exact":
            alts.append(r"\b")
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(root) if root else r"(?!)"


def _unsqueezed(matched: str, readable: str) -> str:
    """The matched words as written (before doubled letters were squeezed), for display."""
    pattern = "".join(re.escape(c) + "+" if c.isalpha() else re.escape(c) for c in matched)
    found = re.search(pattern, readable)
    return found.group(0) if found else matched


class Scanner:
    """A rule set compiled once. Thread-safe and reusable; build a new one when rules change."""

    def __init__(self, ruleset: RuleSet, *, crisis: bool = True) -> None:
        self.ruleset = ruleset
        self.crisis = crisis
        self.rules: tuple[Rule, ...] = ruleset.rules
        # Each piece (phrase or pattern) with its rule, compiled once.
        self._pieces: list[tuple[Rule, re.Pattern[str], frozenset[str]]] = [
            (rule, re.compile(piece.regex), piece.literal_words)
            for rule in self.rules
            for piece in rule.pieces
        ]
        self._order = {rule.id: i for i, rule in enumerate(self.rules)}
        # Prefilter index: anchor token -> pieces that cannot match without it.
        # Prefix anchors ("vaccin*") are indexed by their first 3-5 characters.
        self._exact: dict[str, list[int]] = {}
        self._prefix: dict[int, dict[str, list[int]]] = {n: {} for n in _PREFIX_LENGTHS}
        index = 0
        for rule in self.rules:
            for piece in rule.pieces:
                for anchor in piece.anchors:
                    if anchor.endswith("*"):
                        stem = anchor[:-1][: _PREFIX_LENGTHS[-1]]
                        if len(stem) < _PREFIX_LENGTHS[0]:
                            self._prefix.setdefault(len(stem), {}).setdefault(stem, []).append(index)
                        else:
                            self._prefix[len(stem)].setdefault(stem, []).append(index)
                    else:
                        self._exact.setdefault(anchor, []).append(index)
                index += 1
        self._prefix = {n: table for n, table in self._prefix.items() if table}
        # Each piece's other required words: (exact words, prefixes) per required token.
        self._required: list[tuple[tuple[frozenset[str], tuple[str, ...]], ...]] = [
            tuple(
                (
                    frozenset(a for a in options if not a.endswith("*")),
                    tuple(a[:-1] for a in options if a.endswith("*")),
                )
                for options in piece.required
                if options != piece.anchors
            )
            for rule in self.rules
            for piece in rule.pieces
        ]
        stems = {stem for table in self._prefix.values() for stem in table}
        words = {w for w in self._exact if re.fullmatch(r"\w+", w)}
        self._symbols = tuple(w for w in self._exact if w not in words)  # e.g. "%"
        # Finds the words of a text that are (or start with) an anchor.
        self._locator = re.compile(rf"\b(?={_trie_regex(words, stems)})\w+")

    @classmethod
    def from_file(cls, path: str | Path, **kwargs: Any) -> Scanner:
        return cls(load_rules(path), **kwargs)

    def __len__(self) -> int:
        return len(self.rules)

    # -- the fast path ---------------------------------------------------
    def _crisis(self, norm: str) -> ScanResult | None:
        if not self.crisis:
            return None
        if "\n" in norm or "  " in norm:
            norm = " ".join(norm.split())
        match = match_crisis(norm)
        if match is None:
            return None
        return ScanResult(True, "crisis", "crisis", CRISIS_RULE, "high", None, match.phrase)

    def _best(
        self, hits: list[tuple[Rule, re.Match[str]]], skipped: list[Skipped], readable: str
    ) -> ScanResult:
        if not hits:
            return ScanResult(False, skipped=tuple(skipped))
        rule, m = min(hits, key=lambda h: (-h[0].priority, -h[0].rank, h[1].start(), self._order[h[0].id]))
        matched = _unsqueezed(m.group(0), readable)
        return ScanResult(
            True, "claim", rule.category, rule.id, rule.severity, rule.note, matched, tuple(skipped)
        )

    def candidates(self, norm: str) -> list[int]:
        """Indexes of the pieces whose anchors occur in normalised text."""
        found: set[int] = set()
        exact, prefix = self._exact, self._prefix
        for m in self._locator.finditer(norm):
            word = m.group()
            hit = exact.get(word)
            if hit:
                found.update(hit)
            for n, table in prefix.items():
                hit = table.get(word[:n])
                if hit:
                    found.update(hit)
        for symbol in self._symbols:
            if symbol in norm:
                found.update(exact[symbol])
        if not found:
            return []
        # Keep only pieces whose every required word is in the text.
        words = set(_TOKEN.findall(norm))
        kept = []
        for i in sorted(found):
            for exact_words, prefixes in self._required[i]:
                if exact_words and not exact_words.isdisjoint(words):
                    continue
                if prefixes and any(w.startswith(prefixes) for w in words):
                    continue
                break
            else:
                kept.append(i)
        return kept

    def _run(
        self,
        rule: Rule,
        regex: re.Pattern[str],
        literal: frozenset[str],
        norm: str,
        hits: list[tuple[Rule, re.Match[str]]],
        skipped: list[Skipped] | None,
    ) -> None:
        for m in regex.finditer(norm):
            reason = why_not(norm, m.start(), m.end(), literal)
            if reason is None:
                hits.append((rule, m))
                return
            if skipped is not None:
                skipped.append(Skipped(rule.id, m.group(0), reason))

    def scan(self, text: str, *, explain: bool = False) -> ScanResult:
        """Check one message: crisis language, then unsupported claims.

        With ``explain`` the result also lists candidate matches that were set
        aside and why (for ``/mod rules test``).
        """
        readable, norm = normalise_stages(text)
        crisis = self._crisis(readable)
        if crisis is not None:
            return crisis
        found = self.candidates(norm)
        if not found:
            return CLEAN
        hits: list[tuple[Rule, re.Match[str]]] = []
        skipped: list[Skipped] | None = [] if explain else None
        for i in found:
            rule, regex, literal = self._pieces[i]
            self._run(rule, regex, literal, norm, hits, skipped)
        if not hits and not explain:
            return CLEAN
        return self._best(hits, skipped or [], readable)

    # -- the baseline ----------------------------------------------------
    def scan_naive(self, text: str) -> ScanResult:
        """Rule by rule, phrase by phrase, no prefilter: the reference behaviour."""
        readable, norm = normalise_stages(text)
        crisis = self._crisis(readable)
        if crisis is not None:
            return crisis
        hits: list[tuple[Rule, re.Match[str]]] = []
        for rule, regex, literal in self._pieces:
            self._run(rule, regex, literal, norm, hits, None)
        return self._best(hits, [], readable) if hits else CLEAN
