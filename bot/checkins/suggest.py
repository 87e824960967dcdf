"""Suggestions for the check-in's ``treatments`` field (autocomplete).

Pure functions: the cog passes what the member typed, their own past entries
and the knowledge base, and gets back at most 25 values of at most 100
characters, as Discord requires.
"""

from __future__ import annotations

MAX_CHOICES = 25
MAX_VALUE = 100


def known_treatment_names(knowledge, text: str, limit: int = MAX_CHOICES) -> list[str]:
    """Canonical names of the treatments the articles cover, matched by name, brand or misspelling.

    ``knowledge`` is the knowledge base (``treatments()``, ``suggest()``, ``get()``);
    ``None`` or a failing lookup gives no names, never an error.
    """
    if knowledge is None:
        return []
    text = (text or "").strip()
    try:
        if not text:
            return [t.name for t in knowledge.treatments()][:limit]
        names: list[str] = []
        for _label, slug in knowledge.suggest(text, limit=limit):
            treatment = knowledge.get(slug)
            if treatment is not None and treatment.name not in names:
                names.append(treatment.name)
        return names
    except Exception:  # noqa: BLE001 - suggestions are a convenience
        return []


def treatment_suggestions(current: str, past: list[str], known: list[str]) -> list[str]:
    """Values to offer for what the member typed so far.

    Completes the last item of a comma-separated list: "iron, gab" offers
    "iron, Gabapentin 300 mg". What was typed comes first (so it can be kept as
    is), then the member's own past entries containing the last item, then
    known treatments. Items already in the list are not offered again.
    """
    typed = (current or "").strip()
    head, _, last = typed.rpartition(",")
    prefix = f"{head.strip()}, " if head.strip() else ""
    needle = last.strip().casefold()
    already = {part.strip().casefold() for part in head.split(",") if part.strip()}
    candidates = [p for p in past if not needle or needle in p.casefold()] + list(known)
    out: list[str] = []
    seen: set[str] = set()
    if typed and len(typed) <= MAX_VALUE:
        out.append(typed)
        seen.add(typed.casefold())
    for name in candidates:
        if name.casefold() in already:
            continue
        value = prefix + name
        if value.casefold() in seen or len(value) > MAX_VALUE:
            continue
        seen.add(value.casefold())
        out.append(value)
        if len(out) >= MAX_CHOICES:
            break
    return out
