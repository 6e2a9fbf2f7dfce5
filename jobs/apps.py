from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    """The job worker (`manage.py db_worker`) and the leases it holds."""

    name = "jobs"
    verbose_name = _("Background jobs")
