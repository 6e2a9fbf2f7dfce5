import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from live.models import LiveCoverage, LiveEntry
from tests.factories import ArticleFactory


class LiveCoverageFactory(DjangoModelFactory):
    class Meta:
        model = LiveCoverage

    story = factory.SubFactory(
        ArticleFactory, published=True, headline="Storm hits the harbour: live"
    )
    starts_at = factory.LazyFunction(
        lambda: timezone.now() - timezone.timedelta(hours=1)
    )


class LiveEntryFactory(DjangoModelFactory):
    class Meta:
        model = LiveEntry

    coverage = factory.SubFactory(LiveCoverageFactory)
    body = factory.Sequence(
        lambda n: (
            f'<p><strong class="lead-in">Update {n}:</strong> '
            "The harbour wall is holding as the tide turns.</p>"
        )
    )


def library_image(by, alt_text="Volunteers fill sandbags on the quay", **fields):
    """A picture in the image library, cut into renditions (the immediate
    task backend), as the live desk picks them."""
    from images.imaging import check_and_clean
    from images.services import image_create
    from tests.images import picture_bytes

    return image_create(
        upload=check_and_clean("quay.jpg", picture_bytes((1600, 900))),
        by=by,
        title=fields.pop("title", "Quay"),
        alt_text=alt_text,
        **fields,
    )
