"""Readers' comments, fed hostile text: what they typed is shown as typed,
never as markup; only http(s) addresses become links; nothing invisible is
stored."""

import re
import unicodedata
from html.parser import HTMLParser

from hypothesis import example, given
from hypothesis import strategies as st

from comments.services import clean_comment_text
from comments.templatetags.comments_extras import comment_text
from tests.fuzzing import hostile_html, text_with_controls, text_with_surrogates

_URLS = st.sampled_from(
    [
        "http://example.com",
        "https://example.com/a?b=1&c=2",
        "HTTPS://EXAMPLE.COM/",
        'https://example.com/"onmouseover=alert(1)//',
        "https://example.com/'><script>alert(1)</script>",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "www.example.com",
        "http://",
        "https://example.com/&amp;",
        "https://example.com/&",
        '"https://example.com".',
        "(https://example.com/x_(y))",
        "https://example.com/;",
    ]
)
comment_bodies = st.lists(
    st.one_of(hostile_html, _URLS, st.sampled_from(["\n", "\n\n", "\r\n", " "])),
    max_size=8,
).map("".join)


class _Rendered(HTMLParser):
    """The text a reader sees, and the tags and links around it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.tags: list[str] = []
        self.links: list[dict[str, str | None]] = []
        self.link_texts: list[str] = []
        self._in_link = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "p" and self.tags.count("p") > 1:
            self.text += "\n\n"
        elif tag == "br":
            self.text += "\n"
        elif tag == "a":
            self.links.append(dict(attrs))
            self.link_texts.append("")
            self._in_link = True

    def handle_endtag(self, tag):
        if tag == "a":
            self._in_link = False

    def handle_data(self, data):
        self.text += data
        if self._in_link:
            self.link_texts[-1] += data

    def handle_comment(self, data):
        self.tags.append("!--")


def render(text: str) -> _Rendered:
    parser = _Rendered()
    parser.feed(str(comment_text(text)))
    parser.close()
    return parser


def paragraphs(text: str) -> str:
    return "\n\n".join(p for p in re.split(r"\n{2,}", text) if p)


@given(comment_bodies)
@example("<script>alert(1)</script>")
@example('see "https://example.com".')
@example("https://example.com/&")
@example("https://example.com/'")
def test_comment_shows_exactly_what_was_typed(body):
    rendered = render(body)
    assert set(rendered.tags) <= {"p", "br", "a"}, comment_text(body)
    assert rendered.text == paragraphs(body)


@given(comment_bodies)
@example("javascript:alert(1) data:text/html,x vbscript:x")
def test_only_web_addresses_become_links(body):
    rendered = render(body)
    for attrs, text in zip(rendered.links, rendered.link_texts, strict=True):
        assert set(attrs) == {"href", "rel"}
        assert re.match(r"https?://", attrs["href"], re.IGNORECASE)
        assert attrs["href"] == text
        assert "nofollow" in attrs["rel"].split()


@given(st.one_of(comment_bodies, text_with_controls, text_with_surrogates))
@example("a\x00b\x1b[31mred\u202egnp.exe\r\n\tc")
def test_stored_comment_has_no_invisible_characters(body):
    cleaned = clean_comment_text(body)
    assert all(
        char == "\n" or not unicodedata.category(char).startswith("C")
        for char in cleaned
    ), repr(cleaned)
    assert cleaned == cleaned.strip()
    assert "\n\n\n" not in cleaned
    assert clean_comment_text(cleaned) == cleaned
    rendered = str(comment_text(cleaned))
    assert not any(unicodedata.category(char) == "Cc" for char in rendered)
