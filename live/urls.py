from django.urls import path

from live import feeds, views

app_name = "live"

urlpatterns = [
    path(
        "<int:story_id>/after/<int:last_id>/",
        views.entries_after,
        name="after",
    ),
    path("<int:story_id>/feed/", feeds.live_feed, name="feed"),
]
