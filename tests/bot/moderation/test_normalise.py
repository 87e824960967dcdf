from __future__ import annotations

import pytest

from bot.moderation.normalise import normalise, normalise_stages, squeeze


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("MIIIIRACLE Cure", "miracle cure"),
        ("5 G causes RLS", "5g causes rls"),
        ("w1fi", "wifi"),
        ("c0vid vacc1ne", "covid vaccine"),
        ("the f.d.a knows", "the fda knows"),
        ("the F.D.A. knows", "the fda knows"),
        ("5-G towers", "5g towers"),
        ("w i f i", "wifi"),
        ("wi-fi", "wifi"),
        ("\uff37\uff29\uff26\uff29", "wifi"),  # full-width letters
        ("mi\u200bracle", "miracle"),  # zero-width space
        ("cüre", "cure"),
        ("it isn\u2019t a cure", "it is not a cure"),
        ("they don't want you to know", "they do not want you to know"),
        ("won't can't", "will not can not"),
        ("they're hiding it", "they are hiding it"),
        ("5\ufe0f\u20e3G", "5g"),
        ("took 10 mg at 2 am", "took 10 mg at 2 am"),  # only a lone letter joins a number
        ("5\u0262 towers", "5g towers"),  # small capital G
        ("v\u0430ccines", "vaccines"),  # Cyrillic a
        ("\u0424\u0430\u0441\u0435", "\u0444ace"),  # only look-alikes change
        ("big pharma doesnt want", "big pharma does not want"),
        ("im so tired, dont ask", "i am so tired, do not ask"),
        ("imagine dontcha", "imagine dontcha"),  # whole words only
    ],
)
def test_normalise(raw, expected):
    readable, matching = normalise_stages(raw)
    assert readable == expected
    assert matching == squeeze(expected) == normalise(raw)


def test_plain_words_survive_in_the_readable_form():
    text = "my ferritin was 45 and i feel better, thanks all"
    assert normalise_stages(text)[0] == text


def test_doubled_letters_are_squeezed_for_matching():
    assert normalise("Just stoop taking your tramadool") == "just stop taking your tramadol"
    assert normalise("noo evidence") == "no evidence"
    assert normalise("pills") == normalise("piills") == normalise("pils") == "pils"
    assert normalise("50% off") == "50% off" and normalise("50% of") == "50% of"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("5 G causes RLS", "invented_cause"),
        ("w1fi causes rls", "invented_cause"),
        ("wi\u200bfi causes rls", "invented_cause"),
        ("\uff15\uff27 causes RLS", "invented_cause"),  # full-width "5G"
        ("5\u0262 t\u043ewers cause rls", "invented_cause"),
        ("v\u0430ccines cause RLS", "invented_cause"),
        ("The F.D.A hides the cure", "regulator_conspiracy"),
        ("the F-D-A is hiding the cure", "regulator_conspiracy"),
        ("m1racle cure for restless legs", "miracle_cure"),
        ("this oil is a miiiiiracle cure", "miracle_cure"),
        ("MIRACLE    CURE for rls!!!", "miracle_cure"),
        ("m\u00edr\u00e1cle cure for rls", "miracle_cure"),
        ("j u s t  stop taking your meds cold turkey", "dangerous_advice"),
    ],
)
def test_obfuscated_claims_are_caught(scanner, text, category):
    result = scanner.scan(text, explain=True)
    assert result.flagged and result.category == category, (text, result.skipped)
