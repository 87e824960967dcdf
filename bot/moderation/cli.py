"""``python -m bot scan``: dry-run the moderation rules on exported messages.

Reads one message per line from FILE (or standard input with ``-`` or no
argument). With ``--json`` it prints one JSON object per input line::

    {"flagged": true, "kind": "claim", "category": "invented_cause", "rule": "..."}

Without it, a readable line per message. Needs no token or database; the
rule file is ``BOT_MODERATION_RULES`` (default data/moderation/rules.yaml).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from bot.moderation.rules import RuleError
from bot.moderation.scanner import Scanner


def register(subparsers: argparse._SubParsersAction) -> None:
    scan = subparsers.add_parser(
        "scan",
        help="check messages (one per line) against the moderation rules",
        description="Check messages, one per line, against the moderation rules (a dry run).",
    )
    scan.add_argument("file", nargs="?", default="-", help="text file with one message per line; - for stdin")
    scan.add_argument("--json", action="store_true", help="print one JSON object per line")
    scan.add_argument("--rules", default=None, help="rule file (default: BOT_MODERATION_RULES)")
    scan.set_defaults(func=run_scan)


def _scan_lines(scanner: Scanner, lines: TextIO, out: TextIO, as_json: bool) -> int:
    flagged = 0
    for raw in lines:
        text = raw.rstrip("\r\n")
        result = scanner.scan(text)
        flagged += result.flagged
        if as_json:
            out.write(json.dumps(result.as_json()) + "\n")
        elif result.flagged:
            out.write(f"FLAG  {result.kind}/{result.category} [{result.rule}]  {text}\n")
        else:
            out.write(f"ok    {text}\n")
    return flagged


def run_scan(args: argparse.Namespace, settings) -> int:
    path = args.rules or settings.moderation_rules
    try:
        scanner = Scanner.from_file(path)
    except RuleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.file == "-":
        _scan_lines(scanner, sys.stdin, sys.stdout, args.json)
        return 0
    try:
        with open(args.file, encoding="utf-8", errors="replace") as handle:
            _scan_lines(scanner, handle, sys.stdout, args.json)
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    return 0
