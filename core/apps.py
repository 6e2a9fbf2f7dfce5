from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The ground floor every app may import: roles, pagination, admin and
    text helpers, the resilient cache backend, the job retry helper and the
    CSP and time template tags. It has no models and imports no app."""

    name = "core"
    verbose_name = "Core"
