from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "live"
    verbose_name = _("Live coverage")

    def ready(self):
        from live import changes
        from pagecache import store

        # Changes readers may see are sent as live/signals.py's signals.
        changes.connect()
        # No cached page or card outlives coverage starting or ending.
        store.go_live_from(changes.next_start_or_end)
