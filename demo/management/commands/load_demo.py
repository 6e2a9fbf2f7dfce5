from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from accounts.services import reader_create
from articles.models import (
    Article,
    Author,
    Byline,
    Correction,
    FrontPageSlot,
    LeadIn,
    RelatedLink,
    Section,
    Status,
)
from comments.models import Comment, CommentStatus
from demo import content
from images.imaging import check_and_clean
from images.models import Image
from images.services import image_create
from live.models import LiveCoverage, LiveEntry
from newsletters.models import (
    Edition,
    EditionItem,
    EditionStatus,
    Newsletter,
    Subscription,
    SubscriptionStatus,
)

# Sections, authors, lead-ins and stories have no create services: the admin
# saves them as forms, and so are they written here, straight to the models.
# Stories are written published with times in the past (article_publish only
# publishes now or later), and the discussion is written approved (comment_post
# would hold or rate-limit it); both as the loader has always done.


class Command(BaseCommand):
    help = "Load the Cupure demo: sections, authors, stories and staff. Idempotent."

    @transaction.atomic
    def handle(self, *args, **options):
        demo = content.load()
        for position, data in enumerate(demo["sections"]):
            Section.objects.update_or_create(
                slug=data["slug"],
                defaults={
                    "name": data["name"],
                    "description": data["description"],
                    "position": position,
                },
            )
        for data in demo["authors"]:
            Author.objects.update_or_create(
                slug=data["slug"], defaults={"name": data["name"], "bio": data["bio"]}
            )
        for position, label in enumerate(demo["lead_ins"]):
            LeadIn.objects.get_or_create(label=label, defaults={"position": position})

        sections = {section.slug: section for section in Section.objects.all()}
        authors = {author.slug: author for author in Author.objects.all()}
        articles = self._load_stories(demo["stories"], sections, authors)
        self._load_staff(demo["staff"], authors)
        self._load_workflow(demo, sections, authors, articles)
        self._load_live(demo["live"], articles)
        self._load_newsletters(demo["newsletters"], articles)
        self._print_accounts(demo, sections, authors, articles)

    def _load_stories(self, stories, sections, authors):
        now = timezone.now()
        articles = {}
        for data in stories:
            article, _ = Article.objects.get_or_create(
                slug=data["slug"],
                defaults={
                    "headline": data["headline"],
                    "section": sections[data["section"]],
                    "status": Status.PUBLISHED,
                    "published_at": now - timedelta(hours=data["hours_ago"]),
                },
            )
            article.body = content.story_body(data)
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

        # Stories link to each other ("Go deeper:") once they all exist.
        for data in stories:
            RelatedLink.objects.update_or_create(
                article=articles[data["slug"]],
                position=0,
                defaults={"target": articles[data["go_deeper"]]},
            )
        # Demo stories were written once; they show no "Updated" time.
        Article.objects.filter(pk__in=[a.pk for a in articles.values()]).update(
            updated_at=F("published_at")
        )
        return articles

    def _load_workflow(self, demo, sections, authors, articles):
        """A story in review, a scheduled one, a correction, a curated lead."""
        journalist = get_user_model().objects.get(username="journalist")
        editor = get_user_model().objects.get(username="editor")
        now = timezone.now()
        for data in demo["workflow"]:
            hours = data["hours_until"]
            article, _ = Article.objects.update_or_create(
                slug=data["slug"],
                defaults={
                    "headline": data["headline"],
                    "dek": data["dek"],
                    "section": sections[data["section"]],
                    "status": Status(data["status"]),
                    "published_at": now + timedelta(hours=hours)
                    if hours is not None
                    else None,
                    "body": content.story_body(data),
                    "created_by": journalist,
                },
            )
            Byline.objects.get_or_create(
                article=article, author=next(iter(authors.values()))
            )
        self._load_pictures(demo["pictures"], editor, articles)
        lead = articles[demo["stories"][0]["slug"]]
        self._load_discussion(demo, lead)
        if not lead.corrections.exists():
            Correction.objects.create(
                article=lead, text=demo["correction"], created_by=editor
            )
        FrontPageSlot.objects.update_or_create(position=0, defaults={"article": lead})

    def _load_live(self, live, articles):
        """One story under live coverage, with a few dozen entries: pinned,
        key events and an edited one among them."""
        users = {user.username: user for user in get_user_model().objects.all()}
        now = timezone.now()
        coverage, created = LiveCoverage.objects.get_or_create(
            story=articles[live["story"]],
            defaults={
                "starts_at": now - timedelta(minutes=live["started_minutes_ago"]),
                "journalists_may_post": live["journalists_may_post"],
                "created_by": users["editor"],
            },
        )
        if not created:
            return
        entries = LiveEntry.objects.bulk_create(
            LiveEntry(
                coverage=coverage,
                posted_at=now - timedelta(minutes=data["minutes_ago"]),
                author=users[data["author"]],
                body=content.entry_body(data["text"]),
                is_pinned=data["pinned"],
                is_key_event=data["key_event"],
            )
            for data in live["entries"]
        )
        edited = entries[live["edited"]]
        LiveEntry.objects.filter(pk=edited.pk).update(
            edited_at=edited.posted_at + timedelta(minutes=3)
        )
        # The newest entry shows a library picture (loaded with the stories').
        newest = max(entries, key=lambda entry: entry.pk)
        picture = Image.objects.exclude(alt_text="").order_by("pk").first()
        if picture is not None:
            LiveEntry.objects.filter(pk=newest.pk).update(image=picture)
        # Bulk-made entries: the cards' "Updated …" line is noted once.
        coverage.note_latest_entry()

    def _load_newsletters(self, data, articles):
        """Two newsletters, the demo readers subscribed (confirmed), and one
        sent edition of the morning brief in its archive."""
        for position, letter in enumerate(data["newsletters"]):
            Newsletter.objects.update_or_create(
                slug=letter["slug"],
                defaults={
                    "name": letter["name"],
                    "description": letter["description"],
                    "schedule": letter["schedule"],
                    "position": position,
                },
            )
        letters = {letter.slug: letter for letter in Newsletter.objects.all()}
        readers = {
            user.email: user
            for user in get_user_model().objects.filter(
                email__in=list(data["subscribers"])
            )
        }
        for email, slugs in data["subscribers"].items():
            for slug in slugs:
                Subscription.objects.get_or_create(
                    newsletter=letters[slug],
                    email=email,
                    defaults={
                        "user": readers.get(email),
                        "status": SubscriptionStatus.CONFIRMED,
                        "confirmed_at": timezone.now(),
                    },
                )
        # Written straight to the models, as if sent: the demo mails nobody.
        edition_data = data["edition"]
        edition, created = Edition.objects.get_or_create(
            newsletter=letters[edition_data["newsletter"]],
            subject=edition_data["subject"],
            defaults={
                "intro": edition_data["intro"],
                "status": EditionStatus.SENT,
                "sent_at": timezone.now() - timedelta(hours=edition_data["hours_ago"]),
            },
        )
        if created:
            EditionItem.objects.bulk_create(
                EditionItem(
                    edition=edition, story=articles[slug], position=position, lead_ins=1
                )
                for position, slug in enumerate(edition_data["stories"])
            )

    def _load_discussion(self, demo, story):
        readers = []
        for data in demo["readers"]:
            user = get_user_model().objects.filter(username=data["email"]).first()
            if user is None:
                user = reader_create(**data)
            readers.append(user)
        if Comment.objects.filter(article=story).exists():
            return
        posted = []
        for data in demo["comments"]:
            reply_to = data["reply_to"]
            comment = Comment.objects.create(
                article=story,
                author=readers[data["reader"]],
                parent=posted[reply_to] if reply_to is not None else None,
                depth=1 if reply_to is not None else 0,
                body=data["text"],
                status=CommentStatus.APPROVED,
            )
            comment.root_id = (
                posted[reply_to].pk if reply_to is not None else comment.pk
            )
            comment.save(update_fields=["root"])
            posted.append(comment)

    def _load_pictures(self, pictures, editor, articles):
        """Hero pictures for every other story, drawn once."""
        stories = list(articles.values())
        for index, data in enumerate(pictures):
            image = Image.objects.filter(title=data["title"]).first()
            if image is None:
                drawn = content.draw_picture(data["sky"], data["sea"], data["sun"])
                image = image_create(
                    upload=check_and_clean("demo.jpg", drawn),
                    by=editor,
                    title=data["title"],
                    alt_text=data["alt_text"],
                    credit="Cupure graphics desk",
                    focal_x=data["sun"][0],
                    focal_y=data["sun"][1],
                )
            # The hero picture is set without a save(): the stories keep
            # their "written once" times.
            Article.objects.filter(pk=stories[index * 2].pk).update(hero_image=image)

    def _load_staff(self, staff, authors):
        # The roles and their permissions come from migrations.
        user_model = get_user_model()
        for data in staff:
            user, _ = user_model.objects.get_or_create(username=data["username"])
            user.email = f"{data['username']}@cupure.example"
            user.is_staff = True
            user.is_superuser = data["is_superuser"]
            user.set_password(data["password"])
            user.save()
            if data["group"]:
                group, _ = Group.objects.get_or_create(name=data["group"])
                user.groups.set([group])
        # The demo journalist writes under the first demo byline.
        first_author = next(iter(authors.values()))
        if first_author.user_id is None:
            first_author.user = user_model.objects.get(username="journalist")
            first_author.save(update_fields=["user"])

    def _print_accounts(self, demo, sections, authors, articles):
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
        for data in demo["staff"]:
            group = data["group"] or "superuser"
            self.stdout.write(
                f"  {data['username']:<11} {data['password']:<18} {group}"
            )
        self.stdout.write(
            "Demo reader accounts (demo only) — log in at /accounts/login/:"
        )
        for data in demo["readers"]:
            self.stdout.write(f"  {data['email']:<24} {data['password']}")
