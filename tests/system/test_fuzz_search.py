"""Reader search, fed anything a query string can carry: tsquery syntax,
NUL and other control characters, lone surrogates, very long text. Neither the
queryset nor the page ever fails. Runs on whichever database DATABASE_URL
names."""

from urllib.parse import quote

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from articles.models import Article
from articles.search import snippet
from tests.factories import ArticleFactory, TagFactory
from tests.fuzzing import text_with_controls, text_with_surrogates

_TSQUERY = list("&|!():*'\"\\<>-") + [" or ", " OR ", " and ", "<->", "<2>", ":*"]
_WORDS = ["harbour", "council", "vote", "summit", "the", "a", "x"]
query_pieces = st.one_of(
    st.sampled_from(_TSQUERY),
    st.sampled_from(_WORDS),
    text_with_controls,
    text_with_surrogates,
)
queries = st.one_of(
    st.lists(query_pieces, max_size=10).map("".join),
    st.text(max_size=10).map(lambda s: s * 1000),
)
HOSTILE_QUERIES = [
    "\x00",
    "harbour\x00council",
    "\ud800",
    "harbour \udfff vote",
    "'",
    "\\",
    "!",
    "&&&",
    "(((",
    "council:*",
    "a <-> b",
    '"unterminated',
    "-" * 50,
    "x" * 100_000,
    "harbour " * 5000,
]


@pytest.fixture
def stories(db):
    tag = TagFactory(name="harbour summit")
    return [
        ArticleFactory(published=True, tags=[tag]),
        ArticleFactory(published=True, headline="Harbour council's vote: 9 to 2"),
        ArticleFactory(published=True, body="<p>Back\\slash &amp; 'quotes'</p>"),
    ]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_search_queryset_takes_any_query(stories, query):
    for article in Article.objects.published().search(query)[:20]:
        snippet(article, query)


def test_search_queryset_takes_any_generated_query(stories):
    @given(queries)
    def search(query):
        for article in Article.objects.published().search(query)[:20]:
            snippet(article, query)

    search()


def _search_url(query: str) -> str:
    # Lone surrogates travel as the bytes a careless client would send.
    return "/search/?q=" + quote(query.encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_search_page_answers_any_query(client, stories, query):
    response = client.get(_search_url(query))
    assert response.status_code == 200


def test_search_page_answers_any_generated_query(client, stories):
    @given(queries, st.sampled_from(["", "&page=2", "&section=x", "&since=0"]))
    @example("%FF%C3%28%00", "")
    def search(query, extra):
        response = client.get(_search_url(query) + extra)
        assert response.status_code == 200

    search()
