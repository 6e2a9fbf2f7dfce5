from django.urls import path

from comments import views

app_name = "comments"

urlpatterns = [
    path("story/<int:article_pk>/", views.post_comment, name="post"),
    path("<int:pk>/", views.thread, name="thread"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/report/", views.report, name="report"),
]
