"""The pre-publish checklist: each check on its own, and the setting that
makes chosen checks block publishing."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured

from articles import checklist
from articles.checklist import Story

GOOD_BODY = (
    '<p><strong class="lead-in">The big picture:</strong> Ferries keep running.</p>'
    '<p>Read <a href="https://example.com/background">the background</a>.</p>'
)
PICTURE = SimpleNamespace(
    alt_text="Boats at dawn", credit="Ana Ruiz", is_decorative=False
)


def good_story(**changes) -> Story:
    values = {
        "headline": "Harbour talks end without a deal",
        "dek": "Negotiators will meet again in the spring.",
        "body": GOOD_BODY,
        "hero_image": PICTURE,
        "tags": ["harbour summit", "veltria"],
        "go_deeper": 1,
    }
    return Story(**(values | changes))


def test_a_complete_story_passes_every_check():
    results = checklist.run(good_story())
    assert [r.name for r in results] == checklist.CHECK_NAMES
    assert [r for r in results if not r.ok] == []


@pytest.mark.parametrize(
    ("headline", "ok"), [("", False), ("x" * 90, True), ("x" * 91, False)]
)
def test_headline_length(headline, ok):
    result = checklist.headline_length(good_story(headline=headline))
    assert result.ok is ok
    if headline:
        assert f"{len(headline)} characters" in result.message


def test_dek_present():
    assert not checklist.dek_present(good_story(dek="   ")).ok
    assert checklist.dek_present(good_story()).ok


def test_lead_in_needs_the_lead_in_mark_not_just_bold():
    plain_bold = "<p><strong>The big picture:</strong> Ferries keep running.</p>"
    assert not checklist.lead_in_present(good_story(body=plain_bold)).ok
    empty = '<p><strong class="lead-in"> </strong> Ferries.</p>'
    assert not checklist.lead_in_present(good_story(body=empty)).ok
    assert checklist.lead_in_present(good_story()).message == "1 lead-in."


def test_word_budget_follows_the_setting(settings):
    settings.NEWSROOM_WORD_BUDGET = 5
    long = "<p>" + "word " * 6 + "</p>"
    result = checklist.word_budget(good_story(body=long))
    assert not result.ok and result.message == "6 of 5 words."
    assert checklist.word_budget(good_story(body="<p>four short words here</p>")).ok
    assert not checklist.word_budget(good_story(body="")).ok


def test_hero_image_needs_alt_text_and_credit_or_decorative():
    check = checklist.hero_image_described
    assert check(good_story(hero_image=None)).message == "Choose a hero image."
    no_alt = SimpleNamespace(alt_text="", credit="Ana", is_decorative=False)
    assert "alt text" in check(good_story(hero_image=no_alt)).message
    no_credit = SimpleNamespace(alt_text="Boats", credit=" ", is_decorative=False)
    assert "Credit" in check(good_story(hero_image=no_credit)).message
    decorative = SimpleNamespace(alt_text="", credit="", is_decorative=True)
    assert check(good_story(hero_image=decorative)).ok


def test_tags_at_least_one_and_no_near_duplicates():
    check = checklist.tags_distinct
    assert check(good_story(tags=[])).message == "Add at least one tag."
    result = check(good_story(tags=["trump", "trumps", "trump putin", "trumpputin"]))
    assert not result.ok
    assert "trump ~ trumps" in result.message
    assert "trump putin ~ trumpputin" in result.message
    assert check(good_story(tags=["harbour", "veltria"])).ok


@pytest.mark.parametrize(
    "href",
    [
        "",
        "https://",
        "https://exa mple.com",
        "javascript:alert(1)",
        "example.com",
        "mailto:nobody",
        " https://example.com",
    ],
)
def test_badly_formed_links_are_named(href):
    body = f'<p><a href="{href}">here</a></p>' if href else "<p><a>here</a></p>"
    result = checklist.links_well_formed(good_story(body=body))
    assert not result.ok
    assert result.message.startswith("Fix these links:")


def test_well_formed_links_pass():
    body = (
        '<p><a href="https://example.com/a?b=1">a</a> '
        '<a href="mailto:desk@cupure.example">b</a></p>'
    )
    assert checklist.links_well_formed(good_story(body=body)).message == "2 links."


def test_go_deeper_present():
    assert not checklist.go_deeper_present(good_story(go_deeper=0)).ok
    assert checklist.go_deeper_present(good_story(go_deeper=2)).ok


def test_syndicated_story_needs_its_source_named_and_linked():
    check = checklist.source_attributed
    assert check(good_story()).message == "Not syndicated."
    assert not check(good_story(source_url="https://wire.example/1")).ok
    assert not check(good_story(source_name="Wire")).ok
    both = good_story(source_name="Wire", source_url="https://wire.example/1")
    assert check(both).message == "Credited to Wire."


def test_checks_warn_by_default(settings):
    settings.NEWSROOM_PUBLISH_BLOCKING_CHECKS = []
    story = good_story(dek="", tags=[])
    assert checklist.blocking_failures(story) == []
    assert not any(r.blocking for r in checklist.run(story))


def test_the_setting_makes_chosen_checks_block(settings):
    settings.NEWSROOM_PUBLISH_BLOCKING_CHECKS = ["dek_present", "go_deeper"]
    failures = checklist.blocking_failures(good_story(dek="", tags=[]))
    assert [f.name for f in failures] == ["dek_present"]
    assert checklist.refusal_message(failures).startswith("Not published: Dek:")


def test_a_misspelt_blocking_check_is_an_error(settings):
    settings.NEWSROOM_PUBLISH_BLOCKING_CHECKS = ["dek"]
    with pytest.raises(ImproperlyConfigured, match="unknown"):
        checklist.run(good_story())
