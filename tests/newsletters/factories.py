import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from newsletters.models import Newsletter, Subscription, SubscriptionStatus


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
