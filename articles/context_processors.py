from django.conf import settings
from django.utils.functional import SimpleLazyObject

from articles.models import Section
from pagecache import keys, store


def nav_sections() -> list[dict]:
    """The sections in the masthead and footer, each its pk, name and
    address: kept until one changes (every page shows them twice, so the
    addresses are worked out once)."""
    return store.fragment(
        "nav-links",
        [keys.NAV],
        lambda: [
            {"pk": section.pk, "name": section.name, "url": section.get_absolute_url()}
            for section in Section.objects.all()
        ],
    )


def site(request):
    """The publication's name and its sections, for the masthead and footer."""
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "site_tagline": settings.NEWSROOM_SITE_TAGLINE,
        # Read only by a page that shows them (not the admin's).
        "nav_sections": SimpleLazyObject(nav_sections),
    }
