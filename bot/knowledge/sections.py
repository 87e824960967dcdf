"""Which question topics each article section covers, from its heading and its sentences.

Works on any article, shipped or imported: nothing here knows a treatment.
A heading that names a topic counts most; each sentence that says something
on a topic adds a little. A section covers a topic when it says something
about it; the strongest section answers.
"""

from __future__ import annotations

import re

from bot.knowledge.cards import flat_sentences

HEADING_CUES: dict[str, str] = {
    "what_it_is": r"\bwhat (?:is|are)\b(?! (?:rls|restless))|\bintroduc|\boverview\b|\bexplained\b"
    r"|\bwhat \w+ is\b",
    "how_it_works": r"\bhow\b.*\b(?:works?|helps?|acts?)\b|\bmechanism|\bconnection\b|\bthe \w+ idea\b|\bcalms?\b"
    r"|\bwhy (?:would|does|do|might)\b|\bhow does it\b|\bworks to\b",
    "evidence": r"\bresearch|\bstud(?:y|ies)\b|\btrials?\b|\bevidence\b|\bexamin|(?<!how )\bdoes it (?:actually )?work\b",
    "side_effects": r"\bside[- ]effects?\b|\badverse\b",
    "serious_risks": r"\brisks?\b|\bcautions?\b|\bsafety\b|\bwarnings?\b|\baugmentation\b|\bdangers?\b",
    "dependence": r"\bdependen|\baddict|\bhabit",
    "withdrawal": r"\bwithdraw|\bstopping\b|\bcoming off\b|\btaper",
    "interactions": r"\binteract",
    "suitability": r"\bwho (?:should|can)\b|\bsuitab|\bcautions?\b|\bbefore (?:you start|trying|starting)\b",
    "doctor": r"\bdoctor|\bgp\b|\bhealthcare\b|\bphysician|\bdiscuss|\bquestions (?:to ask|for)\b|\bprovider",
    "combining": r"\bcombin|\balongside\b|\bother (?:rls )?treatments?\b",
    "monitoring": r"\bmonitor|\bprogress\b|\btrack|\btesting\b|\bcheck(?:ing|s|-ups?)?\b",
    "about_rls": r"\b(?:understanding|what is|about) (?:restless|rls)\b|\brestless legs? syndrome\b.*\b(?:impact|life)\b",
}
SENTENCE_CUES: dict[str, str] = {
    "what_it_is": r"\b(?:is|as) an? (?:\w+ ){0,3}(?:medication|drug|medicine|supplement|relaxant|agonist|mineral"
    r"|benzodiazepine|anticonvulsant|antispasmodic)\b|\bused to treat\b|\bprescribed (?:for|to)\b"
    r"|\btypically used\b|\bcommonly (?:used|prescribed)\b|\bapproved (?:for|to)\b",
    "how_it_works": r"\bworks by\b|\bby (?:blocking|increasing|reducing|binding|stimulating|mimicking|calming)\b"
    r"|\breceptors?\b|\bmechanism\b|\bneurotransmitter|\bis thought to\b|\bacts on\b",
    "evidence": r"\bstud(?:y|ies)\b|\btrials?\b|\bplacebo\b|\bparticipants\b|\bresearch\b|\bmeta-analys"
    r"|\bevidence\b|\bpatients\b.*\b(?:improv|reduc)",
    "side_effects": r"\bside[- ]effects?\b|\bdrowsiness\b|\bdizziness\b|\bnausea\b|\bheadaches?\b"
    r"|\bconstipation\b|\bweight gain\b",
    "serious_risks": r"\bserious\b|\brare(?:ly)?\b|\bhallucinat|\bseizures?\b|\ballergic\b|\baugmentation\b"
    r"|\boverdose\b|\brisks?\b|\bdangerous\b|\bbreathing\b",
    "dependence": r"\bdependen|\baddict|\bhabit[- ]forming\b|\btolerance\b|\bmisuse\b",
    "withdrawal": r"\bwithdraw|\babrupt|\bdiscontinu|\btaper|\bstopping\b|\bstop taking\b|\bcold turkey\b",
    "interactions": r"\binteract|\bother medications?\b|\bcurrent medications\b|\bother medicines\b"
    r"|\balcohol\b|\bopioids?\b|\bsedatives?\b",
    "suitability": r"\bolder adults\b|\belderly\b|\bkidney|\bliver\b|\bother (?:medical )?conditions\b"
    r"|\bmedical history\b|\b(?:right|appropriate) (?:choice|for you)\b|\bshould not (?:take|use)\b"
    r"|\bpeople with (?!rls\b|restless)|\bunique situation\b|\bseverity\b",
    "doctor": r"\byour (?:doctor|gp|physician|neurologist)\b|\bhealthcare provider\b|\bconsult|\bdiscuss",
    "combining": r"\bcombination\b|\bcombin(?:e|ed|ing)\b|\bin addition to\b|\balongside\b|\blifestyle\b"
    r"|\bother treatment options\b|\bexercise\b",
    "monitoring": r"\bmonitor|\bdiary\b|\btrack\b|\bblood tests?\b|\bferritin\b|\bcheck(?:ed)? (?:your|levels)\b"
    r"|\bprogress\b|\badjustments?\b",
    "about_rls": r"\b(?:rls|restless legs? syndrome) is an?\b|\bneurological (?:disorder|condition)\b"
    r"|\burge to move\b|\bcause of (?:rls|restless)|\bquality of life\b|\bcharacteri[sz]ed by\b",
}
# Headings that hint at a topic without being about it ("X as a Potential Treatment Option").
WEAK_HEADING_CUES: dict[str, str] = {
    "what_it_is": r"\bpotential treatment\b|\btreatment option\b|\babout\b|\bmatters?\b",
}
SUMMARY_HEADING = re.compile(
    r"\b(?:conclusions?|summary|summing up|final thoughts|in short|bottom line|verdict|key (?:points|takeaways)"
    r"|takeaways?|wrapping up|the upshot)\b",
    re.I,
)
# A question that wants the article's overall view: "bottom line, is it worth it?", "tl;dr"
SUMMARY_ASKED = re.compile(
    r"\b(?:bottom line|verdict|in (?:short|summary|a nutshell)|tl;? ?dr|overall|sum (?:it )?up|summar\w*"
    r"|the gist|takeaway|worth (?:it|trying|a (?:go|try|shot))|is it any good|should (?:i|we) bother)\b",
    re.I,
)
_HEADING = {k: re.compile(v, re.I) for k, v in HEADING_CUES.items()}
_WEAK_HEADING = {k: re.compile(v, re.I) for k, v in WEAK_HEADING_CUES.items()}
_SENTENCE = {k: re.compile(v, re.I) for k, v in SENTENCE_CUES.items()}
HEADING_WEIGHT = 3.0
WEAK_HEADING_WEIGHT = 1.5
SUMMARY_FACTOR = 0.5  # a conclusion repeats the article: a specific section answers better
# "every section says see your doctor": these need more than one passing sentence to count
PASSING = {"doctor": 2, "suitability": 1, "serious_risks": 1, "about_rls": 1}


def section_topics(heading: str, text: str, *, names_treatment: bool = True) -> dict[str, float]:
    """topic -> strength for one section (absent: the section does not cover it)."""
    strengths: dict[str, float] = {}
    said = flat_sentences(text)
    for topic in SENTENCE_CUES:
        hits = sum(len(_SENTENCE[topic].findall(s)) for s in said)
        head = bool(_HEADING[topic].search(heading))
        weak = topic in _WEAK_HEADING and bool(_WEAK_HEADING[topic].search(heading)) and not head
        if topic == "about_rls" and names_treatment and not head:
            hits = hits if hits >= 2 else 0  # a treatment section mentions RLS in passing
        if topic == "what_it_is" and not names_treatment:
            head = False  # "What is RLS?" is about RLS, not a treatment
        if not head and not weak and hits < PASSING.get(topic, 1):
            continue
        strength = (HEADING_WEIGHT if head else WEAK_HEADING_WEIGHT if weak else 0.0) + min(hits, 4)
        strengths[topic] = strength * (SUMMARY_FACTOR if SUMMARY_HEADING.search(heading) else 1.0)
    return strengths
