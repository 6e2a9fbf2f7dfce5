from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponse
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from django.views.static import serve

from api.views import api
from articles.sitemaps import SITEMAPS, news_sitemap, robots_txt
from newsroom.health import healthz, readyz
from newsroom.security import csp_report
from pagecache import keys
from pagecache.store import depends

# Stories, sections, tags and authors all invalidate SITEMAPS when they change.
sitemap = depends(keys.SITEMAPS)

# The admin's titles come from NEWSROOM_SITE_NAME: see newsroom/admin_site.py.

urlpatterns = [
    path(
        "favicon.ico",
        RedirectView.as_view(url=lazy(static, str)("img/favicon.svg"), permanent=True),
    ),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("tags/", include("tags.urls")),
    path("feeds/", include("articles.feed_urls")),
    path(
        "sitemap.xml",
        sitemap(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap-index",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("news-sitemap.xml", sitemap(news_sitemap), name="news-sitemap"),
    path("robots.txt", robots_txt, name="robots"),
    path("csp-report/", csp_report, name="csp-report"),
    path("comments/", include("comments.urls")),
    path("live/", include("live.urls")),
    path("accounts/", include("accounts.urls")),
    path("newsletters/", include("newsletters.urls")),
    path("api/v1/", api.urls),
]

if settings.DEBUG:
    urlpatterns.append(
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:path>",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    )

if settings.NEWSROOM_BENCH_CEILING:
    # The benchmark's yardstick: a fixed page through the same middleware.
    _CEILING = "<!doctype html><title>ceiling</title>" + "<p>" + "x" * 30_000 + "</p>"
    urlpatterns.append(path("bench/ceiling/", lambda request: HttpResponse(_CEILING)))

# Last: section slugs live at the top level.
urlpatterns.append(path("", include("articles.urls")))
