from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagecacheConfig(AppConfig):
    """The page cache: no models; it hears what changed from the apps that
    own it (their `signals` modules) and names the keys that go stale."""

    name = "pagecache"
    verbose_name = _("Page cache")

    def ready(self):
        from pagecache import signals

        signals.connect()
