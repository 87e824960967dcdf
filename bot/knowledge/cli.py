"""``python -m bot articles import|check``, ``ask`` and ``treatment``: no token needed."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from pathlib import Path
from typing import Any

from bot.knowledge.text import excerpt


def register(subparsers: argparse._SubParsersAction) -> None:
    articles = subparsers.add_parser("articles", help="import and check community articles")
    articles_sub = articles.add_subparsers(dest="articles_command", metavar="ACTION", required=True)

    imp = articles_sub.add_parser("import", help="convert raw web articles into the article format")
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE")
    imp.add_argument("--dest", type=Path, help="where to write them (default: BOT_ARTICLES_DIR)")
    imp.add_argument("--treatment", help="the treatment's name, when the title does not say it")
    imp.add_argument("--source", help="where the article came from (default: the file name)")
    imp.add_argument("--force", action="store_true", help="overwrite an existing article")
    imp.set_defaults(func=cmd_import)

    check = articles_sub.add_parser("check", help="validate every article")
    check.add_argument("--dir", type=Path, help="articles directory (default: BOT_ARTICLES_DIR)")
    check.set_defaults(func=cmd_check)

    ask = subparsers.add_parser("ask", help="ask the articles a question")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument("--limit", type=int, default=3, help="at most this many passages (default 3)")
    ask.set_defaults(func=cmd_ask)

    knowledge = subparsers.add_parser("knowledge", help="rebuild the /ask topic model and section ranker")
    knowledge_sub = knowledge.add_subparsers(dest="knowledge_command", metavar="ACTION", required=True)
    train = knowledge_sub.add_parser(
        "train",
        help="train the topic model on data/knowledge/questions*.tsv, then the section ranker on "
        "data/knowledge/section_questions/ (deterministic)",
    )
    train.add_argument(
        "--output", type=Path, help="where to write the weights (default: data/knowledge/ranker.json)"
    )
    train.add_argument(
        "--by-article",
        action="store_true",
        help="write nothing; print /ask figures per article, each from a ranker trained without that article",
    )
    train.set_defaults(func=cmd_train)

    treatment = subparsers.add_parser("treatment", help="show a treatment's fact card")
    treatment.add_argument("name")
    treatment.add_argument("--json", action="store_true", help="print the card's data as JSON")
    treatment.set_defaults(func=cmd_treatment)


def cmd_import(args: argparse.Namespace, settings: Any) -> int:
    from bot.knowledge.importer import ImportError_, import_file

    dest = args.dest or settings.articles_dir
    if args.treatment and len(args.files) > 1:
        print("error: --treatment applies to one file at a time", file=sys.stderr)
        return 2
    status = 0
    for path in args.files:
        try:
            result = import_file(path, dest, treatment=args.treatment, source=args.source, force=args.force)
        except (OSError, UnicodeDecodeError, ImportError_) as exc:
            print(f"error: {path}: {exc}", file=sys.stderr)
            status = 1
            continue
        line = f"{path} -> {result.article_path} ({result.sections} sections"
        if result.comments_path:
            line += f"; {result.comments} reader comments kept apart in {result.comments_path}"
        print(line + ")")
    if status == 0:
        print("Review the drafted facts in each article's header, then run: python -m bot articles check")
    return status


def cmd_train(args: argparse.Namespace, settings: Any) -> int:
    from bot.knowledge import ranker, topics
    from bot.knowledge.training import train

    print(f"topic model: {topics.ship()}")
    if args.by_article:
        return _print_by_article()
    model, report = asyncio.run(train())
    output = args.output or ranker.WEIGHTS
    output.write_text(model.to_json(), encoding="utf-8")
    print(
        f"{report.questions} questions, {report.refusable} to refuse: out-of-fold top-1 "
        f"{report.out_of_fold_top1:.1%}; threshold {report.threshold} keeps {report.kept:.1%} right "
        f"and refuses {report.refused:.1%}; off-article topics refuse at {report.off_article} "
        f"and, when at least {report.doubt_off} likely together, need a section {report.doubt_below} sure "
        f"(answerable refused {report.topic_refusals[0]}/{report.topic_refusals[1]}, "
        f"refusable {report.topic_refusals[2]}/{report.topic_refusals[3]}). Wrote {output}"
    )
    return 0


def _print_by_article() -> int:
    from bot.knowledge.training import by_article

    results = asyncio.run(by_article())
    total = {"top1": 0, "answerable": 0, "refused": 0, "refusable": 0}
    for article, figures in results.items():
        for key in total:
            total[key] += getattr(figures, key)
        print(
            f"{article}: top-1 {figures.top1}/{figures.answerable} ({figures.top1_rate:.1%}), "
            f"refused {figures.refused}/{figures.refusable}"
        )
    answerable, refusable = total["answerable"] or 1, total["refusable"] or 1
    print(
        f"all, each article unseen: top-1 {total['top1']}/{total['answerable']} "
        f"({total['top1'] / answerable:.1%}), refused {total['refused']}/{total['refusable']} "
        f"({total['refused'] / refusable:.1%})"
    )
    return 0


def cmd_check(args: argparse.Namespace, settings: Any) -> int:
    from bot.knowledge.checker import check_articles

    directory = args.dir or settings.articles_dir
    problems, articles = check_articles(directory)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {directory}", file=sys.stderr)
        return 1
    treatments = sum(1 for a in articles if a.slug)
    print(f"OK: {len(articles)} article(s), {treatments} treatment(s) in {directory}")
    return 0


async def open_memory_kb(articles_dir: Path):
    """A knowledge base over an in-memory index built from the articles."""
    from bot.db import Database, discover_migrations
    from bot.knowledge import KnowledgeBase

    for name in ("bot.db", "bot.knowledge"):  # keep a script's stderr for real problems
        logging.getLogger(name).setLevel(logging.WARNING)

    db = await Database(":memory:").open()
    try:
        await db.migrate([m for m in discover_migrations() if 100 <= m.version <= 199])
        return db, await KnowledgeBase.open(db, articles_dir)
    except BaseException:
        await db.close()
        raise


def cmd_ask(args: argparse.Namespace, settings: Any) -> int:
    from bot.errors import UserError
    from bot.knowledge import validate_question

    try:
        question = validate_question(args.question)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1

    async def run():
        db, kb = await open_memory_kb(settings.articles_dir)
        try:
            return kb, await kb.ask(question, limit=max(1, args.limit))
        finally:
            await db.close()

    kb, answer = asyncio.run(run())
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False))
        return 0
    if not answer.answered:
        print(f"{kb.explain(answer)} Try `python -m bot treatment NAME`.")
        return 0
    if answer.unnamed:
        from bot.knowledge import UNNAMED_NOTE

        print(f"{UNNAMED_NOTE}\n")
    for number, passage in enumerate(answer.results, 1):
        print(f"{number}. {passage.article} — {passage.section} (score {passage.score:.2f})")
        print(f"   {excerpt(passage.text, passage.focus, 400)}\n")
    return 0


def cmd_treatment(args: argparse.Namespace, settings: Any) -> int:
    async def run():
        db, kb = await open_memory_kb(settings.articles_dir)
        try:
            return kb, kb.find_treatment(args.name)
        finally:
            await db.close()

    kb, treatment = asyncio.run(run())
    if treatment is None:
        close = kb.close_names(args.name)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        known = ", ".join(t.name for t in kb.treatments()) or "none"
        print(f"error: no treatment called {args.name!r}.{hint} Known: {known}.", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(treatment.to_dict(), ensure_ascii=False))
        return 0
    card = treatment.card
    print(f"{treatment.name} ({', '.join(treatment.aliases)})" if treatment.aliases else treatment.name)
    print(f"Evidence: {card.evidence_level} — {card.evidence_summary}")
    for topic in card.topics:
        print(f"\n{topic.label} [{'; '.join(topic.sections)}]\n  {topic.text}")
    if card.key_risks:
        print("\nKey risks: " + "; ".join(card.key_risks))
    article = treatment.article
    print(f"\nSource: {article.title} by {article.author}, {article.date} ({article.source})")
    return 0
