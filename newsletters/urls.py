from django.urls import include, path

from newsletters import views

app_name = "newsletters"

urlpatterns = [
    path("", views.newsletter_list, name="list"),
    path("sent/", views.subscribe_sent, name="sent"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("events/", views.provider_event, name="events"),
    # An API provider's event webhooks (django-anymail): bounces and
    # complaints reach signals.provider_tracking_event.
    path("provider/", include((views.provider_webhooks(), "anymail"))),
    path("<slug:slug>/archive/", views.archive, name="archive"),
    path("<slug:slug>/archive/<int:edition_id>/", views.edition_page, name="edition"),
]
