from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.kept import DatabaseKeptFields


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SPAM = "spam", _("Spam")
    DELETED = "deleted", _("Deleted by its author")


class BanLength(models.TextChoices):
    """How long a ban lasts; the value is a number of days or "permanent"."""

    DAY = "1", _("1 day")
    WEEK = "7", _("7 days")
    MONTH = "30", _("30 days")
    PERMANENT = "permanent", _("permanent")


# Waiting comments first, then reported ones, each oldest first. The rank is a
# stored column with an index, so a page of the queue reads fifty index entries
# instead of sorting a million comments.
QUEUE_ORDER = ["queue_rank", "created_at", "pk"]


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=CommentStatus.APPROVED)

    def visible_to(self, user):
        """Approved comments, placeholders of deleted ones, and the reader's
        own comments awaiting review."""
        shown = Q(status__in=[CommentStatus.APPROVED, CommentStatus.DELETED])
        if user.is_authenticated:
            shown |= Q(author=user, status=CommentStatus.PENDING)
        return self.filter(shown)

    def for_thread(self):
        return self.select_related("author__reader")

    def for_queue(self):
        """The moderation queue: waiting and reported first, then oldest.

        The author's record is a subquery on an index rather than a join:
        joining every comment to all its author's comments multiplied a
        million rows before grouping them.
        """

        def by_author(statuses):
            return Coalesce(
                models.Subquery(
                    Comment.objects.filter(
                        author=models.OuterRef("author_id"), status__in=statuses
                    )
                    .order_by()
                    .values("author")
                    .annotate(count=Count("pk"))
                    .values("count")
                ),
                0,
            )

        return (
            self.select_related(
                "article__section", "author__reader", "parent__author__reader"
            )
            .prefetch_related("reports")
            .annotate(
                author_approved=by_author([CommentStatus.APPROVED]),
                author_rejected=by_author([CommentStatus.REJECTED, CommentStatus.SPAM]),
            )
            .order_by(*QUEUE_ORDER)
        )


class Comment(DatabaseKeptFields, models.Model):
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("story"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
    )
    root = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text=_("The top-level comment of the thread (itself for top level)."),
    )
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    body = models.TextField(
        _("comment"), max_length=settings.NEWSROOM_COMMENT_MAX_LENGTH
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CommentStatus,
        default=CommentStatus.PENDING,
        editable=False,
    )
    hold_reason = models.CharField(_("why it is held"), max_length=200, blank=True)
    notify_on_reply = models.BooleanField(_("email me replies"), default=False)
    created_at = models.DateTimeField(_("posted at"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    report_count = models.PositiveIntegerField(
        _("reports"),
        default=0,
        editable=False,
        help_text=_("Kept by the database as readers report the comment."),
    )
    queue_rank = models.GeneratedField(
        expression=models.Case(
            models.When(status=CommentStatus.PENDING, then=0),
            models.When(report_count__gt=0, then=1),
            default=2,
        ),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
        verbose_name=_("place in the moderation queue"),
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(
                fields=["article", "status", "created_at"], name="comments_story_idx"
            ),
            # The moderation queue's "author's record" column.
            models.Index(fields=["author", "status"], name="comments_author_idx"),
            models.Index(fields=["root", "created_at"], name="comments_thread_idx"),
            # A page of a story's top-level comments, in reading order.
            models.Index(
                fields=["article", "created_at", "id"],
                condition=Q(parent__isnull=True),
                include=["status"],
                name="comments_roots_idx",
            ),
            models.Index(fields=["status", "created_at"], name="comments_queue_idx"),
            models.Index(
                fields=["queue_rank", "created_at", "id"], name="comments_rank_idx"
            ),
        ]

    def __str__(self):
        return self.body[:60]

    # Triggers keep it (comments/migrations/0005).
    kept_by_database = ("report_count",)

    def get_absolute_url(self):
        return reverse("comments:thread", kwargs={"pk": self.pk})

    @property
    def author_name(self) -> str:
        reader = getattr(self.author, "reader", None)
        return reader.display_name if reader else self.author.get_username()

    @property
    def is_deleted(self) -> bool:
        return self.status == CommentStatus.DELETED

    @property
    def can_still_edit_until(self):
        from datetime import timedelta

        return self.created_at + timedelta(
            minutes=settings.NEWSROOM_COMMENT_EDIT_MINUTES
        )


class CommentReport(models.Model):
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"], name="comments_report_once"
            ),
        ]

    def __str__(self):
        return f"{self.reporter} on {self.comment_id}: {self.reason[:40]}"


class BannedPhrase(models.Model):
    """Words or phrases that hold a comment for a moderator."""

    phrase = models.CharField(
        _("word or phrase"),
        max_length=100,
        help_text=_("Matched without regard to capitals, as whole words."),
    )

    class Meta:
        ordering = ["phrase"]
        verbose_name = _("held word or phrase")
        verbose_name_plural = _("held words and phrases")
        constraints = [
            models.UniqueConstraint(Lower("phrase"), name="comments_phrase_ci_unique"),
        ]

    def __str__(self):
        return self.phrase


class ModerationLog(models.Model):
    """Every moderation action: who, when, what, and the status before and after."""

    class Action(models.TextChoices):
        APPROVE = "approve", _("approved")
        REJECT = "reject", _("rejected")
        SPAM = "spam", _("marked as spam")
        HOLD = "hold", _("held automatically")
        BAN = "ban", _("banned the reader")
        UNBAN = "unban", _("lifted the ban")

    comment = models.ForeignKey(
        Comment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation",
    )
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=20, choices=Action)
    old_status = models.CharField(_("before"), max_length=20, blank=True)
    new_status = models.CharField(_("after"), max_length=20, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")

    def __str__(self):
        return f"{self.moderator or 'system'} {self.get_action_display()} at {self.at}"
