"""Machine-readable times in templates (loaded as `newsroom_time`)."""

from datetime import date, datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def datetime_attr(value) -> str:
    """`value` for a `datetime` attribute: ISO 8601 in the current time zone,
    to the second, with its offset (HTML allows at most three fractional
    digits; `|date:'c'` writes six)."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return ""
