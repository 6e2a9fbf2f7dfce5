from django import template

from tags.services import trending_tags

register = template.Library()


@register.inclusion_tag("includes/trending_strip.html")
def trending_strip():
    """The strip of tags of the moment under the masthead (cached)."""
    return {"tags": trending_tags()}
