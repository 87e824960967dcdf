"""Whether a question asks about a child or a teenager.

The articles are written for adults: none says whether a treatment suits a child, and a dose for
a child is never the bot's to give. The topic model reads "is methadone ok for teenagers with rls"
as a question of who a treatment suits, which the articles do answer for older adults, so the
question would get a passage about adults. Asking about someone under 18 has a shape of its own,
whatever the treatment or the topic: an age under 18 ("my 9 year old", "my daughter (15)"), a
teenager, or children as the ones to be given something ("can kids take it", "ok for children").
A member's own past ("since I was 12", "as a teenager", "in my teens") is not that shape.

No discord imports.
"""

from __future__ import annotations

import re

ADULT = 18
# "9 year old", "9-year-old", "9yo", "9 y/o"; never a duration ("on it 5 years")
_AGED = re.compile(r"\b(?P<age>\d{1,2})\s*-?\s*(?:(?:years?|yrs?)\s*-?\s*old\b|y/o\b|yo\b)", re.I)
# ... unless it is the member's own past or a thing's age ("since I was 12 years old", "ours is 15 years old")
_NOT_A_CHILD = re.compile(
    r"\b(?:since|when|was|were|as|at|from|aged?|by|until|till|is|are|i'm|im|i\s+am)\s+"
    r"(?:i\s+was\s+|about\s+|around\s+|only\s+|just\s+)?$",
    re.I,
)
_PERSON = (
    r"sons?|daughters?|child|kids?|boys?|girls?|grandsons?|granddaughters?|grandkids?|grandchild|"
    r"nephews?|nieces?|step-?sons?|step-?daughters?|lads?|lass"
)
# "my daughter (15)", "son, 12,", "my boy is 9"
_PERSON_AGE = re.compile(
    rf"\b(?:{_PERSON})\b\s*(?:\(|,|is|who\s+is|who's|aged?|of)?\s*(?P<age>\d{{1,2}})\b"
    r"(?!\s*(?:mg|mcg|ml|%|am|pm|:|years?\s+ago|weeks?|days?|months?|hours?|mins?|tablets?|pills?|times?))",
    re.I,
)
_TEEN = re.compile(r"\b(?:teen(?:ager|age)?s?|adolescents?|pre-?teens?|tweens?)\b", re.I)
_OWN_YOUTH = re.compile(
    r"\b(?:as|when\s+i\s+was|since\s+i\s+was|since|in)\s+(?:a\s+|an\s+|my\s+)?"
    r"(?:teen(?:ager|age)?s?|adolescents?|kid|child)\b",
    re.I,
)
# children as the ones a treatment is for: "can kids take", "ok for children", "give my child"
_CHILDREN = re.compile(
    r"\b(?:for|give|giving|ok\s+for|safe\s+for|suitable\s+for|can|do|does|should)\s+"
    r"(?:my\s+|our\s+|a\s+|young\s+|little\s+|small\s+)?(?:kids?|children|child|toddlers?|infants?)\b"
    r"|\b(?:kids?|children|child|toddlers?)\s+(?:take|have|use|be\s+given|be\s+on|get|try)\b",
    re.I,
)


def asks_about_a_minor(text: str) -> bool:
    """Whether the question is about someone under 18."""
    text = " ".join((text or "").split())
    for match in _AGED.finditer(text):
        if int(match["age"]) < ADULT and not _NOT_A_CHILD.search(text[max(0, match.start() - 30) : match.start()]):
            return True
    if any(int(m["age"]) < ADULT for m in _PERSON_AGE.finditer(text)):
        return True
    if _TEEN.search(text) and not _OWN_YOUTH.search(text):
        return True
    return bool(_CHILDREN.search(text))
