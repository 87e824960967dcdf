"""The project's article format: Markdown with a YAML metadata header.

::

    ---
    title: Baclofen and Restless Leg Syndrome: Can It Provide Relief?
    author: James Hines
    date: 2023-04-28
    source: https://example.org/baclofen-rls     # where the text came from
    treatment:
      name: Baclofen
      slug: baclofen
      aliases: [Lioresal, Gablofen, baclophen]   # brand names and misspellings
    facts:                                         # optional curated facts
      evidence:
        level: Limited
        summary: Only a few small studies.
        text: ...
        section: Studies and Clinical Trials on Baclofen   # a heading below
    key_risks: [physical dependence]
    ---

    ## First heading

    Paragraphs…

Each ``##`` heading starts a section; text before the first one (an optional
``# Title`` line) is not part of any section. Reader comments are never part
of an article: the importer keeps them in a separate file.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

TOPICS: tuple[tuple[str, str], ...] = (
    ("what_it_is", "What it is"),
    ("how_it_works", "How it works"),
    ("evidence", "Evidence for RLS"),
    ("side_effects", "Side effects"),
    ("risks", "Risks & cautions"),
    ("ask_doctor", "Ask your doctor"),
)
TOPIC_LABELS = dict(TOPICS)
TOPIC_KEYS = tuple(key for key, _ in TOPICS)
REQUIRED_FIELDS = ("title", "author", "date", "source")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_HEADING_RE = re.compile(r"^##\s+(.+?)\s*#*\s*$")


@dataclass(frozen=True)
class Problem:
    """Something wrong with an article, at a line of its file."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Section:
    heading: str
    text: str
    line: int  # line of the heading in the file, 1-based


@dataclass(frozen=True)
class Fact:
    """A curated fact from the metadata; ``sections`` are the headings it cites."""

    topic: str
    text: str
    sections: tuple[str, ...]
    level: str | None = None
    summary: str | None = None
    line: int = 0


@dataclass
class Article:
    path: Path
    title: str
    author: str
    date: str
    source: str
    treatment_name: str | None
    slug: str | None
    aliases: tuple[str, ...]
    sections: list[Section]
    facts: dict[str, Fact] = field(default_factory=dict)
    key_risks: tuple[str, ...] = ()
    content_hash: str = ""
    lines: dict[str, int] = field(default_factory=dict)

    @property
    def file(self) -> str:
        return self.path.name

    def section(self, heading: str) -> Section | None:
        wanted = _norm_heading(heading)
        for section in self.sections:
            if _norm_heading(section.heading) == wanted:
                return section
        return None


def _norm_heading(heading: str) -> str:
    return " ".join(heading.casefold().split())


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")


# libyaml's C parser when available: several times faster at start-up with many articles.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _key_lines(node: yaml.Node, prefix: str = "") -> dict[str, int]:
    """Line (1-based) of every key in a YAML mapping, as dotted paths."""
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = f"{prefix}{key_node.value}"
            lines[key] = key_node.start_mark.line + 1
            lines.update(_key_lines(value_node, key + "."))
    return lines


def _iso_date(text: str) -> bool:
    """An ISO date, or only its month ("2025-03") when the page gave no day."""
    try:
        date.fromisoformat(f"{text}-01" if re.fullmatch(r"\d{4}-\d{2}", text) else text)
        return True
    except ValueError:
        return False


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, list | tuple):
        return [_as_text(v) for v in value if _as_text(v)]
    return [_as_text(value)]


def parse_text(text: str, path: Path) -> tuple[Article | None, list[Problem]]:
    """Parse one article. Returns the article (None if unusable) and every problem found."""
    problems: list[Problem] = []

    def problem(line: int, message: str) -> None:
        problems.append(Problem(path, line, message))

    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        problem(1, "no metadata header: the file must start with a line '---'")
        return None, problems
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        problem(1, "metadata header is not closed by a line '---'")
        return None, problems
    header_text = "\n".join(lines[1:end])
    loader = _Loader(header_text)
    try:
        # One parse gives both the key positions (for file:line problems) and the data.
        node = loader.get_single_node()
        meta = (loader.construct_document(node) if node is not None else None) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 2
        problem(line, f"metadata is not valid YAML: {getattr(exc, 'problem', exc)}")
        return None, problems
    finally:
        loader.dispose()
    if not isinstance(meta, dict):
        problem(2, "metadata must be a mapping of 'key: value' lines")
        return None, problems
    key_lines = {k: v + 1 for k, v in _key_lines(node).items()} if node is not None else {}

    def line_of(key: str) -> int:
        while key:
            if key in key_lines:
                return key_lines[key]
            key = key.rpartition(".")[0]
        return 1

    for name in REQUIRED_FIELDS:
        if not _as_text(meta.get(name)):
            problem(line_of(name), f"missing metadata: {name}")
    article_date = meta.get("date")
    if isinstance(article_date, str) and article_date.strip():
        if not _iso_date(article_date.strip()):
            problem(line_of("date"), f"date {article_date!r} is not an ISO date (YYYY-MM-DD, or YYYY-MM for a month)")

    treatment = meta.get("treatment")
    name = slug = None
    aliases: tuple[str, ...] = ()
    if treatment is None:
        problem(1, "missing metadata: treatment (name, slug, aliases)")
    elif not isinstance(treatment, dict):
        problem(line_of("treatment"), "treatment must be a mapping with name, slug and aliases")
    else:
        name = _as_text(treatment.get("name")) or None
        if not name:
            problem(line_of("treatment.name"), "missing metadata: treatment.name")
        slug = _as_text(treatment.get("slug")) or (slugify(name) if name else None)
        if slug and not SLUG_RE.match(slug):
            problem(
                line_of("treatment.slug"), f"treatment.slug {slug!r} must be lowercase letters, digits, '-'"
            )
            slug = slugify(slug) or None
        aliases = tuple(dict.fromkeys(_as_list(treatment.get("aliases"))))

    # -- sections ----------------------------------------------------------
    sections: list[Section] = []
    heading: str | None = None
    heading_line = 0
    body: list[str] = []

    def flush() -> None:
        if heading is None:
            return
        paragraphs = [p.strip() for p in "\n".join(body).split("\n\n")]
        content = "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())
        sections.append(Section(heading, content, heading_line))

    for number, line in enumerate(lines[end + 1 :], start=end + 2):
        match = _HEADING_RE.match(line)
        if match:
            flush()
            heading, heading_line, body = match.group(1).strip(), number, []
        elif heading is not None:
            body.append(line)
    flush()

    if not sections:
        problem(end + 2 if end + 1 < len(lines) else end + 1, "no sections: add '## Heading' lines")
    seen: dict[str, int] = {}
    for section in sections:
        if not section.text:
            problem(section.line, f"empty section: '{section.heading}'")
        key = _norm_heading(section.heading)
        if key in seen:
            problem(
                section.line, f"duplicate section heading '{section.heading}' (first at line {seen[key]})"
            )
        else:
            seen[key] = section.line
    known_headings = set(seen)

    # -- curated facts -----------------------------------------------------
    facts: dict[str, Fact] = {}
    raw_facts = meta.get("facts") or {}
    if not isinstance(raw_facts, dict):
        problem(line_of("facts"), "facts must be a mapping of topic: {text, section}")
        raw_facts = {}
    for topic, value in raw_facts.items():
        topic = str(topic)
        where = line_of(f"facts.{topic}")
        if topic not in TOPIC_LABELS:
            problem(where, f"unknown fact topic '{topic}' (known: {', '.join(TOPIC_KEYS)})")
            continue
        if not isinstance(value, dict):
            problem(where, f"facts.{topic} must have 'text' and 'section'")
            continue
        fact_text = _as_text(value.get("text"))
        cited = tuple(_as_list(value.get("section")) + _as_list(value.get("sections")))
        if not fact_text:
            problem(where, f"facts.{topic} has no text")
        if not cited:
            problem(where, f"facts.{topic} cites no section")
        for heading_cited in cited:
            if _norm_heading(heading_cited) not in known_headings:
                line = line_of(f"facts.{topic}.section")
                if line == where:
                    line = line_of(f"facts.{topic}.sections")
                problem(line, f"facts.{topic} cites a section that does not exist: '{heading_cited}'")
        level = _as_text(value.get("level")) or None
        summary = _as_text(value.get("summary")) or None
        if topic == "evidence" and not level:
            problem(where, "facts.evidence needs a level (e.g. Limited, Moderate, Strong)")
        if level and len(level) > 40:
            problem(line_of(f"facts.{topic}.level"), "evidence level must be a short label")
        valid = tuple(h for h in cited if _norm_heading(h) in known_headings)
        if fact_text and valid:
            facts[topic] = Fact(topic, fact_text, valid, level, summary, where)

    key_risks = tuple(_as_list(meta.get("key_risks")))
    article = Article(
        path=path,
        title=_as_text(meta.get("title")),
        author=_as_text(meta.get("author")),
        date=_as_text(meta.get("date")),
        source=_as_text(meta.get("source")),
        treatment_name=name,
        slug=slug,
        aliases=aliases,
        sections=sections,
        facts=facts,
        key_risks=key_risks,
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        lines={"treatment": line_of("treatment"), "treatment.aliases": line_of("treatment.aliases")},
    )
    fatal = not article.title or not sections
    return (None if fatal else article), problems


def parse_file(path: Path) -> tuple[Article | None, list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [Problem(path, 1, "not UTF-8 text")]
    return parse_text(text, path)


def article_files(articles_dir: Path) -> list[Path]:
    """Article files: ``*.md`` directly inside the directory (sub-folders such as comments/ are not)."""
    directory = Path(articles_dir)
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.glob("*.md") if p.is_file() and not p.name.startswith("."))


def render(meta: dict[str, Any], sections: list[tuple[str, str]]) -> str:
    """Write an article in the project's format."""
    header = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100)
    parts = ["---", header.rstrip(), "---", "", f"# {meta['title']}", ""]
    for heading, text in sections:
        parts += [f"## {heading}", "", text.strip(), ""]
    return "\n".join(parts)
