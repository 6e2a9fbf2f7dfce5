"""The shared rule for when two names are the same, or look the same."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.text import (
    folded,
    looks_alike,
    normalize_email,
    skeleton,
    visible_text,
)

# The ways one name is typed differently and still reads the same.
LOOK_ALIKES = [
    ("Marta", "Ｍａｒｔａ"),  # fullwidth
    ("Marta Soler", "Marta\u00a0Soler"),  # no-break space
    ("Marta Soler", "Marta\u2003 Soler"),  # em space, doubled
    ("café", "cafe\u0301"),  # decomposed accent
    ("Marta", "Маrtа"),  # Cyrillic М and а
    ("paypal", "раура\u04cf"),  # Cyrillic р, а, у and palochka
    ("Marta", "Μarta"),  # Greek capital Mu
    ("Olga", "Οlga"),  # Greek capital Omicron
    ("Marta", "Mar\u200bta"),  # zero-width space
    ("Marta", "\u200dMarta\u2060"),  # zero-width joiner, word joiner
    ("Marta", "MARTA"),  # capitals
    ("Bill", "BiII"),  # capital I for small l
]


@pytest.mark.parametrize("a, b", LOOK_ALIKES)
def test_names_a_reader_cannot_tell_apart_look_alike(a, b):
    assert looks_alike(a, b)
    assert looks_alike(b, a)


def test_a_cyrillic_er_reads_as_p_not_r():
    assert looks_alike("Mapta", "Ма\u0440ta")
    assert not looks_alike("Marta", "Ма\u0440ta")


@pytest.mark.parametrize(
    "a, b",
    [
        ("police", "polite"),
        ("Marta", "Martha"),
        ("café", "cafe"),  # an accent a reader sees
        ("Ben", "Bern"),
        ("Anna", "Hanna"),
    ],
)
def test_names_a_reader_tells_apart_do_not(a, b):
    assert not looks_alike(a, b)


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("Ｍａｒｔａ", "Marta"),
        ("  Marta\u00a0\u00a0Soler ", "Marta Soler"),
        ("cafe\u0301", "café"),
        ("Mar\u200bta\u202e", "Marta"),
        ("e\u200b\u0301", "é"),  # the accent joins its letter once the gap goes
        ("ﬁre", "fire"),
    ],
)
def test_visible_text_is_what_gets_stored(typed, stored):
    assert visible_text(typed) == stored


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("reader@cupure.ｅxample", "reader@cupure.example"),
        ("Reader@Cupure.Example", "reader@cupure.example"),
        ("ｒｅａｄｅｒ@cupure.example", "reader@cupure.example"),
        (" reader@cupure.exa\u200bmple ", "reader@cupure.example"),
        ("reader@Café.example", "reader@xn--caf-dma.example"),
        ("reader@cafe\u0301.example", "reader@xn--caf-dma.example"),
        ("reader@cupur\u0435.example", "reader@xn--cupur-3we.example"),
    ],
)
def test_emails_are_stored_in_one_form(typed, stored):
    assert normalize_email(typed) == stored


def test_an_email_domain_idna_cannot_write_is_refused():
    with pytest.raises(ValueError):
        normalize_email("reader@" + "x" * 64 + ".example")


_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40
)


@given(_TEXT)
def test_normal_forms_are_idempotent(text):
    shown = visible_text(text)
    assert visible_text(shown) == shown
    assert unicodedata.is_normalized("NFKC", shown)
    assert folded(folded(text)) == folded(text)
    assert skeleton(shown) == skeleton(text)


@given(_TEXT)
def test_invisible_characters_never_tell_two_names_apart(text):
    noisy = "\u200b".join(text) + "\u2060\u00ad"
    assert visible_text(noisy) == visible_text(text)
    assert looks_alike(noisy, text)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=20))
def test_fullwidth_and_capitals_of_a_name_look_like_it(word):
    fullwidth = "".join(chr(ord(char) + 0xFEE0) for char in word)
    assert looks_alike(word, fullwidth)
    assert looks_alike(word, word.upper())
    assert normalize_email(f"{fullwidth}@cupure.example") == f"{word}@cupure.example"
