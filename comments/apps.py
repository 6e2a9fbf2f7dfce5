from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Comments")

    def ready(self):
        from accounts import signals as accounts_signals
        from comments import changes, signals

        uid = "comments"
        accounts_signals.reader_data_requested.connect(
            signals.reader_data_requested, dispatch_uid=uid
        )
        accounts_signals.reader_closing.connect(
            signals.reader_closing, dispatch_uid=uid
        )
        # Changes readers may see are sent as `signals.thread_changed`.
        changes.connect()
