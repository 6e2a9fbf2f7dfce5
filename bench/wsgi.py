"""The benchmark's WSGI app: the project as `newsroom.wsgi` serves it, plus the
fixed ceiling page through Django's default `startproject` middleware at
/bench/django-ceiling/, in the same gunicorn workers.

That second page is the reference bench/run.py divides by: what a bare Django
costs for a fixed page on this machine, so our own middleware's price shows
(our ceiling page at /bench/ceiling/ pays all of it)."""

import os

from django.core.handlers.wsgi import WSGIHandler
from django.test.utils import override_settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

from newsroom.wsgi import application as newsroom  # noqa: E402 (settings first)

DJANGO_CEILING = "/bench/django-ceiling/"
# `django-admin startproject` settings.py, Django 5.2.
STARTPROJECT_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]


class StartprojectHandler(WSGIHandler):
    """Django's WSGI handler with the startproject middleware chain."""

    def load_middleware(self, is_async=False):
        with override_settings(MIDDLEWARE=STARTPROJECT_MIDDLEWARE):
            super().load_middleware(is_async)


startproject = StartprojectHandler()


def application(environ, start_response):
    if environ.get("PATH_INFO") == DJANGO_CEILING:
        # The same fixed page (newsroom/urls.py), another middleware chain.
        environ["PATH_INFO"] = "/bench/ceiling/"
        return startproject(environ, start_response)
    return newsroom(environ, start_response)
