import factory

from accounts.models import ReaderProfile
from tests.factories import UserFactory


class ReaderFactory(UserFactory):
    """A reader account with its profile (display name)."""

    username = factory.Sequence(lambda n: f"reader{n}@example.com")
    email = factory.LazyAttribute(lambda user: user.username)

    @factory.post_generation
    def profile(self, create, extracted, **kwargs):
        if create:
            ReaderProfile.objects.get_or_create(
                user=self, defaults={"display_name": f"Reader {self.pk}"}
            )
