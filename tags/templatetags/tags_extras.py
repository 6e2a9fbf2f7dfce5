from django import template
from django.conf import settings

from tags.models import Tag

register = template.Library()


@register.inclusion_tag("includes/trending_strip.html")
def trending_strip():
    """The strip of tags of the moment under the masthead: one query."""
    return {
        "tags": Tag.objects.trending(
            days=settings.NEWSROOM_TRENDING_DAYS, limit=settings.NEWSROOM_TRENDING_TAGS
        )
    }
