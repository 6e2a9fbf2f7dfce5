from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TagsConfig(AppConfig):
    name = "tags"
    verbose_name = _("Tags")

    def ready(self):
        from tags import changes

        # Changes readers may see are sent as tags/signals.py's signals.
        changes.connect()
