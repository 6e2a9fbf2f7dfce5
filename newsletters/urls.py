from django.urls import path

from newsletters import views

app_name = "newsletters"

urlpatterns = [
    path("", views.newsletter_list, name="list"),
    path("sent/", views.subscribe_sent, name="sent"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("events/", views.provider_event, name="events"),
    # An API provider's event webhook (django-anymail).
    path(
        "provider/<slug:provider>/tracking/",
        views.provider_tracking,
        name="provider_tracking",
    ),
    path("<slug:slug>/archive/", views.archive, name="archive"),
    path("<slug:slug>/archive/<int:edition_id>/", views.edition_page, name="edition"),
]
