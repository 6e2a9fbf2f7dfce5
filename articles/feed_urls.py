from django.urls import path

from articles.feeds import AuthorFeed, LatestStoriesFeed, SectionFeed, TagFeed, atom

app_name = "feeds"

urlpatterns = [
    path("latest/rss/", LatestStoriesFeed(), name="latest"),
    path("latest/atom/", atom(LatestStoriesFeed)(), name="latest-atom"),
    path("section/<slug:slug>/rss/", SectionFeed(), name="section"),
    path("section/<slug:slug>/atom/", atom(SectionFeed)(), name="section-atom"),
    path("tag/<str:slug>/rss/", TagFeed(), name="tag"),
    path("tag/<str:slug>/atom/", atom(TagFeed)(), name="tag-atom"),
    path("author/<slug:slug>/rss/", AuthorFeed(), name="author"),
    path("author/<slug:slug>/atom/", atom(AuthorFeed)(), name="author-atom"),
]
