from django.conf import settings
from django.utils.functional import SimpleLazyObject

from articles.models import Section
from pagecache import keys, store


def nav_sections() -> list[Section]:
    """The sections in the masthead and footer: kept until one changes."""
    return store.fragment(
        "nav-sections", [keys.NAV], lambda: list(Section.objects.all())
    )


def site(request):
    """The publication's name and its sections, for the masthead and footer."""
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "site_tagline": settings.NEWSROOM_SITE_TAGLINE,
        # Read only by a page that shows them (not the admin's).
        "nav_sections": SimpleLazyObject(nav_sections),
    }
