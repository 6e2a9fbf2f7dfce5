import io
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from PIL import Image as PILImage
from PIL import ImageDraw

from articles import demo_content
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
from comments.services import reader_create
from images.imaging import check_and_clean
from images.models import Image
from images.services import image_create

# Demo only: these passwords are printed in the README and must never reach
# a production database.
DEMO_STAFF = [
    # username, password, group, is_superuser
    ("admin", "cupure-admin", None, True),
    ("editor", "cupure-editor", "Editors", False),
    ("journalist", "cupure-journalist", "Journalists", False),
    ("moderator", "cupure-moderator", "Moderators", False),
]

# A demo reader and a short discussion under the lead story.
DEMO_READERS = [
    ("reader@cupure.example", "cupure-reader", "Marta from Tessmund"),
    ("second@cupure.example", "cupure-reader-2", "Jonas K."),
]
DEMO_COMMENTS = [
    # (reader index, text, reply to index or None)
    (
        0,
        "Fishing quotas were always going to be the sticking point. "
        "Good to see the detail on the eastern channel.",
        None,
    ),
    (1, "Does anyone know whether the ferry fees are part of the 14 points?", None),
    (0, "They are: point 9, according to the draft published last week.", 1),
]

# Stories at other points of the workflow, so every state can be seen.
DEMO_WORKFLOW = [
    {
        "slug": "port-callis-ferry-timetable-draft",
        "headline": "Ferry timetable for the winter season still unsettled",
        "dek": "Operators want fewer crossings; island councils want more.",
        "section": "business",
        "status": Status.IN_REVIEW,
        "hours": None,
        "body": [
            ("", "The winter timetable for the Amber Strait ferries is late."),
            (
                "Why it matters:",
                "Island schools and clinics plan their weeks around the crossings.",
            ),
        ],
    },
    {
        "slug": "glacier-survey-results-due",
        "headline": "Glacier survey results due after a summer on the ice",
        "dek": "The Skardo field team returns with three months of measurements.",
        "section": "science",
        "status": Status.PUBLISHED,
        "hours": -3,  # scheduled: goes live in three hours
        "body": [
            ("", "The Skardo field team publishes its survey this afternoon."),
            ("What's next:", "A public briefing follows at the university."),
        ],
    },
]

# Demo pictures are drawn here (our own illustrations, nothing downloaded):
# (title, alt text, sky colour, sea colour, sun position).
DEMO_PICTURES = [
    (
        "Strait at dusk",
        "Illustration: a red sun low over a dark strait",
        (214, 120, 84),
        (38, 62, 92),
        (0.72, 0.42),
    ),
    (
        "Harbour morning",
        "Illustration: pale morning light over a calm harbour",
        (236, 208, 160),
        (70, 110, 140),
        (0.25, 0.38),
    ),
    (
        "Winter sea",
        "Illustration: a grey winter sky above a cold sea",
        (176, 186, 196),
        (52, 70, 84),
        (0.5, 0.3),
    ),
    (
        "Summer heat",
        "Illustration: a blazing sun over a dry plain",
        (247, 182, 72),
        (150, 104, 60),
        (0.6, 0.28),
    ),
    (
        "Glacier light",
        "Illustration: blue ice under a white sky",
        (226, 236, 242),
        (110, 160, 190),
        (0.35, 0.35),
    ),
    (
        "Night port",
        "Illustration: a yellow moon above a dark port",
        (28, 36, 64),
        (14, 20, 34),
        (0.8, 0.25),
    ),
]


def draw_picture(sky, sea, sun) -> bytes:
    """A simple horizon scene: sky gradient, sun, sea."""
    width, height = 1600, 1000
    picture = PILImage.new("RGB", (width, height), sky)
    draw = ImageDraw.Draw(picture)
    horizon = int(height * 0.62)
    for y in range(horizon):
        shade = 0.75 + 0.25 * y / horizon
        draw.line([(0, y), (width, y)], fill=tuple(int(c * shade) for c in sky))
    x, y, r = int(sun[0] * width), int(sun[1] * height), 90
    draw.ellipse([x - r, y - r, x + r, y + r], fill=(255, 236, 200))
    draw.rectangle([0, horizon, width, height], fill=sea)
    for line in range(horizon + 20, height, 36):
        draw.line([(0, line), (width, line)], fill=tuple(min(255, c + 18) for c in sea))
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=90)
    return out.getvalue()


DEMO_CORRECTION = (
    "An earlier version of this story gave the wrong day for the talks' end. "
    "They ended on Thursday."
)


def story_body(story: dict) -> str:
    return format_html_join(
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
            article.body = story_body(data)
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
        for data in demo_content.STORIES:
            RelatedLink.objects.update_or_create(
                article=articles[data["slug"]],
                position=0,
                defaults={"target": articles[data["go_deeper"]]},
            )

        # Demo stories were written once; they show no "Updated" time.
        Article.objects.filter(pk__in=[a.pk for a in articles.values()]).update(
            updated_at=F("published_at")
        )
        self._load_staff(authors)
        self._load_workflow(sections, authors, articles)
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
        self.stdout.write(
            "Demo reader accounts (demo only) — log in at /accounts/login/:"
        )
        for email, password, _name in DEMO_READERS:
            self.stdout.write(f"  {email:<24} {password}")

    def _load_workflow(self, sections, authors, articles):
        """A story in review, a scheduled one, a correction, a curated lead."""
        journalist = get_user_model().objects.get(username="journalist")
        editor = get_user_model().objects.get(username="editor")
        now = timezone.now()
        for data in DEMO_WORKFLOW:
            article, _ = Article.objects.update_or_create(
                slug=data["slug"],
                defaults={
                    "headline": data["headline"],
                    "dek": data["dek"],
                    "section": sections[data["section"]],
                    "status": data["status"],
                    "published_at": (
                        now - timedelta(hours=data["hours"])
                        if data["hours"] is not None
                        else None
                    ),
                    "body": story_body(data),
                    "created_by": journalist,
                },
            )
            Byline.objects.get_or_create(
                article=article, author=next(iter(authors.values()))
            )
        self._load_pictures(editor, articles)
        self._load_discussion(articles[demo_content.STORIES[0]["slug"]])
        lead = articles[demo_content.STORIES[0]["slug"]]
        if not lead.corrections.exists():
            Correction.objects.create(
                article=lead, text=DEMO_CORRECTION, created_by=editor
            )
        FrontPageSlot.objects.update_or_create(position=0, defaults={"article": lead})

    def _load_discussion(self, story):
        readers = []
        for email, password, name in DEMO_READERS:
            user = get_user_model().objects.filter(username=email).first()
            if user is None:
                user = reader_create(email=email, password=password, display_name=name)
            readers.append(user)
        if Comment.objects.filter(article=story).exists():
            return
        posted = []
        for reader, text, reply_to in DEMO_COMMENTS:
            comment = Comment.objects.create(
                article=story,
                author=readers[reader],
                parent=posted[reply_to] if reply_to is not None else None,
                depth=1 if reply_to is not None else 0,
                body=text,
                status=CommentStatus.APPROVED,
            )
            comment.root_id = (
                posted[reply_to].pk if reply_to is not None else comment.pk
            )
            comment.save(update_fields=["root"])
            posted.append(comment)

    def _load_pictures(self, editor, articles):
        """Hero pictures for the newest stories, drawn once."""
        stories = list(articles.values())
        for index, (title, alt, sky, sea, sun) in enumerate(DEMO_PICTURES):
            image = Image.objects.filter(title=title).first()
            if image is None:
                upload = check_and_clean("demo.jpg", draw_picture(sky, sea, sun))
                image = image_create(
                    upload=upload,
                    by=editor,
                    title=title,
                    alt_text=alt,
                    credit="Cupure graphics desk",
                    focal_x=sun[0],
                    focal_y=sun[1],
                )
            Article.objects.filter(pk=stories[index * 2].pk).update(hero_image=image)

    def _load_staff(self, authors):
        # The roles and their permissions come from migrations.
        user_model = get_user_model()
        for username, password, group_name, is_superuser in DEMO_STAFF:
            user, _ = user_model.objects.get_or_create(username=username)
            user.email = f"{username}@cupure.example"
            user.is_staff = True
            user.is_superuser = is_superuser
            user.set_password(password)
            user.save()
            if group_name:
                group, _ = Group.objects.get_or_create(name=group_name)
                user.groups.set([group])
        # The demo journalist writes under the first demo byline.
        first_author = next(iter(authors.values()))
        if first_author.user_id is None:
            first_author.user = user_model.objects.get(username="journalist")
            first_author.save(update_fields=["user"])
