import factory
from factory.django import DjangoModelFactory

from comments.models import Comment, CommentStatus
from tests.accounts.factories import ReaderFactory
from tests.factories import ArticleFactory


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
