"""Does the sentence around a match actually make the claim?

A phrase match is only a candidate. It is set aside when, in its own
sentence or clause, the writer

* negates or doubts it ("there's no evidence 5G causes RLS", "baclofen is not
  a miracle cure", "the idea that wifi causes RLS is a myth"),
* asks about it ("does wifi cause RLS?", "has anyone heard that ..."), or
* reports their own experience in the past tense ("I stopped taking it cold
  turkey", "my doctor told me to double the dose").

Works on normalised text (see :mod:`bot.moderation.normalise`): lower case,
contractions spelled out ("is not").
"""

from __future__ import annotations

import re

from bot.moderation.normalise import squeeze, squeeze_pattern


def _rx(pattern: str) -> re.Pattern[str]:
    """Compile a hand-written pattern for squeezed text (see normalise.squeeze)."""
    return re.compile(squeeze_pattern(pattern))


def _words(text: str) -> frozenset[str]:
    return frozenset(squeeze(w) for w in text.split())


_SENTENCE_END = _rx(r"[.!?\n;]+")
_CLAUSE_BREAK = _rx(
    r"[,:;()\"]|\s-\s|\b(?:but|however|although|though|whereas|yet|while|so|because|since|unless|except)\b"
)

NEGATORS = _words(
    "no not never nobody none nothing neither nor hardly barely doubt doubts doubtful unlikely "
    "myth myths false untrue debunked disproven unproven unfounded baseless nonsense rubbish bs "
    "misinformation disinformation lie lies zero"
)
# "no doubt", "not only", "no wonder" affirm rather than negate.
_AFFIRMING = _rx(
    r"\b(?:no doubt|no question|not only|no wonder|never been better|not just)\b"
    # rhetorical tags assert: "isn't it obvious the FDA buries cures", "don't you think ..."
    r"|\b(?:is not it|is it not|does not it|does it not|do not you|would not you|was not it|are not they)\b"
)

# Doubt, reported claims and hypotheticals before the match in its clause.
_PRE_CUES = _rx(
    r"\b(?:"
    r"claim|claims|claimed|claiming|supposed|supposedly|allegedly|so called|hype|hyped|touted|"
    r"marketed|advertised|sold as|pretend|pretends|scam|scams|snake oil|quack\w*|"
    r"treat|treats|treated|treating|like|as if|wish|wished|hope|hoping|hoped|if only|someday|"
    r"looking for|searching for|waiting for|pray|praying|would love|would like|want a|need a|"
    r"(?:some|many|people|they|others|someone|somebody|everyone|he|she|folks) (?:say|says|said|claim|think|"
    r"thinks|believe|believes|swear|swears|insist|insists)|heard|apparently|rumou?r\w*|"
    r"says|said|thinks|believes|insists|claims|reckons|swears|saying|claiming|insisting|told me|tells me|telling|"
    r"imagine|imagining|pretending|"
    r"tired of|sick of|fed up|beware|wary|careful|avoid|warn|warns|warned|warning|watch out|"
    r"fall for|falling for|stop believing|people who (?:think|believe|say|claim)|"
    r"the (?:idea|notion|theory|belief|myth|claim|rumou?r) that|conspiracy|"
    r"skeptic\w*|sceptic\w*|dubious|doubt\w*|question\w*|wonder\w*|curious|"
    r"is it true|is it possible|any (?:evidence|proof|studies|research)|"
    r"(?:do|does|did|is|are|was|were|can|could|would|should|has|have|will) (?:anyone|anybody|you|someone)"
    r")\b"
)
# Doubt after the match in the same sentence: "... is a myth", "... is dangerous".
_POST_CUES = _rx(
    r"\b(?:"
    r"myth|false|not true|untrue|nonsense|rubbish|bs|debunked|disproven|no evidence|no proof|"
    r"not proven|unproven|conspiracy theor\w*|misinformation|a lie|lies|scam|no basis|"
    r"makes no sense|ridiculous|silly|absurd|dangerous|a bad idea|not a good idea|risky|unsafe|"
    r"not safe|not a thing|yeah right|lol no|not how|is wrong|are wrong|do not mix|does not mix|"
    r"can kill|could kill|can be fatal|is not a cure|are not a cure|unknown|not (?:yet )?(?:known|found|discovered)|"
    r"elusive|years away|a long way|(?:does|do) not exist|no such thing|is not real|are not real"
    r")\b"
)
# Sentences that ask rather than tell, when they have no question mark.
_QUESTION_START = _rx(
    r"^\W*(?:(?:so|and|but|also|hey|hi|ok|okay|guys|honestly|seriously|just)\W+)*"
    r"(?:(?:do|does|did|is|are|was|were|can|could|would|should|will|has|am)(?! not\b)|have (?:you|u|any\w*)|"
    r"(?:what|why|how)(?! (?:the|they|big|your|you|doctors|pharma)\b)|where|when|who|which|whose|"
    r"anyone|anybody|any|has anyone|i wonder|wondering|curious|is it true|q)\b"
)
_QUESTION_INSIDE = _rx(
    r"\b(?:i wonder|wondering|curious (?:if|whether|about)|not sure (?:if|whether)|"
    r"(?:asking|ask) (?:if|whether)|is it true|do you think|does anyone know|anyone know|"
    r"thoughts on|any thoughts|any experience)\b"
)
# First-person past-tense experience: "i stopped", "we tried", "my legs got
# worse", "it made me", "worked for me". Opinion verbs are not experience:
# "i think wifi causes rls" is a claim.
_PAST = (
    r"(?:\w+ed|took|taken|tried|had|felt|got|gotten|went|gone|gave|given|made|was|were|did|done|"
    r"quit|began|begun|became|kept|left|lost|ran|saw|seen|slept|spent|woke|ate|drank|bought|"
    r"came|fell|grew|been|stuck|sat|told|said|swore|wore|upped)"
)
_NOT_PAST = _words(
    "need feed seed bed red speed indeed bleed breed proceed succeed exceed weed greed shed "
    "heard read learned learnt realised realized discovered noticed figured decided believed "
    "convinced guaranteed proved proven called named united advanced limited"
)
_EXPERIENCE = _rx(
    rf"\b(?:i|we|my (?:\w+ )?\w+)(?: (?:have|has|had|just|also|then|finally|actually|really|only|"
    rf"recently|once|never|always|literally|basically|eventually|even|all|both|\w+ly))* ({_PAST})\b"
    r"|\b(?:made|makes|gave|helped|helps|left|leaves|kept|keeps|got|told|had|has|wants|knocks|knocked|puts|put|sends|sent) me\b"
    r"|\b(?:for|to) me\b|\bin my (?:case|experience)\b|\bmy experience\b"
    r"|\b(?:i|we) (?:am|are) (?:on|off|taking|trying|weaning|tapering)\b"
)


# Chat often drops the "I": "got a discount code through my insurance",
# "tried magnesium, did nothing". A sentence opening on a past-tense verb tells
# what happened to the writer.
_ELIDED_PAST = _rx(
    r"\W*(?:(?:just|finally|also|then|recently|once|lol|ngl|tbh|honestly|ok|so|and)\W+)*"
    r"(?:got|had|tried|took|bought(?! and paid)|used|started|stopped|spent|went|did|was|been|ended up|gave up|"
    r"switched|swapped|upped|doubled|ordered|found)\b"
)


def _quoted(text: str, start: int, end: int) -> bool:
    """Is text[start:end] inside double quotes: someone else's words, shown to discuss them."""
    opened = text.count('"', 0, start)
    return opened % 2 == 1 and '"' in text[end:]


# A first-person subject right before the match: "i quit x cold turkey" tells
# what the writer does or did; advice has no subject ("quit x cold turkey").
_SUBJECT_BEFORE = _rx(r"\b(?:i|we)(?: (?:will|would|just|also|then|finally|never|always|once|\w+ly))? $")


# "i can send you ..." is an offer, not an account of what happened.
_MODAL = _rx(r"(?:can|will|could|would|shall|should|may|might)\b")


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int, str]:
    """Start and end of the sentence holding [start, end), and its end punctuation."""
    s = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        s = m.end()
    m = _SENTENCE_END.search(text, end)
    e = m.start() if m else len(text)
    punct = m.group(0) if m else ""
    return s, e, punct


def _clause_start(text: str, sentence_start: int, start: int) -> int:
    c = sentence_start
    for m in _CLAUSE_BREAK.finditer(text, sentence_start, start):
        c = m.end()
    return c


def _negated(words: list[str], allowed: frozenset[str]) -> str | None:
    for w in words:
        if w in NEGATORS and w not in allowed:
            return w
    return None


def why_not(text: str, start: int, end: int, literal_words: frozenset[str] = frozenset()) -> str | None:
    """Why the match text[start:end] is not a claim, or None when it is one."""
    s, e, punct = _sentence_bounds(text, start, end)
    sentence = text[s:e]
    if "?" in punct:
        return "a question"
    if _QUESTION_START.match(sentence) or _QUESTION_INSIDE.search(text, s, start):
        return "a question"
    if '"' in text and _quoted(text, start, end):
        return "quoted"
    c = _clause_start(text, s, start)
    before = _AFFIRMING.sub(" ", text[c:start])
    window = before.split()[-8:]
    word = _negated([w.strip("'\"") for w in window], literal_words)
    if word:
        return f"negated ({word!r} before it)"
    inside = _AFFIRMING.sub(" ", text[start:end]).split()
    word = _negated(inside, literal_words)
    if word:
        return f"negated ({word!r} inside it)"
    # Doubt or reported speech before the match, or inside it ("they say X hides cures").
    for cue in _PRE_CUES.finditer(" ".join(window) + " | " + " ".join(inside)):
        if cue.group(0) not in literal_words:
            return f"doubted or reported ({cue.group(0)!r})"
    cue = _POST_CUES.search(text, end, e)
    if cue and cue.group(0) not in literal_words:
        return f"doubted ({cue.group(0)!r} after it)"
    if _SUBJECT_BEFORE.search(text, max(c, start - 30), start) and not _MODAL.match(text, start):
        return "personal experience (first person)"
    if _ELIDED_PAST.match(text, s):
        return "personal experience (past tense)"
    m = _CLAUSE_BREAK.search(text, end, e)
    clause_end = m.start() if m else e
    for m in _EXPERIENCE.finditer(text, c, clause_end):
        verb = m.group(1)
        if verb is not None and (verb in _NOT_PAST or verb in literal_words):
            continue
        return f"personal experience ({m.group(0)!r})"
    return None


# -- gates for the learned model ---------------------------------------------------
# The model reads context from its features; these gates make the plain cases certain. A gated
# message needs a much higher claim score to be flagged (rhetorical questions and sarcasm that
# still make a claim score high).
_QUESTION_WORDS = frozenset(
    "does do did is are was were can could should would will has have had anyone any1 how what why "
    "when where which who".split()
)
_SENTENCES = re.compile(r"[^.!?\n]+[.!?]*")
_DEBUNKING = re.compile(
    r"\b(?:no (?:evidence|proof|science|studies|research)|myths?|debunked|not true|nonsense|rubbish|"
    r"bollocks|there is no cure|do not believe|snake oil|scam|placebo|sure jan|lol|lmao|hyped?|touted|"
    r"so called|supposedly)\b|🙄|😂|🤣"
)
_REPORTED = re.compile(
    r"\b(?:my (?:aunt|uncle|mum|mom|mother|dad|father|sister|brother|friend|neighbou?r|husband|wife|partner|"
    r"nan|gran|grandma|cousin|colleague|boss)|someone|somebody|a (?:guy|woman|lady|bloke)|people|they|"
    r"this (?:guy|woman|website|video|article)|facebook|tiktok|youtube|instagram)\b.{0,40}?"
    r"\b(?:says|said|say|claims?|claimed|reckons|swears|insists|thinks|believes|told me|posted|keeps saying)\b"
    r"|\b(?:i|we) (?:read|saw|heard)\b|\bapparently\b|\baccording to\b"
)
# A loaded question takes its claim as given ("why is big pharma hiding the cure???", "isn't it
# obvious the FDA buries cheap cures", "how come nobody admits 5G causes it"): it asks nothing.
_LOADED = re.compile(
    r"^\W*(?:(?:so|and|but|then|honestly|seriously|like|ok|okay|srsly|genuinely)\W+)*(?:"
    r"why (?:is|are|do|does|did|will not|would not|do not|does not|is not|are not|can not|cannot|have|has)\b"
    r"(?! (?:it|this|that|my|mine|i|me|we|you|u|people|everyone|some|so many|anyone|there|rls|restless)\b)"
    r"|(?:is not|is it not|does not|does it not|do not|would not) (?:it|that|this|you|everyone)\b"
    r".{0,20}\b(?:obvious|clear|funny|strange|weird|odd|interesting|convenient|suspicious|think|seem|tell)"
    r"|how come\b|ever (?:notice|noticed|wonder|wondered)\b|who else (?:thinks|knows|believes|sees)\b"
    r"|what (?:are|is) (?:they|the \w+) (?:hiding|not telling)"
    r"|when will (?:people|you all|everyone|folks) (?:wake up|realise|realize|see)\b)"
)
GATE_SCORES = {"question": 0.995, "loaded": 0.6, "debunking": 0.8, "reported": 0.8}
GATE_REASONS = {
    "question": "a question",
    "loaded": "a question that takes its claim as given",
    "debunking": "doubted or debunked",
    "reported": "reported from someone else",
}


def sentences(readable: str) -> list[str]:
    return [s.strip() for s in _SENTENCES.findall(readable) if len(s.split()) >= 3]


def _all_sentences(readable: str) -> list[str]:
    return [s.strip() for s in _SENTENCES.findall(readable) if s.strip()]


def _asks(said: list[str]) -> bool:
    return bool(said) and all(s.endswith("?") or s.split()[0].strip("*\"'(") in _QUESTION_WORDS for s in said)


def is_question(readable: str) -> bool:
    """Every sentence of the message asks something."""
    return _asks(_all_sentences(readable))


def model_gates(readable: str) -> list[str]:
    """The gates that apply to a message (readable normalised text), strictest first."""
    gates = []
    said = _all_sentences(readable)
    if _asks(said):
        gates.append("loaded" if any(_LOADED.match(s) for s in said) else "question")
    if _DEBUNKING.search(readable):
        gates.append("debunking")
    if _REPORTED.search(readable):
        gates.append("reported")
    return gates
