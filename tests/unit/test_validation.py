"""User text is normalised in one place, ``Fields.text``: the rules as tables."""

from __future__ import annotations

import unicodedata

import pytest

from community.errors import BadRequest, Invalid
from community.validation import Fields, normalize_text, visible_length

ZWSP, ZWJ, WJ, BOM, RLO, LRI, PDI = "\u200b", "\u200d", "\u2060", "\ufeff", "\u202e", "\u2066", "\u2069"
DECOMPOSED_E = "e\u0301"  # é as e + combining acute, as some keyboards send it

# raw → one line (names, titles, usernames)
ONE_LINE = [
    ("Winkel Noord", "Winkel Noord"),
    ("Caf" + DECOMPOSED_E, "Café"),
    ("Geëerde ĳsbaan", "Geëerde ĳsbaan"),
    ("nul\x00teken", "nulteken"),
    ("bel\x07 en escape\x1b[31m", "bel en escape[31m"),
    ("c1\x85\x9fweg", "c1weg"),
    ("twee\nregels\tmet tab\r", "twee regels met tab "),
    ("regel\u2028scheiding", "regel scheiding"),
    (f"{RLO}gpj.exe", "gpj.exe"),
    ("a\u202ab\u202bc\u202cd\u202de", "abcde"),
    (f"{LRI}isolaat{PDI}\u2067\u2068", "isolaat"),
    (f"zero{ZWSP}width{WJ}{BOM}", "zerowidth"),
    ("👩\u200d🔧 monteurs", "👩\u200d🔧 monteurs"),           # a ZWJ sequence stays whole
    ("مرحبا بالعالم", "مرحبا بالعالم"),
    ("नमस्ते", "नमस्ते"),
    ("🇳🇱 team", "🇳🇱 team"),
]

# raw → multi-line (post bodies, bios, descriptions)
MULTI_LINE = [
    ("regel een\nregel twee", "regel een\nregel twee"),
    ("windows\r\nregels\rmac", "windows\nregels\nmac"),
    ("    code\n\tmet tab", "    code\n\tmet tab"),
    ("nul\x00 en \x0b\x0c weg", "nul en  weg"),
    (f"arabisch {RLO}en{LRI} blijft", f"arabisch {RLO}en{LRI} blijft"),
    ("👩\u200d🔧 sleutelt", "👩\u200d🔧 sleutelt"),
    ("Caf" + DECOMPOSED_E, "Café"),
]


@pytest.mark.parametrize(("raw", "expected"), ONE_LINE)
def test_one_line_text_is_normalised(raw, expected):
    assert normalize_text(raw, multiline=False) == expected


@pytest.mark.parametrize(("raw", "expected"), MULTI_LINE)
def test_multi_line_text_is_normalised(raw, expected):
    assert normalize_text(raw, multiline=True) == expected


@pytest.mark.parametrize(("text", "length"), [
    ("abc", 3),
    (ZWSP * 4, 0),
    (f"a{ZWSP}b{ZWJ}c{WJ}{BOM}", 3),
    ("👩\u200d🔧", 2),
    ("Café", 4),
    ("\u00ad\u00ad", 0),  # soft hyphens show nothing either
    ("regel\nregel", 11),
])
def test_length_counts_visible_characters(text, length):
    assert visible_length(text) == length


def _text(value, **options):
    fields = Fields({"title": value})
    result = fields.text("title", **options)
    return result, fields.problems.get("title")


@pytest.mark.parametrize("value", [ZWSP * 4, f" {BOM}{WJ} ", "\x00\x00\x00\x00", f"{RLO}{LRI}{PDI}",
                                   "\u00ad\u00ad\u00ad\u00ad", "\t\n \u3000"])
def test_a_title_of_invisible_characters_is_empty(app, value):
    with app.test_request_context():
        result, problem = _text(value, required=True, min_len=3, max_len=200)
        assert (result, problem) == ("", "This field is required.")


@pytest.mark.parametrize("value", [ZWSP * 4, " \u200d ", "\x00"])
def test_a_body_of_invisible_characters_is_empty(app, value):
    with app.test_request_context():
        fields = Fields({"body": value})
        assert fields.text("body", required=True, multiline=True, strip=False) == ""


def test_zero_width_characters_do_not_count_towards_the_minimum(app):
    with app.test_request_context():
        assert _text(f"a{ZWJ}{ZWJ}b", min_len=3)[1] == "Use at least 3 characters."
        assert _text(f"{ZWSP}abc{ZWSP}", min_len=3) == ("abc", None)


def test_one_line_text_is_trimmed_of_zero_width_and_space(app):
    with app.test_request_context():
        assert _text(f"{BOM} {ZWSP}Veilig heffen{ZWSP} \u3000")[0] == "Veilig heffen"


def test_stored_length_of_one_line_text_stays_within_the_maximum(app):
    """A one-line field's column holds ``max_len`` characters, joiners included."""
    with app.test_request_context():
        assert _text("a" + ZWJ * 10 + "b", max_len=5)[1] == "Use at most 5 characters."
        assert _text("abcde", max_len=5) == ("abcde", None)


def test_multi_line_text_is_not_trimmed_so_markdown_keeps_its_indentation(app):
    with app.test_request_context():
        fields = Fields({"body": "    code\n"})
        assert fields.text("body", multiline=True, strip=False) == "    code\n"


def test_secrets_are_never_altered(app):
    """What is typed is what is hashed: normalising a password would lock its owner out."""
    with app.test_request_context():
        typed = f" {DECOMPOSED_E}\t{ZWSP}geheim\x00 "
        fields = Fields({"password": typed})
        assert fields.secret("password", min_len=10) == typed
        assert unicodedata.is_normalized("NFC", typed) is False


def test_wrong_type_is_a_bad_request(app):
    with app.test_request_context():
        fields = Fields({"title": 5})
        fields.text("title")
        with pytest.raises(BadRequest):
            fields.check()
        fields = Fields({"title": ZWSP})
        fields.text("title", required=True, min_len=3)
        with pytest.raises(Invalid):
            fields.check()
