"""Whether a message asks the bot to write something rather than asks what the articles say.

"write me a poem about baclofen" names a treatment and reads, to the topic model, like any other
message about it, so it would be answered with a passage. It is not a question: it asks for a
piece of writing (a poem, a joke, a story). Such requests have a shape of their own that does
not depend on the treatment or the topic: a request ("write", "can you", "pls") for a kind of
writing. The kinds of writing are a closed class, so the shape is read here, before any topic.

No discord imports.
"""

from __future__ import annotations

import re

# kinds of writing that are only ever made up: asking for one is never asking what an article says
_VERSE = (
    r"poems?|poetry|verses?|rhymes?|limericks?|haikus?|sonnets?|odes?|ballads?|jingles?|raps?|"
    r"lyrics|songs?|acrostics?|jokes?|puns?|riddles?|knock[- ]knock"
)
# kinds of writing that a member may also ask to be *told* as fact ("tell me the story of
# memantine"): a request for one only when it is to be written or made up
_PROSE = r"stor(?:y|ies)|tales?|fables?|essays?|scripts?|skits?|fan ?fic(?:tion)?|speech"
_WRITE = (
    r"write|writ|wright|rite|compose|create|make up|invent|draft|pen|come up with|generate|"
    r"dream up|spin|whip up|knock out"
)
# "tell me a joke", "sing us a song": asking to be given one, not to be told about one
_MAKE = rf"{_WRITE}|(?:tell|give|sing|do|make|send|share)\s+(?:me|us|the group)|sing|rap"
# ... and, once asked politely ("can you do a limerick"), without saying for whom
_POLITE_MAKE = rf"{_MAKE}|tell|give|do|make|send|share"
_FILLER = r"(?:\s+\S+){0,4}?"  # "me a quick funny little"
_START = r"(?:^|[.!?]\s+)"
_POLITE = (  # "can you", "pls", "i want you to"
    r"(?:\b(?:can|could|would|will|cud|cn)\s+(?:you|u|ya)\s+(?:please\s+|pls\s+)?"
    r"|\bpl(?:ea)?se?\s+|\bplz\s+|\bpls\s+"
    r"|\bi\s+(?:want|need|would like|'d like|d like)\s+(?:you|u)\s+to\s+)"
)

_REQUEST = re.compile(
    rf"{_START}(?:just\s+|quickly\s+)?(?:{_MAKE})\b{_FILLER}\s+(?:{_VERSE})\b"
    rf"|{_POLITE}(?:just\s+|quickly\s+)?(?:{_POLITE_MAKE})\b{_FILLER}\s+(?:{_VERSE})\b"
    rf"|(?:{_START}|{_POLITE})(?:just\s+|quickly\s+)?(?:{_WRITE})\b{_FILLER}\s+(?:{_PROSE})\b",
    re.I,
)
# a message that is just the request: "a limerick about memantine pls", "haiku on ropinirole?"
_BARE = re.compile(
    rf"^(?:(?:a|an|some|another|one|quick|short|little|funny|silly|cute|sad|rude)\s+){{0,3}}(?:{_VERSE})"
    r"\s+(?:about|on|for|of|abt|re|starring|featuring|with)\b",
    re.I,
)


def asks_for_writing(text: str) -> bool:
    """Whether the message asks for a piece of writing (a poem, a joke, a story...)."""
    text = " ".join((text or "").split())
    return bool(_REQUEST.search(text) or _BARE.search(text))
