"""The scanner on real reader comments, on sentences no rule was written from, and against its baseline."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.moderation.rules import RuleSet
from bot.moderation.scanner import CLEAN, Scanner, ScanResult
from tests.support.seed_comments import TIM, UMESH, VISHNUPRIYA, WILEY

# Sentences written apart from the rule file: the context handling has to generalise.
CLAIMS = [
    ("wifi routers cause restless legs, turn yours off at night", "invented_cause"),
    ("The covid jab gave everyone RLS, it's obvious", "invented_cause"),
    ("Chemtrails are the real reason so many people have RLS now", "invented_cause"),
    ("RLS comes from the vaccines they push on kids", "invented_cause"),
    ("Smart meters are causing RLS in our whole street", "invented_cause"),
    ("Vaccines cause RLS!!!", "invented_cause"),
    ("5\ufe0f\u20e3G causes RLS", "invented_cause"),
    ("\uff37\uff29\uff26\uff29 causes RLS", "invented_cause"),
    ("w i f i causes rls", "invented_cause"),
    ("Big pharma suppresses the cure because they profit from your suffering", "regulator_conspiracy"),
    ("The FDA is hiding a natural treatment that works", "regulator_conspiracy"),
    ("drug companies are burying the research on magnesium", "regulator_conspiracy"),
    ("They are hiding the cure from us", "regulator_conspiracy"),
    ("This oil is a miracle remedy for restless legs", "miracle_cure"),
    ("Tonic water cures RLS, no need for pills", "miracle_cure"),
    ("This cream will cure your restless legs for good", "miracle_cure"),
    ("Just quit your gabapentin cold turkey, it's poison anyway", "dangerous_advice"),
    ("Double the ropinirole dose yourself if it stops working", "dangerous_advice"),
    ("I'll send you some of my pramipexole, just DM me", "dangerous_advice"),
    ("You can take your gabapentin with a couple of beers, it works better", "dangerous_advice"),
    ("Ditch the pramipexole immediately, it's making you worse", "dangerous_advice"),
    ("Just up your dose, your doctor doesn't need to know", "dangerous_advice"),
    ("Use code RLSFREE for 30% off my leg cream", "product_pitch"),
    ("Order now and get 50% off our RLS socks", "product_pitch"),
    ("Everyone knows 5G gives you restless legs", "invented_cause"),
    ("wifi is what causes RLS, unplug your router", "invented_cause"),
    ("RLS is caused by fluoride in the water", "invented_cause"),
    ("The government is covering up the real cure for RLS", "regulator_conspiracy"),
    ("This supplement is guaranteed to cure your RLS", "miracle_cure"),
    ("Throw away your pills, you don't need them", "dangerous_advice"),
    ("You can stop pramipexole cold turkey, no problem", "dangerous_advice"),
    ("Just increase your gabapentin dose without telling your doctor", "dangerous_advice"),
    ("Buy now! Limited time offer on our RLS relief cream", "product_pitch"),
    ("Quinine is a miracle cure for RLS", "miracle_cure"),
    ("CBD oil cures restless legs completely", "miracle_cure"),
    ("Mobile phone radiation is what gives people RLS", "invented_cause"),
    ("Restless legs are caused by the covid vaccine", "invented_cause"),
    ("Electromagnetic radiation triggers restless legs", "invented_cause"),
    ("The FDA banned the real cure decades ago", "regulator_conspiracy"),
    ("The truth is Big Pharma hides the cure", "regulator_conspiracy"),
    ("Never listen to your doctor, just stop your pramipexole cold turkey", "dangerous_advice"),
    ("You should double your gabapentin dose, it's totally safe", "dangerous_advice"),
    ("Everyone should stop their dopamine agonists cold turkey", "dangerous_advice"),
    ("DM me for pricing on our magnesium RLS spray", "product_pitch"),
]
NOT_CLAIMS = [
    # questions
    "Is it true that 5G causes RLS?",
    "Could the wifi router be making my RLS worse?",
    "Do smart meters cause RLS? My aunt thinks so",
    "Has anyone tried tonic water? Some say it cures RLS",
    "Is the cure for RLS ever going to be found?",
    "I wonder if alcohol makes gabapentin work better or worse?",
    # negation and doubt
    "My neighbour keeps saying wifi causes RLS, which is nonsense",
    "There's zero evidence that vaccines cause RLS",
    "I doubt chemtrails have anything to do with RLS",
    "Nobody has shown that wifi triggers RLS",
    "Magnesium is not a miracle cure but it helps me a bit",
    "No one should stop ropinirole cold turkey",
    "There is no cure for RLS yet, sadly",
    "I'd love a miracle cure but I know it doesn't exist",
    "lol the 5g thing is a conspiracy theory",
    "Beware of people who say the FDA hides cures",
    "Don't take gabapentin with alcohol, it's dangerous",
    "Claims that the FDA hides cures are just conspiracy theories",
    "My husband thinks the cell tower causes my RLS, I told him that's silly",
    # personal experience
    "I used to believe 5G caused my RLS but my ferritin was just low",
    "I stopped gabapentin cold turkey last year and regretted it",
    "I quit pramipexole cold turkey in 2019 and the withdrawal was awful",
    "When I doubled my dose my RLS came back earlier in the day",
    "After the booster my legs were worse for a week",
    "I took my pregabalin with wine once and it was a terrible idea",
    "My doctor told me to stop the ropinirole immediately because of augmentation",
    "That magnesium spray did not cure my RLS at all",
    # ordinary chat
    "What's the best way to taper off pramipexole?",
    "The FDA approved Horizant for RLS in 2011",
    "Sending you hugs, hope the night is better",
    "We don't know what causes RLS exactly",
    "Thanks for the link, I'll read it tonight",
    "My neurologist adjusted the dose after the sleep study",
    "I can't stop moving my legs tonight",
    "Does anyone else feel worse after the flu shot?",
    "my doctor doubled my ropinirole dose last month",
    "The cure is probably years away, research takes time",
    "I heard 5G causes RLS but that sounds like nonsense to me",
    "If only there was a miracle cure lol",
    "I'm not stopping my meds, don't worry",
    "Please never mix opioids and alcohol",
    "Vaccines don't cause RLS, stop spreading that",
    "I was so scared the vaccine would make my RLS worse, but it didn't",
    "We tried everything: iron, magnesium, stretching. Nothing cured it.",
    "My mum stopped her pramipexole abruptly and ended up in hospital, please taper",
    "I asked my doctor about increasing the dose and she said no",
    "Has your doctor ever told you to take double the dose?",
    "If you want to stop ropinirole, talk to your doctor about tapering",
    "Alcohol is a known trigger for RLS for many people",
    "Anyone know a good discount code for magnesium flakes?",
    "My RLS got way worse when I started sertraline",
    "It's not the wifi, it's the caffeine",
    "5G towers going up everywhere in my town, ugly things",
    "I don't believe vaccines cause RLS at all",
    "Wifi causing RLS? I seriously doubt it",
    "I'm skeptical that chemtrails have anything to do with restless legs",
    "Someone told me 5G causes RLS, is that true?",
    "When I stopped gabapentin suddenly I had awful withdrawal",
    "I went cold turkey off tramadol once, never again",
    "Last year I doubled my dose without asking and got augmentation, learn from my mistake",
    "My sister shared her pramipexole with me once and I felt sick",
    "I used to drink wine with my gabapentin until my pharmacist warned me",
    "I read an article claiming wifi causes RLS, total rubbish",
    "My doctor says there's no cure but we can manage the symptoms",
    "Stopping cold turkey is a bad idea, taper slowly",
    "I wish big pharma would spend more on RLS research",
    "Don't stop your meds abruptly please",
    "Why would anyone think 5G causes RLS?",
    "Can 5G cause RLS",
    "Stop saying 5G causes RLS, it doesn't",
    "My mother-in-law insists 5G causes my RLS, sigh",
    "Some guy on facebook says chemtrails cause RLS \U0001f644",
    "Miracle cure? I wish!",
    "vaccines causing RLS is a myth",
    "I was told to stop taking iron immediately because my ferritin was too high",
    "It's not like 5G causes RLS or anything",
]


@pytest.fixture(scope="module")
def full(scanner):
    return scanner


def test_reader_comments(full):
    wiley = full.scan(WILEY)
    assert wiley.flagged and wiley.kind == "claim"
    assert wiley.category in {"invented_cause", "regulator_conspiracy"}
    tim = full.scan(TIM)
    assert tim.flagged and tim.category == "invented_cause"
    assert "wifi" in tim.matched
    assert not full.scan(UMESH).flagged
    assert not full.scan(VISHNUPRIYA).flagged


def test_each_sentence_of_the_5g_comment_is_judged_on_its_own(full):
    # "The FDA?" is a question; the sentence after it is a claim.
    result = full.scan("The FDA? Bought and paid for by Big Pharma.")
    assert result.flagged and result.category == "regulator_conspiracy"


@pytest.mark.parametrize(("text", "category"), CLAIMS)
def test_unseen_claims_are_flagged(full, text, category):
    result = full.scan(text, explain=True)
    assert result.flagged, (text, result.skipped)
    assert result.category == category


@pytest.mark.parametrize("text", NOT_CLAIMS)
def test_unseen_questions_doubt_and_experience_are_not_flagged(full, text):
    result = full.scan(text)
    assert not result.flagged, (text, result.rule, result.matched)


def test_explain_says_why_a_match_was_set_aside(full):
    result = full.scan("there's no evidence 5G causes RLS", explain=True)
    assert not result.flagged
    assert result.skipped and "negated" in result.skipped[0].reason
    asked = full.scan("does wifi cause RLS?", explain=True)
    assert asked.skipped and asked.skipped[0].reason == "a question"
    lived = full.scan("I quit ropinirole cold turkey last spring", explain=True)
    assert not lived.flagged and "experience" in lived.skipped[0].reason


def test_crisis_language_comes_first_and_json_shape(full):
    result = full.scan("5G causes RLS and honestly I want to die")
    assert result.as_json() == {
        "flagged": True,
        "kind": "crisis",
        "category": "crisis",
        "rule": "crisis-language",
        "score": 1.0,
        "layer": "rule",
        "public": False,
    }
    assert full.scan("good morning").as_json() == {
        "flagged": False,
        "kind": None,
        "category": None,
        "rule": None,
        "score": 0.0,
        "layer": None,
        "public": False,
    }
    claim = full.scan("vaccines cause RLS").as_json()
    assert (
        claim["kind"] == "claim" and claim["category"] == "invented_cause" and isinstance(claim["rule"], str)
    )


def test_ordinary_chat_runs_no_phrase_at_all(full):
    from bot.moderation.normalise import normalise

    for text in (
        "good morning all, hope you slept well",
        "Walking around the block at midnight again",
        "lol same",
    ):
        assert full.candidates(normalise(text)) == []


def test_empty_rule_set_still_checks_crisis():
    scanner = Scanner(RuleSet(()))
    assert scanner.scan("5G causes RLS") == CLEAN
    assert scanner.scan("I want to end my life").kind == "crisis"
    assert not Scanner(RuleSet(()), crisis=False).scan("I want to end my life").flagged


SAMPLES = [WILEY, TIM, UMESH, VISHNUPRIYA, *(t for t, _ in CLAIMS), *NOT_CLAIMS]


@pytest.mark.parametrize("text", SAMPLES)
def test_fast_path_agrees_with_the_rule_by_rule_baseline(full, text):
    fast, slow = full.scan(text), full.scan_naive(text)
    assert (fast.flagged, fast.kind, fast.category, fast.rule) == (
        slow.flagged,
        slow.kind,
        slow.category,
        slow.rule,
    )


words = st.sampled_from(
    "5g wifi cause causes rls restless legs miracle cure stop your meds cold turkey not no is the fda hiding "
    "big pharma i we my doctor double dose without alcohol with gabapentin ? . , ! my code off % buy now "
    "vaccines chemtrails gave me took".split()
)


@settings(max_examples=300, deadline=None)
@given(st.lists(words, min_size=1, max_size=25))
def test_fast_path_agrees_with_baseline_on_random_word_salad(scanner, ws):
    text = " ".join(ws)
    fast, slow = scanner.scan(text), scanner.scan_naive(text)
    assert isinstance(fast, ScanResult)
    assert (fast.flagged, fast.category, fast.rule) == (slow.flagged, slow.category, slow.rule)


def test_matched_words_are_shown_as_written(full):
    assert "pills" in full.scan("Just stop taking your pills cold turkey").matched
    assert "messing" in full.scan("5G towers are messing with your dopamine").matched


def test_a_repeated_message_gets_the_result_it_got_before(ruleset):
    from bot.moderation import scanner as module

    scanner = Scanner(ruleset)
    for text in ("lol", "Vaccines cause RLS!!!", "I want to end my life", "good morning everyone"):
        first = scanner.scan(text)
        assert scanner.scan(text) is first  # kept, not worked out again
        assert first == scanner._scan(text, False)
    # An explanation is always worked out (it lists what was set aside), and long posts are not kept.
    assert scanner.scan("Can 5G cause RLS", explain=True).skipped
    long_post = "my legs were bad last night. " * 20
    assert not scanner.scan(long_post).flagged and long_post not in scanner._memo
    # Only the most recent messages are kept: the oldest go first, a repeat counts as recent.
    for i in range(module._MEMO_SIZE + 10):
        scanner.scan(f"message {i}")
        scanner.scan("lol")
    assert len(scanner._memo) == module._MEMO_SIZE
    assert "lol" in scanner._memo and "message 0" not in scanner._memo


def test_repeats_in_other_capitals_share_a_result(ruleset):
    """ASCII text is lower-cased before anything reads it, so its capitals never change a result."""
    scanner = Scanner(ruleset)
    texts = [
        "lol", "Vaccines cause RLS!!!", "I want to end my life", "> Magnesium CURES rls\nNo it doesn't",
        "Just stop taking your pills cold turkey", "Is there a CURE for RLS?", "W.I.F.I causes rls",
    ]
    for text in texts:
        first = scanner.scan(text)
        for variant in (text.upper(), text.capitalize(), text.swapcase()):
            assert scanner.scan(variant) is first
            fresh = Scanner(ruleset)._scan(variant, False)
            assert (fresh, fresh.skipped) == (first, first.skipped)
    # Other text is kept as written: its look-alike letters and accents are folded before lower case.
    scanner.scan("Cüre")
    scanner.scan("cüre")
    assert {"Cüre", "cüre"} <= scanner._memo.keys()
