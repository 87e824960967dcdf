"""Cutting text to fit a limit, at a sentence boundary when there is one."""

from __future__ import annotations

import re

ELLIPSIS = "…"
# A sentence ends with . ! ? (optionally followed by a closing quote or bracket) and then space.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s)|\n\s*\n")
_SPACE = re.compile(r"\s")


def cut(text: str, limit: int, *, suffix: str = ELLIPSIS) -> tuple[str, str]:
    """Split ``text`` into ``(head, rest)`` with ``len(head) <= limit``.

    The head ends at the last sentence boundary that fits; failing that at the
    last space, failing that mid-word. When text is cut, ``suffix`` is added to
    the head (inside the limit) unless the head ends a sentence. ``rest`` is the
    remaining text with leading space removed ("" when everything fitted).
    """
    if limit <= 0:
        raise ValueError("limit must be positive")
    text = text.strip()
    if len(text) <= limit:
        return text, ""
    room = max(1, limit - len(suffix))
    window = text[: room + 1]
    best = -1
    for match in _SENTENCE_END.finditer(window):
        end = match.end()
        if end <= room and end >= room // 3:
            best = end
    if best > 0:
        head = text[:best].rstrip()
        rest = text[best:].lstrip()
        return head, rest
    spaces = [m.start() for m in _SPACE.finditer(window) if m.start() <= room]
    split = spaces[-1] if spaces and spaces[-1] >= room // 3 else room
    head = text[:split].rstrip()
    rest = text[split:].lstrip()
    return head + suffix, rest


def truncate(text: str, limit: int, *, suffix: str = ELLIPSIS) -> str:
    """``text`` cut to ``limit`` characters at a sentence boundary if possible."""
    return cut(text, limit, suffix=suffix)[0]


def locate(text: str, sentence: str) -> int:
    """Where ``sentence`` (its words, however ``text`` spaces them) starts in ``text``; -1 if absent."""
    words = sentence.split()
    if not words:
        return -1
    match = re.search(r"\s+".join(re.escape(w) for w in words[:8]), text)
    return match.start() if match else -1


def excerpt(text: str, focus: int, limit: int) -> str:
    """``text`` cut to ``limit`` characters so that the sentence at ``focus`` is shown.

    When that sentence is not in the plain cut, the opening (for context) is followed by an
    ellipsis and the sentence from ``focus`` on: each keeps about half the room.
    """
    focus -= len(text) - len(text.lstrip())  # ``focus`` counts from the unstripped text
    text = text.strip()
    head = truncate(text, limit)
    if len(text) <= limit or focus <= 0 or focus >= len(text) or limit < 40:
        return head
    end = _SENTENCE_END.search(text, focus)
    if len(head) - len(ELLIPSIS) >= (end.end() if end else len(text)):
        return head  # the sentence is there in full
    tail = truncate(text[focus:], max(1, limit // 2))
    room = limit - len(tail) - len(ELLIPSIS) - 2
    opening = truncate(text[:focus], room, suffix="") if room > 40 else ""
    return f"{opening} {ELLIPSIS} {tail}" if opening else f"{ELLIPSIS} {tail}"


def paginate(text: str, limit: int) -> list[str]:
    """Split text into pages of at most ``limit`` characters, cut at sentence boundaries."""
    pages = []
    rest = text.strip()
    while rest:
        head, rest = cut(rest, limit)
        pages.append(head)
    return pages or [""]
