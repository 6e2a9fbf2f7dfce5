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
