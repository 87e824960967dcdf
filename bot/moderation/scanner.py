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

from bot.moderation.context import GATE_REASONS, GATE_SCORES, model_gates, sentences, why_not
from bot.moderation.features import prepare
from bot.moderation.normalise import normalise_stages
from bot.moderation.rules import Rule, RuleSet, load_rules
from bot.safety import match_crisis

CRISIS_RULE = "crisis-language"
# Below this, the model's crisis reading gives way to a claim rule's match: a long post about a drug
# that ends "i think rls is caused by too much wifi" is a claim for the moderators, not a crisis.
# Chosen on out-of-fold predictions of the training corpus: above every message there that a claim
# rule matches but is not crisis (the highest read 0.65 crisis), below every crisis message (0.98).
MODEL_CRISIS_SURE = 0.7


@dataclass(frozen=True, slots=True)
class Skipped:
    rule: str
    matched: str
    reason: str


@dataclass(frozen=True, slots=True)
class Neighbour:
    """A labelled example like the message, shown so a moderator sees why the model decided."""

    similarity: float
    label: str
    text: str
    origin: str  # "corpus" or what a moderator did in this server ("dismiss", "teach", ...)


@dataclass(frozen=True, slots=True)
class ScanResult:
    flagged: bool
    kind: str | None = None  # "claim" | "crisis"
    category: str | None = None
    rule: str | None = None  # a rule id, or MODEL_RULE / LEARNED_RULE
    severity: str | None = None
    note: str | None = None
    matched: str | None = None
    skipped: tuple[Skipped, ...] = field(default=(), compare=False)
    score: float = 0.0  # 0-1: how sure the deciding layer is (1 for a rule)
    layer: str | None = None  # "rule", "model", "learned" or None (nothing decided)
    public: bool = False  # confident enough for a public reply or a removal
    neighbours: tuple[Neighbour, ...] = field(default=(), compare=False)
    scores: Any = field(default=None, compare=False)  # the model's Scores, when it ran

    def as_json(self) -> dict[str, Any]:
        return {
            "flagged": self.flagged,
            "kind": self.kind,
            "category": self.category,
            "rule": self.rule,
            "score": round(self.score, 4),
            "layer": self.layer,
            "public": self.public,
        }


CLEAN = ScanResult(False)
MODEL_RULE = "model"
LEARNED_RULE = "learned"
_SEVERITY_OF = {
    "dangerous_advice": "high",
    "miracle_cure": "medium",
    "invented_cause": "medium",
    "regulator_conspiracy": "medium",
    "product_pitch": "medium",
}


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


# Results kept for repeated messages: this many, of messages up to this long.
_MEMO_SIZE = 2048
_MEMO_TEXT = 300

LEARNED_SIMILARITY = 0.8  # a message this like a moderator's decision follows that decision
# A phrase rule's match stands unless the model is sure the message is no claim: its claim
# score under this share of the alert threshold sets the match aside (a context gate that
# knows what the phrase rules cannot: "is there a cure for rls?", "my aunt says...").
RULE_AGREEMENT = 1 / 5


class Learned:
    """A server's own labelled examples: moderators' decisions and what they taught.

    A message very like one of them follows it at once (a dismissed false positive is not
    flagged again; a confirmed claim is flagged), before the next retraining folds them
    into the server's model.
    """

    def __init__(self, model, examples) -> None:
        from bot.moderation.model import Example

        self.model = model
        self.examples = [ex if isinstance(ex, Example) else Example(*ex) for ex in examples]
        self._matrix = model._vectors([ex.text for ex in self.examples]) if self.examples else None

    def __len__(self) -> int:
        return len(self.examples)

    def nearest(self, text: str, k: int = 1) -> list[tuple[float, object]]:
        if self._matrix is None:
            return []
        sims = (self._matrix @ self.model._vectors([text]).T).toarray().ravel()
        order = sims.argsort(kind="stable")[::-1][:k]
        return [(float(sims[i]), self.examples[i]) for i in order]


class Scanner:
    """A rule set compiled once. Thread-safe and reusable; build a new one when rules change."""

    def __init__(self, ruleset: RuleSet, *, crisis: bool = True, model=None, learned: Learned | None = None) -> None:
        self.ruleset = ruleset
        self.crisis = crisis
        self.model = model
        self.learned = learned if learned else None
        self._notes = {}
        for rule in ruleset.rules:
            if not rule.custom:
                self._notes.setdefault(rule.category, rule.note)
        self.rules: tuple[Rule, ...] = ruleset.rules
        # Each piece (phrase or pattern) with its rule. Its regex is compiled the first time a
        # message could match it (most never meet one at start-up; compiling them all took 0.1 s).
        self._pieces: list[tuple[Rule, str, frozenset[str]]] = [
            (rule, piece.regex, piece.literal_words) for rule in self.rules for piece in rule.pieces
        ]
        self._compiled: list[re.Pattern[str] | None] = [None] * len(self._pieces)
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
        self._memo: dict[str, ScanResult] = {}  # recent messages' results (see scan)

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
        return ScanResult(
            True, "crisis", "crisis", CRISIS_RULE, "high", None, match.phrase, score=1.0, layer="rule"
        )

    def _best(
        self, hits: list[tuple[Rule, re.Match[str]]], skipped: list[Skipped], readable: str, scores=None
    ) -> ScanResult:
        if not hits:
            return ScanResult(False, skipped=tuple(skipped))
        rule, m = min(hits, key=lambda h: (-h[0].priority, -h[0].rank, h[1].start(), self._order[h[0].id]))
        matched = _unsqueezed(m.group(0), readable)
        return ScanResult(
            True,
            "claim",
            rule.category,
            rule.id,
            rule.severity,
            rule.note,
            matched,
            tuple(skipped),
            score=1.0,
            layer="rule",
            # Public when the rule is marked precise enough and the model (if any) agrees it is a claim.
            public=rule.public and (scores is None or scores.claim >= self.model.thresholds.alert),
            scores=scores,
        )

    def candidates(self, norm: str) -> list[int]:
        """Indexes of the pieces whose anchors occur in normalised text."""
        found: set[int] = set()
        exact, prefix = self._exact, self._prefix
        for word in self._locator.findall(norm):
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

    def _piece(self, i: int) -> tuple[Rule, re.Pattern[str], frozenset[str]]:
        rule, source, literal = self._pieces[i]
        regex = self._compiled[i]
        if regex is None:
            regex = self._compiled[i] = re.compile(source)
        return rule, regex, literal

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

    def _scores(self, text: str, readable: str, naive: bool = False):
        if self.model is None:
            return None
        return self.model.score_prepared(readable if ">" not in text else prepare(text), naive)

    def _model_crisis(self, scores) -> ScanResult | None:
        if scores is None or not self.crisis or scores.crisis < self.model.thresholds.crisis:
            return None
        return ScanResult(
            True, "crisis", "crisis", MODEL_RULE, "high", None, None, score=scores.crisis, layer="model",
            scores=scores,
        )

    def _model_claim(self, scores, readable: str, skipped: list[Skipped] | None = None) -> ScanResult | None:
        if scores is None or scores.claim < self.model.thresholds.alert:
            return None
        gates = model_gates(readable)
        for gate in gates:
            if scores.claim < GATE_SCORES[gate]:
                if skipped is not None:
                    skipped.append(
                        Skipped(
                            MODEL_RULE,
                            "",
                            f"{GATE_REASONS[gate]}: claim score {scores.claim:.2f} is under {GATE_SCORES[gate]}",
                        )
                    )
                return None
        category = scores.category
        return ScanResult(
            True,
            "claim",
            category,
            MODEL_RULE,
            _SEVERITY_OF.get(category, "medium"),
            self._notes.get(category),
            None,
            score=scores.claim,
            layer="model",
            # a question may still be sarcasm or doubt: moderators see it, nobody answers it publicly
            public=scores.category_score >= self.model.thresholds.public and not {"question", "loaded"} & set(gates),
            scores=scores,
        )

    def _agreed(self, hits, scores, skipped: list[Skipped] | None, readable: str = ""):
        """Rule matches the model does not contradict (all of them without a model).

        A long post can bury one claim among lived experience, so the model is asked about
        each sentence too: the best-scoring one counts. A rule this server's moderators wrote
        themselves is their word: the model does not overrule it (its context checks still apply).
        """
        if not hits or scores is None:
            return hits
        floor = self.model.thresholds.alert * RULE_AGREEMENT
        if scores.claim >= floor:
            return hits
        parts = sentences(readable)
        if len(parts) > 1 and max(self.model.score_prepared(p).claim for p in parts[:20]) >= floor:
            return hits
        own = [(rule, m) for rule, m in hits if rule.custom]
        if skipped is not None:
            reason = f"the learned model is confident it is not a claim (claim score {scores.claim:.2f})"
            seen: set[str] = set()
            for rule, m in hits:
                if rule.id not in seen and not rule.custom:
                    seen.add(rule.id)
                    skipped.append(Skipped(rule.id, m.group(0), reason))
        return own

    def _decide(self, text: str, result: ScanResult, scores, explain: bool) -> ScanResult:
        """Moderators' own decisions in this server, then the explanation."""
        learned = self.learned
        if learned is not None and not (result.flagged and result.kind == "crisis"):
            [(sim, ex)] = learned.nearest(text, 1) or [(0.0, None)]
            if ex is not None and sim >= LEARNED_SIMILARITY:
                if result.flagged and result.kind == "claim" and ex.label == "none":
                    result = ScanResult(
                        False, skipped=result.skipped, score=sim, layer="learned", scores=scores,
                        neighbours=(Neighbour(sim, ex.label, ex.text, ex.source),),
                    )
                elif not result.flagged and ex.label in _SEVERITY_OF:
                    result = ScanResult(
                        True,
                        "claim",
                        ex.label,
                        LEARNED_RULE,
                        _SEVERITY_OF[ex.label],
                        self._notes.get(ex.label),
                        None,
                        result.skipped,
                        score=sim,
                        layer="learned",
                        scores=scores,
                        neighbours=(Neighbour(sim, ex.label, ex.text, ex.source),),
                    )
        if explain and self.model is not None:
            extra = learned.examples if learned is not None else ()
            near = tuple(
                Neighbour(sim, ex.label, ex.text, ex.source if ex in extra else "corpus")
                for sim, ex in self.model.nearest(text, 3, extra=extra)
            )
            from dataclasses import replace

            result = replace(result, neighbours=near, scores=scores)
        return result

    def scan(self, text: str, *, explain: bool = False) -> ScanResult:
        """Check one message: crisis language, then unsupported claims.

        Layers, in order: crisis phrases, the model's crisis score, the claim rules (with
        their context gate), the model's claim score; then this server's own decisions.
        With ``explain`` the result also lists candidate matches that were set aside and
        why, and the nearest labelled examples (for ``/mod rules test`` and ``scan --explain``).

        A scanner never changes, so the same text always gets the same result: the most
        recent short messages' results are kept ("lol", "good morning everyone" come again
        and again) and a repeat costs one dictionary look-up. Plain ASCII is lower-cased
        before anything else reads it (normalisation, block quotes), so "LOL" and "Lol" are
        repeats of "lol" and share its entry.
        """
        if explain or len(text) > _MEMO_TEXT:
            return self._scan(text, explain)
        memo = self._memo
        key = text.lower() if text.isascii() else text
        result = memo.pop(key, None)  # re-inserted below: the least recently seen go first
        if result is None:
            result = self._scan(text, False)
            if len(memo) >= _MEMO_SIZE:
                try:
                    del memo[next(iter(memo))]
                except (KeyError, RuntimeError, StopIteration):  # another thread got there first
                    pass
        memo[key] = result
        return result

    def _scan(self, text: str, explain: bool) -> ScanResult:
        readable, norm = normalise_stages(text)
        crisis = self._crisis(readable)
        if crisis is not None:
            return crisis
        scores = self._scores(text, readable)
        crisis = self._model_crisis(scores)
        if crisis is not None and crisis.score >= MODEL_CRISIS_SURE:
            return self._decide(text, crisis, scores, explain)
        found = self.candidates(norm)
        hits: list[tuple[Rule, re.Match[str]]] = []
        skipped: list[Skipped] | None = [] if explain else None
        for i in found:
            rule, regex, literal = self._piece(i)
            self._run(rule, regex, literal, norm, hits, skipped)
        hits = self._agreed(hits, scores, skipped, readable)
        if crisis is not None and not hits:
            return self._decide(text, crisis, scores, explain)
        if hits:
            result = self._best(hits, skipped or [], readable, scores)
        else:
            result = self._model_claim(scores, readable, skipped) or (
                ScanResult(False, skipped=tuple(skipped or ()), scores=scores) if explain or scores else CLEAN
            )
        if self.learned is None and not explain:
            return result
        return self._decide(text, result, scores, explain)

    # -- the baseline ----------------------------------------------------
    def scan_naive(self, text: str) -> ScanResult:
        """Rule by rule, phrase by phrase, no prefilter, the model without its caches:
        the reference behaviour."""
        readable, norm = normalise_stages(text)
        crisis = self._crisis(readable)
        if crisis is not None:
            return crisis
        scores = self._scores(text, readable, naive=True)
        crisis = self._model_crisis(scores)
        if crisis is not None and crisis.score >= MODEL_CRISIS_SURE:
            return self._decide(text, crisis, scores, False)
        hits: list[tuple[Rule, re.Match[str]]] = []
        for rule, regex, literal in map(self._piece, range(len(self._pieces))):
            self._run(rule, regex, literal, norm, hits, None)
        hits = self._agreed(hits, scores, None, readable)
        if crisis is not None and not hits:
            return self._decide(text, crisis, scores, False)
        result = self._best(hits, [], readable, scores) if hits else (self._model_claim(scores, readable) or CLEAN)
        return self._decide(text, result, scores, False) if self.learned is not None else result
