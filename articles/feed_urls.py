from django.urls import path

from articles.feeds import AuthorFeed, LatestStoriesFeed, SectionFeed, TagFeed, atom
from pagecache import keys
from pagecache.store import depends

app_name = "feeds"

# Every change to a live story invalidates FEEDS (see pagecache/signals.py).
feed = depends(keys.FEEDS)

urlpatterns = [
    path("latest/rss/", feed(LatestStoriesFeed()), name="latest"),
    path("latest/atom/", feed(atom(LatestStoriesFeed)()), name="latest-atom"),
    path("section/<slug:slug>/rss/", feed(SectionFeed()), name="section"),
    path("section/<slug:slug>/atom/", feed(atom(SectionFeed)()), name="section-atom"),
    path("tag/<str:slug>/rss/", feed(TagFeed()), name="tag"),
    path("tag/<str:slug>/atom/", feed(atom(TagFeed)()), name="tag-atom"),
    path("author/<slug:slug>/rss/", feed(AuthorFeed()), name="author"),
    path("author/<slug:slug>/atom/", feed(atom(AuthorFeed)()), name="author-atom"),
]
