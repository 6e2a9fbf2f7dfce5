"""`manage.py check --deploy`: no development shortcut left on in production."""

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def webhook_settings_check(app_configs, **kwargs):
    found = []
    if settings.NEWSROOM_WEBHOOKS_ALLOW_HTTP:
        found.append(
            Warning(
                "NEWSROOM_WEBHOOKS_ALLOW_HTTP is on: webhooks may go out unencrypted.",
                hint="Set NEWSROOM_WEBHOOKS_ALLOW_HTTP=0 in production.",
                id="webhooks.W001",
            )
        )
    if settings.NEWSROOM_WEBHOOKS_ALLOWED_PRIVATE_HOSTS:
        hosts = ", ".join(settings.NEWSROOM_WEBHOOKS_ALLOWED_PRIVATE_HOSTS)
        found.append(
            Warning(
                "NEWSROOM_WEBHOOKS_ALLOWED_PRIVATE_HOSTS lets webhooks reach "
                f"private addresses: {hosts}.",
                hint="Leave it empty unless the receiver really is on your network.",
                id="webhooks.W002",
            )
        )
    return found
