import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone
from factory.django import DjangoModelFactory

from articles.models import Article, Author, Byline, Section, Status
from tags.models import Tag

# Every factory-made account's password, for tests that log in with it.
PASSWORD = "correct-horse-battery"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def permissions(self, create, extracted, **kwargs):
        """`permissions=["articles.publish_article", ...]` grants those."""
        if not create or not extracted:
            return
        for dotted in extracted:
            app_label, codename = dotted.split(".")
            self.user_permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            )


ARTICLE_AUTHORING = [
    "articles.add_article",
    "articles.change_article",
    "articles.view_article",
    "articles.add_byline",
    "articles.change_byline",
    "articles.delete_byline",
    "articles.view_byline",
    "articles.view_section",
    "articles.view_author",
]
EDITOR_PERMISSIONS = [*ARTICLE_AUTHORING, "articles.publish_article"]


class SectionFactory(DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")
    description = "Stories from one desk of the newsroom."


class AuthorFactory(DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Faker("name")
    slug = factory.Sequence(lambda n: f"author-{n}")
    bio = "Covers the region for the newsroom."


class TagFactory(DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"topic {n}")


class ArticleFactory(DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline = factory.Faker("sentence", nb_words=7)
    slug = factory.Sequence(lambda n: f"story-{n}")
    dek = factory.Faker("sentence", nb_words=14)
    body = factory.LazyFunction(
        lambda: (
            '<p><strong class="lead-in">Why it matters:</strong> A council vote '
            "decides how the harbour is run for a decade.</p>"
            "<p>The vote is due on Thursday.</p>"
        )
    )
    section = factory.SubFactory(SectionFactory)
    status = Status.DRAFT

    class Params:
        published = factory.Trait(
            status=Status.PUBLISHED,
            published_at=factory.LazyFunction(
                lambda: timezone.now() - timezone.timedelta(hours=1)
            ),
        )
        scheduled = factory.Trait(
            status=Status.PUBLISHED,
            published_at=factory.LazyFunction(
                lambda: timezone.now() + timezone.timedelta(days=1)
            ),
        )
        unpublished = factory.Trait(
            status=Status.UNPUBLISHED,
            published_at=factory.LazyFunction(
                lambda: timezone.now() - timezone.timedelta(days=1)
            ),
        )

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        """`authors=[a, b]` adds bylines in that order; by default one new author."""
        if not create:
            return
        for position, author in enumerate(extracted or [AuthorFactory()]):
            Byline.objects.create(article=self, author=author, position=position)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


def hidden_stories(**kwargs):
    """A draft, a scheduled and a withdrawn story that must never show."""
    return [
        ArticleFactory(headline="Secret draft about ferries", **kwargs),
        ArticleFactory(scheduled=True, headline="Embargoed ferries story", **kwargs),
        ArticleFactory(unpublished=True, headline="Withdrawn ferries story", **kwargs),
    ]
