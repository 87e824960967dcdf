"""``python -m bot scan`` and ``python -m bot moderation train``.

``scan`` reads one message per line from FILE (or standard input with ``-``
or no argument). With ``--json`` it prints one JSON object per input line::

    {"flagged": true, "kind": "claim", "category": "invented_cause", "rule": "model",
     "score": 0.97, "layer": "model", "public": false}

``--explain`` adds the rule matches set aside and the nearest labelled
examples. Needs no token or database; the rule file is
``BOT_MODERATION_RULES`` and the model ``BOT_MODERATION_MODEL``.

``moderation train`` rebuilds the shipped model from the labelled corpus
(``BOT_MODERATION_CORPUS``), deterministically, and prints its
out-of-fold figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import TextIO

from bot.moderation.model import CorpusError, Model, load_corpus, train
from bot.moderation.rules import RuleError, load_rules
from bot.moderation.scanner import Scanner, ScanResult


def register(subparsers: argparse._SubParsersAction) -> None:
    scan = subparsers.add_parser(
        "scan",
        help="check messages (one per line) against the moderation rules and model",
        description="Check messages, one per line, against the moderation rules and model (a dry run).",
    )
    scan.add_argument("file", nargs="?", default="-", help="text file with one message per line; - for stdin")
    scan.add_argument("--json", action="store_true", help="print one JSON object per line")
    scan.add_argument("--explain", action="store_true", help="also show set-aside matches and nearest examples")
    scan.add_argument("--rules", default=None, help="rule file (default: BOT_MODERATION_RULES)")
    scan.add_argument("--no-model", action="store_true", help="rules only, without the learned layer")
    scan.set_defaults(func=run_scan)

    moderation = subparsers.add_parser("moderation", help="the moderation model")
    sub = moderation.add_subparsers(dest="moderation_command", metavar="ACTION", required=True)
    tr = sub.add_parser(
        "train",
        help="rebuild the shipped model from the labelled corpus",
        description="Rebuild the moderation model from the labelled corpus (deterministic).",
    )
    tr.add_argument("--corpus", default=None, help="corpus folder (default: BOT_MODERATION_CORPUS)")
    tr.add_argument("--out", default=None, help="model folder (default: BOT_MODERATION_MODEL)")
    tr.set_defaults(func=run_train)


def _explain(result: ScanResult) -> dict:
    out: dict = {
        "skipped": [{"rule": s.rule, "matched": s.matched, "reason": s.reason} for s in result.skipped],
        "nearest": [
            {"similarity": round(n.similarity, 3), "label": n.label, "text": n.text, "origin": n.origin}
            for n in result.neighbours
        ],
    }
    if result.scores is not None:
        out["probabilities"] = {k: round(v, 4) for k, v in result.scores.probabilities.items()}
    return out


def _scan_lines(scanner: Scanner, lines: TextIO, out: TextIO, as_json: bool, explain: bool = False) -> int:
    flagged = 0
    for raw in lines:
        text = raw.rstrip("\r\n")
        result = scanner.scan(text, explain=explain)
        flagged += result.flagged
        if as_json:
            data = result.as_json()
            if explain:
                data.update(_explain(result))
            out.write(json.dumps(data, ensure_ascii=False) + "\n")
            continue
        if result.flagged:
            out.write(
                f"FLAG  {result.kind}/{result.category} [{result.rule}, {result.layer} {result.score:.2f}"
                f"{', public' if result.public else ''}]  {text}\n"
            )
        else:
            out.write(f"ok    {text}\n")
        if explain:
            for s in result.skipped:
                what = f" matched {s.matched!r}" if s.matched else ""
                out.write(f"      set aside: {s.rule}{what}: {s.reason}\n")
            for n in result.neighbours:
                out.write(f"      like ({n.similarity:.2f}, {n.label}): {n.text[:100]}\n")
    return flagged


_LOADED: dict[tuple, Model] = {}


def load_model(settings) -> Model | None:
    """The shipped model with its corpus (for the nearest examples), or None when it is switched off.

    Read once per process for the same files (a model is read-only once loaded).
    """
    if settings.moderation_model is None:
        return None
    from bot.settings import PROJECT_ROOT

    folder = Path(settings.moderation_model)
    corpus_dir = Path(settings.moderation_corpus)
    # Relative defaults work from any working directory: the project's own copy.
    if not folder.is_absolute() and not folder.exists():
        folder = PROJECT_ROOT / folder
    if not corpus_dir.is_absolute() and not corpus_dir.exists():
        corpus_dir = PROJECT_ROOT / corpus_dir
    meta = folder / "model.json"
    if not meta.is_file():
        return None
    key = (str(folder.resolve()), meta.stat().st_mtime_ns, str(corpus_dir.resolve()))
    model = _LOADED.get(key)
    if model is None:
        examples = load_corpus(corpus_dir) if corpus_dir.is_dir() else []
        model = _LOADED[key] = Model.load(folder, examples)
    return model


def run_scan(args: argparse.Namespace, settings) -> int:
    path = args.rules or settings.moderation_rules
    try:
        model = None if args.no_model else load_model(settings)
        scanner = Scanner(load_rules(path), model=model)
    except (RuleError, CorpusError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.file == "-":
        _scan_lines(scanner, sys.stdin, sys.stdout, args.json, args.explain)
        return 0
    try:
        with open(args.file, encoding="utf-8", errors="replace") as handle:
            _scan_lines(scanner, handle, sys.stdout, args.json, args.explain)
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    return 0


def run_train(args: argparse.Namespace, settings) -> int:
    corpus_dir = Path(args.corpus or settings.moderation_corpus)
    out = Path(args.out or settings.moderation_model or "data/moderation/model")
    try:
        examples = load_corpus(corpus_dir)
    except (CorpusError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not examples:
        print(f"error: no labelled examples in {corpus_dir}", file=sys.stderr)
        return 2
    start = time.perf_counter()
    model = train(examples)
    model.save(out)
    took = time.perf_counter() - start
    print(f"trained on {len(examples)} examples in {took:.1f} s -> {out} (corpus {model.corpus_hash})")
    print("thresholds: " + ", ".join(f"{k} {v}" for k, v in model.thresholds.as_dict().items()))
    print("out-of-fold: " + ", ".join(f"{k} {v}" for k, v in model.metrics.items()))
    return 0
