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


def paginate(text: str, limit: int) -> list[str]:
    """Split text into pages of at most ``limit`` characters, cut at sentence boundaries."""
    pages = []
    rest = text.strip()
    while rest:
        head, rest = cut(rest, limit)
        pages.append(head)
    return pages or [""]
