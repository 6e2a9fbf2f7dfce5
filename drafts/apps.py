from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DraftsConfig(AppConfig):
    name = "drafts"
    verbose_name = _("Autosaved drafts")

    def ready(self):
        from reversion.signals import post_revision_commit

        from drafts.services import autosave_forget_saved

        # A real save (a new revision) makes the saver's draft copy redundant.
        post_revision_commit.connect(autosave_forget_saved)
