"""Run the benchmark suite: ``python -m benchmarks [--only NAME ...] [--quick] [--seed N] [--markdown FILE]``.

Every figure is printed beside its target; where a baseline is named it is
measured in the same run and the ratio is reported.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import inspect
import logging
import pkgutil
import sys
import time
from pathlib import Path

import benchmarks
from benchmarks.report import Figure, table


def suites() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(benchmarks.__path__) if m.name.startswith("bench_"))


def main(argv: list[str] | None = None) -> int:
    names = suites()
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--only", nargs="+", choices=[n.removeprefix("bench_") for n in names])
    parser.add_argument("--quick", action="store_true", help="smaller inputs, for a smoke run")
    parser.add_argument("--seed", type=int, default=0, help="for suites with random choices (crash: where it crashes)")
    parser.add_argument("--markdown", type=Path, help="also write the results table to this file")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    chosen = [n for n in names if not args.only or n.removeprefix("bench_") in args.only]
    modules = [importlib.import_module(f"benchmarks.{name}") for name in chosen]
    # In figure order ("1 fact lookup", "2 claim scan", ...), not alphabetical.
    order = sorted(zip(chosen, modules, strict=True), key=lambda nm: getattr(nm[1], "SUITE", nm[0]))

    figures: list[Figure] = []
    failed = []
    for name, module in order:
        short = name.removeprefix("bench_")
        print(f"== {short}: {(module.__doc__ or '').strip().splitlines()[0]}", flush=True)
        started = time.perf_counter()
        try:
            options = {"seed": args.seed} if "seed" in inspect.signature(module.run).parameters else {}
            result = module.run(quick=args.quick, **options)
            if inspect.isawaitable(result):
                result = asyncio.run(result)
        except Exception as exc:  # a broken suite must not hide the others
            failed.append(short)
            print(f"   FAILED: {type(exc).__name__}: {exc}", flush=True)
            continue
        for figure in result:
            print("  ", figure.row(), flush=True)
        figures.extend(result)
        print(f"   ({time.perf_counter() - started:.1f} s)", flush=True)

    print()
    text = table(figures)
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n")
    misses = [f for f in figures if f.ok is False]
    if failed or misses:
        print(f"\n{len(misses)} target(s) missed; suites failed: {', '.join(failed) or 'none'}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
