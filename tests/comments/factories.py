import factory
from factory.django import DjangoModelFactory

from comments.models import Comment, CommentStatus, ReaderProfile
from tests.factories import ArticleFactory, UserFactory


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


class CommentFactory(DjangoModelFactory):
    class Meta:
        model = Comment
        skip_postgeneration_save = True

    article = factory.SubFactory(ArticleFactory, published=True)
    author = factory.SubFactory(ReaderFactory)
    parent = None
    body = factory.Faker("sentence", nb_words=12)
    status = CommentStatus.APPROVED
    depth = factory.LazyAttribute(lambda c: c.parent.depth + 1 if c.parent else 0)

    @factory.post_generation
    def thread_root(self, create, extracted, **kwargs):
        if create and self.root_id is None:
            self.root_id = self.parent.root_id if self.parent else self.pk
            Comment.objects.filter(pk=self.pk).update(root_id=self.root_id)
