"""Tag names, fed anything an editor could type or paste: normalising is
stable, and names that differ only in case or spacing file under one tag."""

import unicodedata

import pytest
from django.contrib import admin
from django.db import connection, transaction
from django.test import RequestFactory
from hypothesis import assume, example, given
from hypothesis import strategies as st

from tags.models import Tag, normalize_tag_name
from tests.factories import ArticleFactory, SectionFactory, UserFactory
from tests.fuzzing import CONTROL_CHARACTERS

_SPACES = " \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u2003\u2028\u3000"
tag_names = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(list(_SPACES + CONTROL_CHARACTERS)),
    ),
    max_size=120,
)


def _has_simple_case(char: str) -> bool:
    """Upper- and lower-casing the character keep it one character, and the
    database's lower() agrees with Python's casefold (not so for ß or ς).

    SQLite's lower() and LIKE fold ASCII letters only, so there "É" and "é"
    are two tags; the newsroom runs on PostgreSQL, which folds them all.
    """
    upper, lower = char.upper(), char.lower()
    if connection.vendor == "sqlite" and not char.isascii() and upper != lower:
        return False
    return (
        len(upper) == len(lower) == 1
        and upper.lower() == lower
        and lower.casefold() == lower
        and upper.casefold() == lower
    )


casable_names = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", categories=["L", "N", "P", "S"]).filter(
            _has_simple_case
        ),
        st.sampled_from(list(_SPACES)),
    ),
    min_size=1,
    max_size=60,
)


@st.composite
def respelled(draw, name: str) -> str:
    """The same name with its capitals and spacing changed."""
    flips = draw(st.lists(st.booleans(), min_size=len(name), max_size=len(name)))
    recased = "".join(
        c.upper() if flip else c.lower() for c, flip in zip(name, flips, strict=True)
    )
    recased = recased.replace(" ", draw(st.sampled_from([" ", "  ", "\t", "\xa0"])))
    padding = st.sampled_from(["", " ", "\n", "\u200b"])
    return draw(padding) + recased + draw(padding)


@given(tag_names)
@example(" a \u200b  b\x00 ")
@example("\x1c\x1d")
def test_normalised_name_is_stable_and_tidy(name):
    normalised = normalize_tag_name(name)
    assert normalize_tag_name(normalised) == normalised
    assert normalised == normalised.strip()
    assert "  " not in normalised
    assert all(char == " " or not char.isspace() for char in normalised)
    assert not any(unicodedata.category(char).startswith("C") for char in normalised)


@pytest.mark.django_db
@given(data=st.data(), name=casable_names)
@example(data=None, name="Harbour Summit")
def test_names_differing_in_case_or_spacing_file_under_one_tag(data, name):
    assume(normalize_tag_name(name))
    variant = data.draw(respelled(name)) if data else " HARBOUR   summit "
    with transaction.atomic():
        first, second = ArticleFactory(), ArticleFactory(section=SectionFactory())
        first.tags.add(name)
        second.tags.add(variant)
        tag = Tag.objects.get()
        assert set(first.tags.all()) == set(second.tags.all()) == {tag}
        assert tag.name == normalize_tag_name(name)
        assert tag.get_absolute_url()
        transaction.set_rollback(True)


@pytest.mark.django_db
@given(data=st.data(), name=casable_names)
def test_admin_refuses_a_tag_that_differs_only_in_case(data, name):
    assume(normalize_tag_name(name))
    variant = data.draw(respelled(name))
    request = RequestFactory().post("/admin/tags/tag/add/")
    with transaction.atomic():
        request.user = UserFactory(is_staff=True, is_superuser=True)
        Tag.objects.create(name=name)
        form_class = admin.site._registry[Tag].get_form(request)
        form = form_class(data={"name": variant, "slug": "another-slug"})
        assert not form.is_valid()
        messages = [message for errors in form.errors.values() for message in errors]
        assert any("already exists" in message for message in messages), messages
        transaction.set_rollback(True)


@pytest.mark.django_db
@given(tag_names)
@example("!!!")
@example("x" * 120)
@example("a-" + "b" * 98)
@example("a " + "b" * 98)
def test_any_typed_name_gives_a_tag_with_an_address(name):
    normalised = normalize_tag_name(name)
    with transaction.atomic():
        # Another tag already holds the slug the new one would get.
        holder = "held" if normalised.casefold() != "held" else "kept"
        Tag.objects.create(name=holder, slug=Tag().slugify(normalised))
        article = ArticleFactory()
        article.tags.add(name)
        tags = list(article.tags.all())
        assert [tag.name for tag in tags] == ([normalised] if normalised else [])
        for tag in tags:
            assert tag.get_absolute_url()
        transaction.set_rollback(True)
