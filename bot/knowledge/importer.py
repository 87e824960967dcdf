"""Turn raw web articles (title, byline, headed sections, reader comments) into articles.

The raw format, as copied from the community's site::

    Title line
    (the title again, sometimes)
    May 11 2023 Hudson Bellamy          <- or "Apr 28, 2023" then "James Hines"
    A heading: a short line without final punctuation
    Paragraphs…
    4 Comments                           <- optional; everything after is reader comments
    • Image placeholder / Name / April 29, 2023 AT 00:48 / text …
    Write a comment

Reader comments are opinions, not facts: they go to a separate YAML file and
never into the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from bot.knowledge.articles import TOPICS, Section, render, slugify
from bot.knowledge.cards import draft_key_risks, draft_topic, grade_evidence

# Brand names and common misspellings of treatments discussed for RLS.
KNOWN_TREATMENTS: dict[str, tuple[str, ...]] = {
    "Memantine": ("Namenda", "Ebixa", "Axura", "memantin", "memantene", "memantine hydrochloride"),
    "Baclofen": ("Lioresal", "Gablofen", "Ozobax", "Kemstro", "Lyvispah", "baclophen", "baclofin"),
    "Gabapentin": ("Neurontin", "Gralise", "Horizant", "gabapentin enacarbil", "gabapentine", "gabapenten"),
    "Pregabalin": ("Lyrica", "pregabaline", "pregablin"),
    "Ropinirole": ("Requip", "Adartrel", "ropinerole", "ropinarole", "ropinorole"),
    "Pramipexole": ("Mirapex", "Mirapexin", "Sifrol", "pramipexol", "pramiprexole", "pramipexcole"),
    "Rotigotine": ("Neupro", "rotigotin"),
    "Iron": (
        "iron supplements",
        "ferrous sulfate",
        "ferrous sulphate",
        "ferric carboxymaltose",
        "Ferinject",
        "Injectafer",
        "iron sucrose",
        "Venofer",
    ),
    "Magnesium": ("magnesium citrate", "magnesium glycinate", "magnesium oxide", "magnesum"),
    "Clonazepam": ("Klonopin", "Rivotril", "clonazepan", "klonazepam"),
    "Tramadol": ("Ultram", "ConZip", "tramadal"),
    "Oxycodone": ("OxyContin", "Roxicodone", "Targin", "oxycodon"),
    "Levodopa": (
        "Sinemet",
        "Madopar",
        "carbidopa-levodopa",
        "co-careldopa",
        "co-beneldopa",
        "L-dopa",
        "levadopa",
    ),
    "Dipyridamole": ("Persantine", "dipyridamol"),
    "Amantadine": ("Symmetrel", "Gocovri", "amantadin"),
}
KNOWN_NAMES = tuple(n for name, aliases in KNOWN_TREATMENTS.items() for n in (name, *aliases))  # every one

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_PATTERNS = (
    re.compile(r"\b(?P<year>\d{4})-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})\b"),
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b", re.I),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>\d{{4}})\b", re.I),
)
# a byline may give only the month: "Last reviewed: March 2025" (kept as "2025-03", no day invented)
_MONTH_YEAR = re.compile(rf"\b{_MONTH},?\s+(?P<year>\d{{4}})\b", re.I)
_BYLINE_MARK = re.compile(r"[:|·•]")  # "Next review due: ...", "Jo Bloggs | March 2025"
BYLINE_MOST_WORDS = 8  # a byline line holds a date and a name, a label or two: no more words than this
_BYLINE_LENGTH = 120  # a longer line with a date in it is the article's first paragraph
_TIME = re.compile(r"^\s*(?:at|AT|@|,)?\s*(?P<h>\d{1,2}):(?P<m>\d{2})(?:\s*(?P<ampm>[ap]\.?m\.?))?\s*$", re.I)
_COMMENTS_START = re.compile(
    r"^(?:\d+\s+(?:comments?|responses?|replies)|comments?\s*\(\d+\)|comments?)$", re.I
)
_COMMENTS_END = re.compile(r"^(?:write|leave|post|add)\s+a\s+(?:comment|reply)$", re.I)
_IMAGE = re.compile(r"^[•·*\-\s]*image placeholder$", re.I)
# The page around an article: "Home > Treatments > Medicines", "Was this page helpful? Yes / No",
# "Share this post", and sections that only point elsewhere ("Related pages", "References").
_CRUMB = r"[A-Z][^>›»/\d.,;:!?]{0,30}"  # "Home", "Treatments", "Restless legs"
_BREADCRUMB = re.compile(
    rf"^(?:{_CRUMB}(?:\s[>›»]\s{_CRUMB}){{1,5}}"
    # "You are here: Home / Living with RLS / Devices"; a bare slash trail needs three crumbs
    rf"|(?:you are here:?\s*){_CRUMB}(?:\s[>›»/]\s{_CRUMB}){{1,5}}|{_CRUMB}(?:\s/\s{_CRUMB}){{2,5}})$",
    re.I,
)
# A menu or a row of page buttons before the article: "Home | Our Clinicians | Contact", "Share this:
# Facebook | X | Email", "Print this page | Download PDF (190 KB)". Three or more short items, no date.
_MENU_SPLIT = re.compile(r"\s[|·•]\s")
MENU_ITEM_WORDS = 5
TITLE_LOOKAHEAD = 6  # the byline comes within this many lines of the page's first line
PAGE_HEAD_LINES = 30  # the lines at the top of a page where its menus may be
_PAGE_LINE = re.compile(
    r"^(?:was this (?:page|article|information) (?:helpful|useful)\??.{0,20}|share(?:\s+(?:this|on)\b.{0,80}|\s*:.{0,80})"
    r"|print (?:this )?page|back to top|skip to (?:main )?content"
    r"|(?:tags?|tagged|categor(?:y|ies)|filed under|topics?)\s*:.{0,160}"
    r"|(?:\(c\)|©|copyright)\s*(?:©\s*)?\d{4}\b.{0,200}"
    r"|advertisement|sponsored(?: content)?|(?:subscribe|sign up)(?: to| for)? (?:our|the) newsletter\b.{0,60}"
    r"|we use cookies\b.{0,200})$",
    re.I,
)
_ELSEWHERE = re.compile(
    r"^(?:related (?:pages?|articles?|links?|posts?|reading|content)|see also|useful links|further reading"
    r"|more (?:information|reading|resources)|references?|sources?|bibliography"
    # a table of contents: the headings again, as links
    r"|on this page|(?:table of )?contents|in this (?:article|page|guide|section)|jump to)\s*:?$",
    re.I,
)
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d+[.)])\s+")
_BY = re.compile(
    r"^\s*(?:(?:medically\s+)?(?:reviewed|written|edited|fact[- ]checked)\s+by|by|author:?)\s+", re.I
)
_BY_SOMEONE = re.compile(r"^.*?\b(?:reviewed|written|edited|checked|approved)\s+by\s+(?:our\s+|the\s+)?", re.I)
_NAME = re.compile(r"^[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}$")


class ImportError_(Exception):
    """The raw text could not be turned into an article."""


@dataclass
class Comment:
    author: str
    date: str
    text: str


@dataclass
class RawArticle:
    title: str
    author: str
    date: str
    sections: list[tuple[str, str]]
    comments: list[Comment] = field(default_factory=list)


def find_date(text: str) -> tuple[date, re.Match[str]] | None:
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            parts = match.groupdict()
            month = int(parts["mnum"]) if parts.get("mnum") else _MONTHS[parts["month"].lower()]
            try:
                return date(int(parts["year"]), month, int(parts["day"])), match
            except ValueError:
                continue
    return None


def _byline_date(line: str) -> tuple[str, re.Match[str]] | None:
    """The date a byline line gives, as ISO text: a day ("2025-03-14") or only a month ("2025-03")."""
    if len(line) > _BYLINE_LENGTH:
        return None
    found = find_date(line)
    if found is not None:
        return found[0].isoformat(), found[1]
    match = _MONTH_YEAR.search(line)
    if match is None:
        return None
    return f"{int(match['year']):04d}-{_MONTHS[match['month'].lower()]:02d}", match


def _comment_stamp(line: str) -> str | None:
    """ISO timestamp if the line is a comment date like 'April 29, 2023 AT 00:48'."""
    found = find_date(line)
    if found is None:
        return None
    day, match = found
    rest = (line[: match.start()] + " " + line[match.end() :]).strip()
    if not rest:
        return day.isoformat()
    time = _TIME.match(rest)
    if time is None:
        return None
    hour, minute = int(time["h"]), int(time["m"])
    if time["ampm"]:
        hour = hour % 12 + (12 if time["ampm"].lower().startswith("p") else 0)
    if hour > 23 or minute > 59:
        return None
    return datetime(day.year, day.month, day.day, hour, minute).isoformat(timespec="minutes")


_NUMBERED = re.compile(r"^(?:\d{1,2}|[IVX]{1,4})[.)]\s+(?=\S)")
_SENTENCES = re.compile(r"[a-z]{2}[.!]\s+[A-Z]")  # one sentence ends and another starts


def _asks(line: str | None) -> bool:
    """A short line that is one question: what a list of questions to ask is made of."""
    return line is not None and line.endswith("?") and len(line.split()) <= 30


COLON_HEADING_WORDS = 6  # "Side effects:", "Who should not use it:" (a lead-in to a list runs longer)
_LEAD_IN = re.compile(r"\b(?:include|includes|including|such as|like|following|these|below)\s*:$", re.I)


def _heads_a_paragraph(line: str, following: str | None) -> bool:
    """A short line ending in a colon, over a paragraph rather than a list: a heading."""
    return (
        len(line.split()) <= COLON_HEADING_WORDS
        and not _LEAD_IN.search(line)
        and following is not None
        and not _BULLET.match(following)
        and (len(following.split()) >= 8 or following[-1] in ".!?")
    )


def _is_heading(line: str, following: str | None, previous: str | None = None, colon: bool = False) -> bool:
    """A heading is a short line without final punctuation, followed by a paragraph.

    A numbered line ("2. How does it work?") is a heading when it stands alone
    between paragraphs; next to another numbered or bulleted line it is a list item.
    So is a question next to other questions ("Useful questions to raise include:"
    then one per line), and a line of two sentences ("I have taken it for years. Can
    we try a break?") is text, whatever its punctuation.
    """
    numbered = _NUMBERED.match(line)
    if numbered:
        if following is None or _BULLET.match(following) or (previous and _BULLET.match(previous)):
            return False
        line = line[numbered.end() :]
    words = line.split()
    if not words or len(line) > 120 or len(words) > 16 or _BULLET.match(line):
        return False
    if colon and line[-1] == ":" and _heads_a_paragraph(line, following):
        line = line[:-1]  # "What it is:" over a paragraph is a heading; "Side effects include:" a lead-in
    if not line or line[-1] in ".!,;:…\"'”’" or _SENTENCES.search(line):
        return False
    # (a question after a bulleted list of questions is not one of them: a heading has no bullet)
    in_list = _asks(previous) and not _BULLET.match(previous or "")
    if line[-1] == "?" and (in_list or (_asks(following) and (previous or "").endswith(":"))):
        return False
    if not (line[0].isupper() or line[0].isdigit()):
        return False
    if following is None:
        return False
    return True


_BYLINE_WORDS = re.compile(
    r"\b(?:(?:page\s+)?last\s+|medically\s+)?(?:posted|published|updated|written|reviewed|revised)(?:\s+on)?\b"
    r"|\bby\b|\bon\b",
    re.I,
)
# a heading is not an author's name: "What It Is", "How It Works", "Side Effects of Iron"
_NOT_IN_A_NAME = frozenset(
    "what how why when who which is are it its the of for and or to with can does do your you side effects".split()
)


def _clean_author(text: str) -> str:
    text = _BY.sub("", text)
    text = _BYLINE_WORDS.sub(" ", text)
    text = re.sub(r"^[\s|·•,:;\-–—]+|[\s|·•,:;\-–—]+$", "", text)
    if not any(c.isalpha() for c in text):
        return ""
    return " ".join(text.split())


def _menu(line: str) -> bool:
    """A row of links or buttons: three or more short items between bars, and no date."""
    items = _MENU_SPLIT.split(line)
    return (
        len(items) >= 3
        and all(0 < len(item.split()) <= MENU_ITEM_WORDS for item in items)
        and _byline_date(line) is None
    )


def _opens_byline(line: str) -> bool:
    """A line that starts the byline: "By Dr Priya Anand", "Published 12 March 2025 | 8 min read"."""
    if _BY.match(line) and len(line.split()) <= 12:
        return True
    return _byline_date(line) is not None and bool(_BYLINE_WORDS.search(line) or _BYLINE_MARK.search(line))


def _subject(line: str) -> int:
    """How surely a line is an article's title: 2 when it names a treatment the importer knows, 1 when
    it names RLS (as a site's name may: "Restless Legs Foundation"), else 0."""
    words = {w.casefold() for w in re.findall(r"[\w-]+", line)}
    if any(all(part in words for part in n.casefold().split()) for n in KNOWN_NAMES):
        return 2
    return 1 if re.search(r"\brestless\s+legs?\b|\brls\b|\bwillis[- ]ekbom\b", line, re.I) else 0


def _title_like(line: str) -> bool:
    """A short line without a sentence's end: a title, a site's name or a tagline, not text."""
    return len(line.split()) <= 16 and line[-1] not in ".!,;…" and not _SENTENCES.search(line)


def _title_position(content: list[str]) -> int:
    """Where the article's title is. A page may open with its site's name before the title
    ("Harbourside Sleep Clinic", then "Bupropion and Restless Legs", then "By Dr ..."): of the lines
    before the byline, the last one naming a known treatment, else the last naming RLS, else the last."""
    for index in range(1, min(len(content), TITLE_LOOKAHEAD + 1)):
        if not _opens_byline(content[index]):
            continue
        before = [i for i in range(index) if content[i] not in content[:i]]  # a title said twice counts once
        if len(before) < 2 or len(before) > 3 or not all(_title_like(content[i]) for i in before):
            return 0  # one line before the byline, or the text has begun: the first line is the title
        return max(before, key=lambda i: (_subject(content[i]), i))
    return 0


def parse_raw(text: str) -> RawArticle:
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = ["" if _BREADCRUMB.match(line) or _PAGE_LINE.match(line) else line for line in lines]
    # a menu only at the top of the page, before its first paragraph: lower down, a line between
    # bars may be a table's row
    for position, line in enumerate(lines[:PAGE_HEAD_LINES]):
        if _SENTENCES.search(line) or (line.endswith(".") and len(line.split()) >= 8):
            break
        if _menu(line):
            lines[position] = ""
    # each non-blank line, and whether it comes straight after another (no blank line between)
    pairs = [(line, position > 0 and bool(lines[position - 1])) for position, line in enumerate(lines) if line]
    content = [line for line, _ in pairs]
    if not content:
        raise ImportError_("the file is empty")
    start = _title_position(content)
    pairs, content = pairs[start:], content[start:]  # the site's name before the title is no part of it
    title = content[0]

    # Split off reader comments.
    comment_lines: list[str] = []
    for index, line in enumerate(content):
        if index > 0 and (_COMMENTS_START.match(line) or _IMAGE.match(line)):
            # "4 Comments", or straight to the first commenter's avatar placeholder
            comment_lines = content[index + (0 if _IMAGE.match(line) else 1) :]
            pairs = pairs[:index]
            break
    pairs = [(line, joined) for line, joined in pairs if not _COMMENTS_END.match(line)]
    content = [line for line, _ in pairs]
    comment_lines = [
        line for line in comment_lines if not _COMMENTS_END.match(line) and not _IMAGE.match(line)
    ]

    # Byline: lines after the title (skipping repeats of it) with a date and an author.
    body_start = 1
    author = ""
    published: str | None = None
    pending_name = ""
    index = 1
    while index < len(content) and index <= 6:
        line = content[index]
        if line == title:
            index += 1
            continue
        found = _byline_date(line)
        rest = _clean_author(line[: found[1].start()] + " " + line[found[1].end() :]) if found else ""
        if found is not None and len(rest.split()) > BYLINE_MOST_WORDS:
            segments = _MENU_SPLIT.split(line)
            if len(segments) >= 2 and _opens_byline(line):
                # "Fact sheet 14 | Reviewed by our Medical Advisory Board | Last updated: May 2025":
                # each part between bars is read on its own
                for segment in segments:
                    dated = _byline_date(segment)
                    if dated is not None and published is None:
                        published = dated[0]
                    elif dated is None and _BY_SOMEONE.search(segment) and not author:
                        author = _clean_author(_BY_SOMEONE.sub("", segment, count=1))
                index += 1
                body_start = index
                continue
            found = None  # "Ropinirole was approved for RLS in May 2005.": the text has begun
        labelled = bool(_BYLINE_WORDS.search(line) or _BYLINE_MARK.search(line))
        if found is not None and rest and not labelled and (published is not None or len(found[0]) < 10):
            found = None  # "What Changed in March 2024": a heading, not a byline
        if found is not None and published is not None:
            index += 1  # "Next review due: March 2028" after the date already read
            body_start = index
            continue
        if found is not None:
            published, match = found
            if rest and not author:
                author = rest
            elif pending_name and not author:
                author = pending_name
            pending_name = ""
            index += 1
            body_start = index
            continue
        looks_like_name = (
            bool(_NAME.match(_clean_author(line)))
            and len(line) <= 60
            and not any(w.casefold() in _NOT_IN_A_NAME for w in line.split())
        )
        if not author and (_BY.match(line) or (looks_like_name and published is not None)):
            author = _clean_author(line)
            index += 1
            body_start = index
            continue
        if not author and published is None and looks_like_name and index + 1 < len(content):
            nxt = content[index + 1]
            if _byline_date(nxt) is not None and len(nxt) <= 40:
                pending_name = _clean_author(line)
                index += 1
                continue
        break
    kept = [(line, joined) for line, joined in pairs[body_start:] if line != title]
    body = [line for line, _ in kept]
    spaced = not all(joined for _, joined in kept[1:])  # blank lines part the text: they can be read

    merged = _sections(body, kept, spaced)
    if len(merged) <= 1:
        # no headings found: a page may end its headings with a colon ("What it is:", "Side effects:")
        merged = _sections(body, kept, spaced, colon=True)
    if not merged:
        raise ImportError_("no headed sections found (a heading is a short line followed by paragraphs)")

    return RawArticle(
        title=title,
        author=author,
        date=published or "",
        sections=merged,
        comments=parse_comments(comment_lines),
    )


def _sections(
    body: list[str], kept: list[tuple[str, bool]], spaced: bool, colon: bool = False
) -> list[tuple[str, str]]:
    """The article's (heading, text) sections. ``colon``: a short line ending in a colon over a
    paragraph is a heading too."""
    sections: list[tuple[str, list[str]]] = []
    for position, line in enumerate(body):
        following = body[position + 1] if position + 1 < len(body) else None
        previous = body[position - 1] if position else None
        after = body[position + 2] if position + 2 < len(body) else None
        # a list of short lines, one straight after another and after its lead-in ("Common side
        # effects include:", "Headache", "Constipation", "Itching where the patch sat", then a
        # paragraph): items, not headings. A heading has a blank line before it.
        listed = (
            spaced
            and kept[position][1]
            and (
                (previous is not None and _is_heading(previous, line, colon=colon))
                or (
                    following is not None
                    and kept[position + 1][1]
                    and _is_heading(following, after, line, colon=colon)
                )
            )
        )
        if not listed and _is_heading(line, following, previous, colon=colon):
            heading = _NUMBERED.sub("", line)
            sections.append((heading.rstrip(": ") if colon else heading, []))
        elif sections:
            sections[-1][1].append(line)
        else:
            sections.append(("Introduction", [line]))
    merged: list[tuple[str, str]] = []
    for heading, paragraphs in sections:
        if not paragraphs and merged:
            # a short line with nothing under it is text, not a heading
            prev_heading, prev_text = merged[-1]
            merged[-1] = (prev_heading, f"{prev_text}\n\n{heading}".strip())
            continue
        merged.append((heading, "\n\n".join(paragraphs)))
    return [(h, t) for h, t in merged if t.strip() and not _ELSEWHERE.match(h)]


def _signed(line: str) -> bool:
    """A commenter's name line: "Brenda, Leeds", "Tom K" (a few words, no sentence's end)."""
    return len(line.split()) <= 4 and line[-1:] not in ".!?…:" and not _SENTENCES.search(line)


def parse_comments(lines: list[str]) -> list[Comment]:
    stamps = [(i, _comment_stamp(line)) for i, line in enumerate(lines)]
    dated = [(i, s) for i, s in stamps if s is not None]
    if not dated:
        # undated comments: each a name line, then what that reader wrote
        starts = [i for i, line in enumerate(lines[:-1]) if _signed(line) and not _signed(lines[i + 1])]
        return [
            Comment(author=lines[i], date="", text="\n\n".join(lines[i + 1 : end]))
            for i, end in zip(starts, [*starts[1:], len(lines)][: len(starts)], strict=True)
        ]
    comments = []
    for number, (i, stamp) in enumerate(dated):
        author = lines[i - 1] if i > 0 else ""
        end = dated[number + 1][0] - 1 if number + 1 < len(dated) else len(lines)
        text = "\n\n".join(lines[i + 1 : end])
        comments.append(Comment(author=author, date=stamp or "", text=text))
    return comments


# What a title says about RLS ("... for Restless Legs", "... and RLS", "Can X Help Willis-Ekbom Disease?")
_RLS = r"(?:restless|rls\b|willis|wed\b|leg\b|legs\b|night-time legs|nighttime legs)"
# The words that join a treatment to RLS in a title
_LINK = (
    r"(?:for|and|in|with|against|versus|vs\.?|to\s+(?:treat|ease|calm|help|relieve|manage)|"
    r"helps?|eases?|treats?|relieves?|calms?|works?|worked)"
)
_TITLE_SUBJECT = re.compile(
    rf"(?P<subject>[\w'’+-]+(?:(?:\s+|,\s*)[\w'’+-]+){{0,5}}?)\s+{_LINK}\b[^:]*?\b{_RLS}", re.I
)
# Words that come before the treatment's name in a title, never part of it
_BEFORE_NAME = frozenset(
    "a an the can could does do did is are was should would will might may using use taking take trying try "
    "about on of why how what when which who my our your i we you it its guide to new look at really does "
    "low-dose low dose high-dose everything need know".split()
)
_TITLE_LEAD = re.compile(r"^\s*(?P<lead>[^:?!–—|]{2,60})")
# Words about the condition itself: never a treatment's name ("Restless Legs: My Story")
_CONDITION_WORDS = frozenset("restless leg legs rls syndrome willis ekbom wed disease".split())


def _names_the_condition(name: str) -> bool:
    return any(w.casefold().strip("-") in _CONDITION_WORDS for w in re.split(r"[\s-]+", name))


def _uses(body: str, phrase: str) -> int:
    return len(re.findall(rf"\b{re.escape(phrase.casefold())}\b", body.casefold()))


def _trimmed(words: list[str]) -> list[str]:
    while words and words[0].casefold() in _BEFORE_NAME:
        words = words[1:]
    return words


def _named_part(words: list[str], body: str) -> str | None:
    """The shortest leading part of a title's phrase that the article's text uses on its own, most
    of the times it names the treatment ("Relaxis" for "Relaxis Vibrating Pad"); None when the text
    hardly uses it."""
    if not words or all(w.casefold() in _BEFORE_NAME for w in words) or _names_the_condition(words[0]):
        return None
    subject = " ".join(words)
    total = _uses(body, subject)
    if _said(body, subject) < 2 and _uses(body, words[0]) < 2:
        return None
    for size in range(1, len(words)):
        part = " ".join(words[:size])
        alone = _uses(body, part) - _uses(body, " ".join(words[: size + 1]))
        if len(part) >= 3 and alone >= 3 and alone >= total:
            return part
        if _names_the_condition(words[size]):
            return part  # "Yoga Restless Legs Routine": the part before the condition's name
    return subject


def head_word(name: str) -> str | None:
    """The last word of a name of several words, when it can stand for the whole: "compression" of
    "Pneumatic Compression"; not "D" of "Vitamin D" nor "pad" of "Vibrating Pad"."""
    words = name.split()
    head = words[-1].casefold() if len(words) > 1 else ""
    if len(head) < 5 or not head.isalpha() or head in _GENERIC_WORDS or head in _BEFORE_NAME:
        return None
    return None if _names_the_condition(head) else head


def _said(body: str, name: str) -> int:
    """How often the text names a treatment: by its whole name, or by its head word alone
    ("compression" all through an article titled "Pneumatic Compression for Restless Legs")."""
    head = head_word(name)
    return max(_uses(body, name), _uses(body, head) if head else 0)


def title_names(title: str, body: str) -> list[str]:
    """The treatments a title puts before its link to RLS, the first one first: "Vitamin D for
    Restless Legs" -> ["Vitamin D"], "Cannabis, CBD and Restless Legs" -> ["Cannabis", "CBD"],
    "Can Cannabis Help Restless Legs?" -> ["Cannabis"]; each one the article's text names too.
    With no link to RLS, see ``title_lead``."""
    plain = re.sub(r"\([^)]*\)", " ", title)
    match = _TITLE_SUBJECT.search(plain)
    if match:
        items = re.split(r"\s*,\s*|\s+(?:and|or|&)\s+", match.group("subject"))
        found = [n for n in (_named_part(_trimmed(item.split()), body) for item in items) if n]
        if found:
            return found
    return []


def title_lead(title: str, body: str) -> str | None:
    """A title's leading phrase when the text names it often: "Cannabis: What You Should Know".
    Its short name in brackets straight after it counts: "Tonic Motor Activation (TOMAC) Therapy: ..."."""
    lead = _TITLE_LEAD.match(re.sub(r"\([^)]*\)", " ", title))
    if not lead:
        return None
    name = _named_part(_trimmed(lead.group("lead").split())[:3], body)
    if not name:
        return None
    return name if _uses(body, name) + _short_uses(title, body, name) >= 3 else None


def _short_uses(title: str, body: str, name: str) -> int:
    """How often the text uses the short name the title gives in brackets straight after the name."""
    short = re.findall(rf"{re.escape(name)}\s*\(([A-Za-z][\w-]{{1,9}})\)", title, re.I)
    return sum(_uses(body, g) for g in short)


EVERYDAY_SHARE = 0.01  # a word in more than this share of members' questions is everyday ("sleep", "help")
TITLE_PHRASE_USES = 3  # ... and a title's phrase names the treatment only if the text says it this often


def _everyday(word: str) -> bool:
    """Whether members' questions use the word so often that it names nothing ("sleep", "night",
    "really"), by the topic model's training questions."""
    from bot.knowledge import topics

    model = topics.load_model()
    return model.uses(word) > EVERYDAY_SHARE * max(model.documents, 1)


def title_phrase(title: str, body: str) -> str | None:
    """The phrase of a headline that the text says most, for a headline that puts no treatment
    before a link to RLS: "Can a nightly leg massage really quiet restless legs?" -> "massage"
    when the text is about massage. Everyday words, the condition's words and question words name
    nothing; of phrases said nearly as often, the longest ("near-infrared light" over "light")."""
    words = re.findall(r"[\w'’-]+", re.sub(r"\([^)]*\)", " ", title))
    usable = [
        not (w.casefold() in _BEFORE_NAME or _names_the_condition(w) or w.casefold() in _GENERIC_WORDS)
        and len(w) > 2
        for w in words
    ]
    found: dict[str, int] = {}
    for start in range(len(words)):
        for size in (1, 2, 3):
            part = words[start : start + size]
            if len(part) < size or not all(usable[start : start + size]) or _everyday(part[-1].casefold()):
                continue
            phrase = " ".join(part)
            if (uses := _uses(body, phrase)) >= TITLE_PHRASE_USES:
                found[phrase] = uses
    if not found:
        return None
    most = max(found.values())
    return max((p for p, n in found.items() if n >= 0.75 * most), key=lambda p: (len(p.split()), found[p]))


def detect_treatment(title: str, body: str = "") -> str | None:
    """The treatment an article covers: the known one its title names, else the one its title puts
    before its link to RLS ("Vitamin D for Restless Legs"), else the title's leading phrase when the
    text names it often, else the headline's phrase the text says most, else the known one the text
    names most."""

    def mentions(text: str) -> dict[str, int]:
        counts = {}
        for name, aliases in KNOWN_TREATMENTS.items():
            pattern = r"\b(?:" + "|".join(re.escape(n) for n in (name, *aliases)) + r")\b"
            hits = len(re.findall(pattern, text, re.I))
            if hits:
                counts[name] = hits
        return counts

    in_title = mentions(title)
    if in_title:
        return min(in_title, key=lambda n: title.casefold().find(n.casefold()) % 10_000)
    in_body = mentions(body)
    most = max(in_body.values(), default=0)
    # a name from the title, when the text uses it at least half as often as any treatment it knows
    # ("Living With Restless Legs" is not about "Living" when its text is about ropinirole)
    for named in (*title_names(title, body)[:1], title_lead(title, body)):
        if named and _said(body, named) + _short_uses(title, body, named) >= most / 2:
            return named
    if (phrase := title_phrase(title, body)) and _uses(body, phrase) >= most / 2:
        return phrase[:1].upper() + phrase[1:]
    if in_body:
        return max(in_body, key=in_body.get)
    return None


def aliases_for(name: str) -> list[str]:
    for known, aliases in KNOWN_TREATMENTS.items():
        if known.casefold() == name.casefold():
            return list(aliases)
    return []


_BRAND = r"[A-Z][A-Za-z0-9-]{2,24}(?: (?:XL|XR|SR|CR|ER|Retard|LA))?"
# "sold as Klonopin in the United States and as Rivotril in the UK", "brand names Lyrica or Alzain",
# "brands include Butrans in the US and Butec in the UK"
_BRANDED = re.compile(
    r"\b(?:(?:sold|marketed|available|known|prescribed)(?: in [\w ]{2,30}?)? (?:as|under (?:the )?(?:brand )?names?)"
    r"|[Bb]rand names?(?: is| are| of| include| includes| such as)?"
    r"|[Bb]rands (?:include|includes|such as|like|are))\s+([^.;:]{2,160})"
)
_LISTED = re.compile(rf"(?:^|\bas\s+|,\s*|\band\s+|\bor\s+|/\s*)(?:the\s+)?({_BRAND})\b")
_NOT_A_BRAND = frozenset(
    "rls restless legs leg syndrome disease the and or for with what you should know a an in uk us usa eu "
    "europe united states kingdom canada australia ireland india nhs fda generic generics slow prolonged "
    "extended modified".split()
)


def brand_names(title: str, sections: list[tuple[str, str]], name: str) -> list[str]:
    """Other names the article gives its treatment: in brackets in the title ("Oxycodone-Naloxone
    (Targin, Targinact)"), or after "sold as" / "brand name" in its first sections."""
    found: list[str] = []
    for group in re.findall(r"\(([^)]{2,80})\)", title):
        found.extend(re.split(r"\s*(?:,|/|;|\bor\b|\band\b)\s*", group))
    for _, text in sections[:3]:
        for match in _BRANDED.finditer(text):
            found.extend(m.group(1) for m in _LISTED.finditer(match.group(1)))
    kept: list[str] = []
    seen = {name.casefold()}
    for candidate in (f.strip(" .") for f in found):
        words = candidate.split()
        if not words or len(words) > 2 or not re.fullmatch(rf"{_BRAND}", candidate):
            continue
        if words[0].casefold() in _NOT_A_BRAND or candidate.casefold() in seen:
            continue
        seen.add(candidate.casefold())
        kept.append(candidate)
    return kept


_GENERIC_WORDS = frozenset(
    "also called known spelled sometimes often usually the a an and or form forms type types brand brands "
    "generic tablets tablet capsules capsule liquid drops spray injection infusion patch pad oil cream "
    "which that this these those with from see below above".split()
)


def _initialisms(text: str, name: str) -> list[str]:
    """Capital-letter short names the text uses for a treatment of several words: the initials of a
    phrase of the text that has its head word in it ("SCD" for "sequential compression device" in an
    article on pneumatic compression), or the name's own initials after one more ("IPC" for
    intermittent pneumatic compression)."""
    words = name.split()
    head = head_word(name)
    if len(words) < 2 or head is None:
        return []
    own = "".join(w[0] for w in words).upper()
    said = re.findall(r"[A-Za-z][\w'’-]*", text)
    found = []
    for short in dict.fromkeys(re.findall(r"\b[A-Z]{2,5}\b", text)):
        if len(short) == len(own) + 1 and short.endswith(own):
            found.append(short)
            continue
        n = len(short)
        for i in range(len(said) - n + 1):
            run = said[i : i + n]
            if "".join(w[0] for w in run).upper() == short and head in (w.casefold() for w in run):
                found.append(short)
                break
    return found


def name_variants(sections: list[tuple[str, str]], name: str) -> list[str]:
    """Other names for the treatment that its article itself uses.

    - a name given in brackets straight after it: "vitamin D3 (colecalciferol, also spelled
      cholecalciferol)", "levodopa (L-dopa)";
    - a numbered form of a name ending in a letter: "vitamin D3", and "D3" on its own;
    - a short form members type of a name like "Vitamin D": "vit D";
    - the last word of a name of several words, when the text says it alone ("compression"), and
      capital-letter short names built on it ("SCD", "IPC").
    """
    text = " ".join(t for _, t in sections)
    words = name.split()
    spelled = re.escape(name).replace(r"\ ", r"\s+")
    found: list[str] = []
    for match in re.finditer(
        rf"\b{spelled}(?P<suffix>[0-9]{{1,2}})?\s*\((?P<inner>[^)]{{2,80}})\)", text, re.I
    ):
        for item in re.split(
            r"\s*(?:,|;|/|\bor\b|\balso\b|\bspelled\b|\bcalled\b|\bknown as\b)\s*", match["inner"]
        ):
            item = item.strip(" .")
            if re.fullmatch(r"[A-Za-z][A-Za-z-]{3,24}", item) and item.casefold() not in _GENERIC_WORDS:
                found.append(item)
    if len(words[-1]) <= 2:
        for match in re.finditer(rf"\b{spelled}([0-9]{{1,2}})\b", text, re.I):
            found.append(f"{name}{match[1]}")
            found.append(f"{words[-1]}{match[1]}")
    found.extend(_initialisms(text, name))
    if (head := head_word(name)) and _uses(text, head) - _uses(text, name) >= max(3, _uses(text, name)):
        found.append(head)  # "compression", said on its own more than "pneumatic compression"
    if len(words) == 2 and len(words[0]) >= 6 and words[0].isalpha() and len(words[1]) <= 3:
        found.append(f"{words[0][:3]} {words[1]}")  # "Vit D", "Vit B12"; not "Com Stockings"
    kept: list[str] = []
    seen = {name.casefold()}
    for item in found:
        if item.casefold() not in seen:
            seen.add(item.casefold())
            kept.append(item)
    return kept


# "Cannabis, also known as marijuana or weed", "valerian is nicknamed 'nature's Valium'": what the
# article says the treatment itself is called
_CALLED = (
    r"(?:is\s+|are\s+)?(?:also\s+|sometimes\s+|often\s+|commonly\s+|informally\s+|popularly\s+)?"
    r"(?:known\s+as|called|nicknamed|referred\s+to\s+as)\s+"
)
# "older names for it include all-heal and garden heliotrope", "street names include..."
_NAMES_FOR = re.compile(
    r"\b(?:other|older|old|street|slang|common|informal|popular|folk)\s+names?(?:\s+for\s+(?:it|them))?"
    r"\s+(?:include|includes|are|such\s+as)\s+([^.;:()]{2,120})",
    re.I,
)
_LAY_ITEM = re.compile(r"[A-Za-z][A-Za-z'’-]{2,24}(?:\s+[A-Za-z][A-Za-z'’-]{1,24}){0,2}")
_LAY_STOP = frozenset(
    "a an the its their this that these those some such as for it them which who is are was were".split()
)
LAY_SECTIONS = 3  # ... said in the article's first sections, where it says what the treatment is


def lay_names(sections: list[tuple[str, str]], name: str, aliases: list[str] | tuple[str, ...] = ()) -> list[str]:
    """Other names the article says its treatment goes by: after "also known as", "called" or
    "nicknamed" straight after one of its names, or in "older names for it include ..."."""
    text = " ".join(t for _, t in sections[:LAY_SECTIONS])
    names = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in (name, *aliases) if n)
    lists = [m[1] for m in _NAMES_FOR.finditer(text)]
    lists += [
        m[1]
        for m in re.finditer(
            rf"\b(?:{names})\b(?:\s*\([^)]{{0,80}}\))?,?\s+{_CALLED}([^.;:()]{{2,120}})", text, re.I
        )
    ]
    found: list[str] = []
    for listed in lists:
        for item in re.split(r"\s*(?:,|;|/|\bor\b|\band\b)\s*", listed):
            item = item.strip(" .'\"‘’“”")
            words = item.split()
            if not words:
                continue
            if words[0].casefold() in ("a", "an", "the"):
                continue  # "sometimes called a weak opioid": what kind of thing it is, not a name
            if any(w.casefold() in _GENERIC_WORDS or w.casefold() in _LAY_STOP for w in words):
                break  # "..., is a painkiller": the list has ended
            if _LAY_ITEM.fullmatch(item) and not _names_the_condition(item):
                found.append(item)
    return found


def to_markdown(raw: RawArticle, *, source: str, treatment: str | None = None) -> tuple[str, str]:
    """The article in the project's format and the treatment's slug."""
    body_text = " ".join(t for _, t in raw.sections)
    name = treatment or detect_treatment(raw.title, body_text)
    if not name:
        # a word of the title the text uses too, not a word about the condition or a question word
        first = [
            w
            for w in re.findall(r"[A-Za-z][A-Za-z-]+", raw.title)
            if w.casefold() not in _BEFORE_NAME and not _names_the_condition(w) and _uses(body_text, w) >= 2
        ]
        if not first:
            raise ImportError_("cannot tell which treatment the article covers; pass --treatment NAME")
        name = first[0]
    name = name.strip()
    name = name[0].upper() + name[1:]
    slug = slugify(name)
    sections = [Section(h, t, 0) for h, t in raw.sections]

    facts: dict[str, Any] = {}
    others = [n for n in title_names(raw.title, body_text) if n.casefold() != name.casefold()]
    aliases = _merged(
        _merged(aliases_for(name), brand_names(raw.title, raw.sections, name)),
        name_variants(raw.sections, name) + others,
    )
    aliases = _merged(aliases, lay_names(raw.sections, name, aliases))
    for key, _label in TOPICS:
        drafted = draft_topic(key, sections, names=(name, *aliases))
        if drafted is None:
            continue
        fact: dict[str, Any] = {"text": drafted.text, "section": drafted.section}
        if key == "evidence":
            evidence_text = next(t for h, t in raw.sections if h == drafted.section)
            level, summary = grade_evidence(evidence_text)
            fact = {"level": level, "summary": summary, **fact}
        facts[key] = fact

    meta: dict[str, Any] = {
        "title": raw.title,
        "author": raw.author,
        "date": raw.date,
        "source": source,
        "treatment": {"name": name, "slug": slug, "aliases": aliases},
        "facts": facts,
        "key_risks": draft_key_risks(
            sections,
            names=(name, *aliases),
            others=KNOWN_NAMES,
        ),
    }
    return render(meta, raw.sections), slug


def _merged(known: list[str], more: list[str]) -> list[str]:
    seen = {a.casefold() for a in known}
    return known + [a for a in more if a.casefold() not in seen]


def comments_yaml(raw: RawArticle, slug: str) -> str:
    data = {
        "article": raw.title,
        "treatment": slug,
        "note": "Reader comments: opinions, not facts. Never indexed or shown as article content.",
        "comments": [{"author": c.author, "date": c.date, "text": c.text} for c in raw.comments],
    }
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


@dataclass
class ImportResult:
    article_path: Path
    comments_path: Path | None
    sections: int
    comments: int


def import_file(
    path: Path, dest: Path, *, treatment: str | None = None, source: str | None = None, force: bool = False
) -> ImportResult:
    raw = parse_raw(Path(path).read_text(encoding="utf-8"))
    markdown, slug = to_markdown(raw, source=source or Path(path).name, treatment=treatment)
    dest = Path(dest)
    target = dest / f"{slug}.md"
    if target.exists() and not force:
        raise ImportError_(f"{target} already exists (use --force to overwrite it)")
    dest.mkdir(parents=True, exist_ok=True)
    target.write_text(markdown, encoding="utf-8")
    comments_path = None
    if raw.comments:
        comments_path = dest / "comments" / f"{slug}.yaml"
        comments_path.parent.mkdir(parents=True, exist_ok=True)
        comments_path.write_text(comments_yaml(raw, slug), encoding="utf-8")
    return ImportResult(target, comments_path, len(raw.sections), len(raw.comments))
