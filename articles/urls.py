from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.headlines, name="headlines"),
    path("search/", views.search, name="search"),
    path("preview/<int:pk>/", views.article_preview, name="preview"),
    path("preview/s/<str:token>/", views.article_preview_by_link, name="preview_link"),
    path("authors/<slug:slug>/", views.author_detail, name="author"),
    path("<slug:section>/", views.section_detail, name="section"),
    path(
        "<slug:section>/<int:year>/<int:month>/<int:day>/<slug:slug>/",
        views.article_detail,
        name="detail",
    ),
]
