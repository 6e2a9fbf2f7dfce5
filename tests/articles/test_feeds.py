"""Feeds show journalists' text as text: a reader that renders each field as
the type the feed declares sees exactly what was typed, and no markup."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory
from tests.feeds import feed_urls, hostile_newsroom, parse, reader_fields
from tests.fuzzing import SCRIPT_PAYLOADS

pytestmark = pytest.mark.django_db


class _Reader(HTMLParser):
    """What a browser would show of an HTML fragment, and the elements in it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.elements = [], []

    def handle_starttag(self, tag, attrs):
        self.elements.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.elements.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def shown(field) -> tuple[str, list[str]]:
    if field.kind == "text":
        return field.value, []
    reader = _Reader()
    reader.feed(field.value)
    reader.close()
    return "".join(reader.text), reader.elements


def test_feeds_with_markup_in_every_field_parse_and_show_it_as_text(client):
    newsroom = hostile_newsroom()
    by_path = {article.get_absolute_url(): article for article in newsroom["articles"]}
    names = {author.name for author in newsroom["authors"]}
    categories = {s.name for s in newsroom["sections"]} | {
        t.name for t in newsroom["tags"]
    }
    checked = 0
    for url in feed_urls(newsroom):
        response = client.get(url)
        assert response.status_code == 200, url
        parsed = parse(response.content)
        assert not parsed.bozo, (url, parsed.get("bozo_exception"))
        assert parsed.entries, url
        for field in reader_fields(url, parsed):
            text, elements = shown(field)
            assert elements == [], field
            if field.name.startswith("feed"):
                continue
            entry = parsed.entries[int(field.name.split()[1])]
            article = by_path[entry.link.removeprefix("http://testserver")]
            if field.name.endswith("title"):
                assert text == article.headline, field
            elif field.name.endswith("summary"):
                assert text == article.summary, field
            elif field.name.endswith("author"):
                assert text in names, field
            elif field.name.endswith("category"):
                assert text in categories, field
            checked += 1
    # 17 payloads, two stories each: 34 stories; the site's feeds show 30.
    assert checked > 2 * 30 * 4


def test_story_summary_from_the_body_is_the_text_readers_see():
    article = hostile_newsroom()["articles"][1]
    assert article.dek == ""
    assert article.summary.startswith(SCRIPT_PAYLOADS[0].split("<")[0].strip())
    assert "&lt;" not in article.summary and "&amp;" not in article.summary


def test_characters_xml_cannot_carry_are_dropped_not_a_broken_feed(client):
    pasted = "Harbour\x0btalks\x01 resume\x1b"
    section = SectionFactory(name="World\x0c news", slug="world")
    author = AuthorFactory(name="Ines\x08 Okafor", slug="ines")
    tag = TagFactory(name="ferries")
    ArticleFactory(
        published=True,
        headline=pasted,
        dek="Day two\x1f of talks.",
        section=section,
        authors=[author],
        tags=[tag],
    )
    urls = [
        reverse(f"feeds:{name}{suffix}", args=args)
        for suffix in ("", "-atom")
        for name, args in (
            ("latest", []),
            ("section", [section.slug]),
            ("tag", [tag.slug]),
            ("author", [author.slug]),
        )
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        parsed = parse(response.content)
        assert not parsed.bozo, (url, parsed.get("bozo_exception"))
        (entry,) = parsed.entries
        assert entry.title == "Harbourtalks resume", url
        assert entry.summary == "Day two of talks.", url
        assert entry.author == "Ines Okafor", url
        assert {t.term for t in entry.tags} == {"World news", "ferries"}, url
