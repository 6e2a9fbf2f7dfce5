from django.conf import settings

from articles.models import Section


def site(request):
    """The publication's name and its sections, for the masthead and footer."""
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "site_tagline": settings.NEWSROOM_SITE_TAGLINE,
        "nav_sections": Section.objects.all(),
    }
