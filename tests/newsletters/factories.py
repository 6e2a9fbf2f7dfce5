import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from newsletters.models import (
    Edition,
    EditionItem,
    Newsletter,
    Subscription,
    SubscriptionStatus,
)
from tests.factories import ArticleFactory


class NewsletterFactory(DjangoModelFactory):
    class Meta:
        model = Newsletter

    name = factory.Sequence(lambda n: f"Morning Brief {n}")
    slug = factory.Sequence(lambda n: f"morning-brief-{n}")
    description = "The five stories you need before work, in five minutes."
    schedule = "Weekdays at 7:00"
    position = factory.Sequence(int)


class SubscriptionFactory(DjangoModelFactory):
    class Meta:
        model = Subscription

    newsletter = factory.SubFactory(NewsletterFactory)
    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    status = SubscriptionStatus.CONFIRMED
    confirmed_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == SubscriptionStatus.CONFIRMED else None
    )


class EditionFactory(DjangoModelFactory):
    class Meta:
        model = Edition

    newsletter = factory.SubFactory(NewsletterFactory)
    subject = factory.Sequence(lambda n: f"Harbour vote, ferries and more ({n})")
    intro = "Good morning. Three things to know today."


class EditionItemFactory(DjangoModelFactory):
    class Meta:
        model = EditionItem

    edition = factory.SubFactory(EditionFactory)
    story = factory.SubFactory(ArticleFactory, published=True)
    position = factory.Sequence(int)
    include_dek = True
    lead_ins = 1
