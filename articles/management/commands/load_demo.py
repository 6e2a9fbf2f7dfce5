from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from articles import demo_content
from articles.models import Article, Author, Byline, LeadIn, Section, Status

# Demo only: these passwords are printed in the README and must never reach
# a production database.
DEMO_STAFF = [
    # username, password, group, is_superuser
    ("admin", "cupure-admin", None, True),
    ("editor", "cupure-editor", "Editors", False),
    ("journalist", "cupure-journalist", "Journalists", False),
    ("moderator", "cupure-moderator", "Moderators", False),
]

GROUP_PERMISSIONS = {
    "Editors": [
        ("articles", "add_article"),
        ("articles", "change_article"),
        ("articles", "delete_article"),
        ("articles", "view_article"),
        ("articles", "publish_article"),
        ("articles", "add_byline"),
        ("articles", "change_byline"),
        ("articles", "delete_byline"),
        ("articles", "view_byline"),
        ("articles", "add_section"),
        ("articles", "change_section"),
        ("articles", "view_section"),
        ("articles", "add_author"),
        ("articles", "change_author"),
        ("articles", "view_author"),
        ("articles", "add_leadin"),
        ("articles", "change_leadin"),
        ("articles", "delete_leadin"),
        ("articles", "view_leadin"),
        ("tags", "add_tag"),
        ("tags", "change_tag"),
        ("tags", "delete_tag"),
        ("tags", "view_tag"),
        ("tags", "add_tagalias"),
        ("tags", "change_tagalias"),
        ("tags", "delete_tagalias"),
        ("tags", "view_tagalias"),
        ("tags", "view_tagredirect"),
    ],
    "Journalists": [
        ("articles", "add_article"),
        ("articles", "change_article"),
        ("articles", "view_article"),
        ("articles", "add_byline"),
        ("articles", "change_byline"),
        ("articles", "delete_byline"),
        ("articles", "view_byline"),
        ("articles", "view_section"),
        ("articles", "view_author"),
        ("articles", "view_leadin"),
        ("tags", "add_tag"),
        ("tags", "view_tag"),
    ],
    "Moderators": [],
}


def story_body(story: dict, go_deeper: Article) -> str:
    paragraphs = format_html_join(
        "",
        "<p>{}{}</p>",
        (
            (
                format_html('<strong class="lead-in">{}</strong> ', lead_in)
                if lead_in
                else "",
                text,
            )
            for lead_in, text in story["body"]
        ),
    )
    return paragraphs + format_html(
        '<p><strong class="lead-in">Go deeper:</strong> <a href="{}">{}</a></p>',
        go_deeper.get_absolute_url(),
        go_deeper.headline,
    )


class Command(BaseCommand):
    help = "Load the Cupure demo: sections, authors, stories and staff. Idempotent."

    @transaction.atomic
    def handle(self, *args, **options):
        for position, data in enumerate(demo_content.SECTIONS):
            Section.objects.update_or_create(
                slug=data["slug"],
                defaults={
                    "name": data["name"],
                    "description": data["description"],
                    "position": position,
                },
            )
        for data in demo_content.AUTHORS:
            Author.objects.update_or_create(
                slug=data["slug"], defaults={"name": data["name"], "bio": data["bio"]}
            )
        for position, label in enumerate(demo_content.LEAD_INS):
            LeadIn.objects.get_or_create(label=label, defaults={"position": position})

        sections = {section.slug: section for section in Section.objects.all()}
        authors = {author.slug: author for author in Author.objects.all()}
        now = timezone.now()
        articles = {}
        for data in demo_content.STORIES:
            article, created = Article.objects.get_or_create(
                slug=data["slug"],
                defaults={
                    "headline": data["headline"],
                    "section": sections[data["section"]],
                    "status": Status.PUBLISHED,
                    "published_at": now - timedelta(hours=data["hours_ago"]),
                },
            )
            article.headline = data["headline"]
            article.dek = data["dek"]
            article.section = sections[data["section"]]
            article.source_name = data["source_name"]
            article.source_url = data["source_url"]
            article.save()
            Byline.objects.filter(article=article).delete()
            Byline.objects.bulk_create(
                Byline(article=article, author=authors[slug], position=position)
                for position, slug in enumerate(data["authors"])
            )
            article.tags.set(data["tags"])
            articles[data["slug"]] = article

        # Bodies link to each other ("Go deeper:"), so they go in once every
        # story has its address.
        for data in demo_content.STORIES:
            article = articles[data["slug"]]
            article.body = story_body(data, articles[data["go_deeper"]])
            article.save(update_fields=["body"])

        # Demo stories were written once; they show no "Updated" time.
        Article.objects.filter(pk__in=[a.pk for a in articles.values()]).update(
            updated_at=F("published_at")
        )
        self._load_staff(authors)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: {len(sections)} sections, {len(authors)} authors, "
                f"{len(articles)} stories."
            )
        )
        self.stdout.write(
            "Demo staff accounts (demo only) — log in at "
            + reverse("admin:index")
            + ":"
        )
        for username, password, group, _superuser in DEMO_STAFF:
            self.stdout.write(f"  {username:<11} {password:<18} {group or 'superuser'}")

    def _load_staff(self, authors):
        user_model = get_user_model()
        for group_name, codenames in GROUP_PERMISSIONS.items():
            group, _ = Group.objects.get_or_create(name=group_name)
            group.permissions.set(
                Permission.objects.get(content_type__app_label=app, codename=codename)
                for app, codename in codenames
            )
        for username, password, group_name, is_superuser in DEMO_STAFF:
            user, _ = user_model.objects.get_or_create(username=username)
            user.email = f"{username}@cupure.example"
            user.is_staff = True
            user.is_superuser = is_superuser
            user.set_password(password)
            user.save()
            if group_name:
                user.groups.set([Group.objects.get(name=group_name)])
        # The demo journalist writes under the first demo byline.
        first_author = next(iter(authors.values()))
        if first_author.user_id is None:
            first_author.user = user_model.objects.get(username="journalist")
            first_author.save(update_fields=["user"])
