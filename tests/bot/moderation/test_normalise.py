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
