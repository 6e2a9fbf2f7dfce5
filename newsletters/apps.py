from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewslettersConfig(AppConfig):
    name = "newsletters"
    verbose_name = _("Newsletters")

    def ready(self):
        from accounts import signals as accounts_signals
        from newsletters import changes, signals

        changes.connect()

        uid = "newsletters"
        accounts_signals.reader_data_requested.connect(
            signals.reader_data_requested, dispatch_uid=uid
        )
        accounts_signals.reader_closing.connect(
            signals.reader_closing, dispatch_uid=uid
        )
        # Bounces and complaints an API provider reports (django-anymail).
        from anymail.signals import tracking

        tracking.connect(signals.provider_tracking_event, dispatch_uid=uid)
