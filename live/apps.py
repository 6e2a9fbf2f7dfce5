from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "live"
    verbose_name = _("Live coverage")

    def ready(self):
        from live import changes

        # Changes readers may see are sent as live/signals.py's signals.
        changes.connect()
