from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import ReaderProfile
from accounts.services import DisplayNameTaken, display_name_check
from comments.models import (
    QUEUE_ORDER,
    BannedPhrase,
    Comment,
    CommentReport,
    ModerationLog,
)
from comments.services import (
    comment_moderate,
    oldest_waiting_since,
    reader_ban,
    reader_unban,
)
from core.changelist import NewsroomModelAdmin, NewsroomTabularInline
from core.pagination import CappedPaginator
from core.text import visible_text


class ReportInline(NewsroomTabularInline):
    model = CommentReport
    fields = ["reporter", "reason", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ModerationInline(NewsroomTabularInline):
    model = ModerationLog
    fk_name = "comment"
    fields = ["at", "moderator", "action", "old_status", "new_status", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("moderation history")

    def has_add_permission(self, request, obj=None):
        return False


class QueuePaginator(CappedPaginator):
    """Counts at most a hundred pages of the queue: moderators work from the
    front, and counting a million comments on every page view took longer
    than reading the page."""

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True):
        super().__init__(
            object_list,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            max_pages=100,
        )


@admin.register(Comment)
class CommentAdmin(NewsroomModelAdmin):
    """The moderation queue: waiting and reported comments first, oldest first."""

    list_display = [
        "excerpt",
        "story",
        "in_reply_to",
        "author_name",
        "author_history",
        "status",
        "hold_reason",
        "report_count",
        "created_at",
    ]
    list_filter = ["status"]
    search_fields = ["body", "author__username", "author__reader__display_name"]
    list_per_page = 50
    paginator = QueuePaginator
    show_full_result_count = False
    actions = ["approve", "reject", "mark_spam", "ban_authors", "ban_and_reject"]
    readonly_fields = [
        "story",
        "in_reply_to",
        "author_name",
        "body",
        "status",
        "hold_reason",
        "created_at",
        "edited_at",
        "ip_address",
        "user_agent",
    ]
    fields = readonly_fields
    inlines = [ReportInline, ModerationInline]

    class Media:
        css = {"all": ["comments/admin/queue.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).for_queue()

    def get_ordering(self, request):
        return QUEUE_ORDER

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        since = oldest_waiting_since()
        if since is not None:
            self.message_user(
                request,
                _("Oldest comment waiting: %(age)s.") % {"age": timesince(since)},
                messages.WARNING,
            )
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("comment"))
    def excerpt(self, comment):
        return Truncator(comment.body).chars(120)

    @admin.display(description=_("story"))
    def story(self, comment):
        return format_html(
            '<a href="{}#comment-{}" target="_blank" rel="noopener">{}</a>',
            comment.article.get_absolute_url(),
            comment.pk,
            Truncator(comment.article.headline).chars(60),
        )

    @admin.display(description=_("in reply to"))
    def in_reply_to(self, comment):
        if comment.parent is None:
            return "—"
        return format_html(
            "{}: “{}”",
            comment.parent.author_name,
            Truncator(comment.parent.body).chars(80),
        )

    @admin.display(description=_("author"))
    def author_name(self, comment):
        return comment.author_name

    @admin.display(description=_("author's record"))
    def author_history(self, comment):
        return _("%(approved)d approved, %(rejected)d rejected") % {
            "approved": comment.author_approved,
            "rejected": comment.author_rejected,
        }

    @admin.display(description=_("reports"), ordering="report_count")
    def report_count(self, comment):
        return comment.report_count

    def has_moderate_permission(self, request):
        return request.user.has_perm("comments.change_comment")

    def _moderate(self, request, queryset, action, done):
        count = comment_moderate(
            comments=Comment.objects.filter(pk__in=queryset.values("pk")),
            action=action,
            by=request.user,
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d comment %(done)s.", "%(count)d comments %(done)s.", count
            )
            % {"count": count, "done": done},
            messages.SUCCESS,
        )

    @admin.action(description=_("Approve selected comments"), permissions=["moderate"])
    def approve(self, request, queryset):
        self._moderate(request, queryset, ModerationLog.Action.APPROVE, _("approved"))

    @admin.action(description=_("Reject selected comments"), permissions=["moderate"])
    def reject(self, request, queryset):
        self._moderate(request, queryset, ModerationLog.Action.REJECT, _("rejected"))

    @admin.action(
        description=_("Mark selected comments as spam"), permissions=["moderate"]
    )
    def mark_spam(self, request, queryset):
        self._moderate(
            request, queryset, ModerationLog.Action.SPAM, _("marked as spam")
        )

    def _ban(self, request, queryset, reject_pending):
        authors = {comment.author for comment in queryset.select_related("author")}
        rejected = 0
        for author in authors:
            try:
                rejected += reader_ban(
                    user=author,
                    by=request.user,
                    reason=_("Banned from the moderation queue"),
                    reject_pending=reject_pending,
                )
            except PermissionDenied as error:
                self.message_user(request, f"{author}: {error}", messages.ERROR)
                authors = authors - {author}
        self.message_user(
            request,
            ngettext(
                "%(count)d reader banned.", "%(count)d readers banned.", len(authors)
            )
            % {"count": len(authors)}
            + (
                " "
                + ngettext(
                    "%(n)d waiting comment rejected.",
                    "%(n)d waiting comments rejected.",
                    rejected,
                )
                % {"n": rejected}
                if reject_pending
                else ""
            ),
            messages.SUCCESS,
        )

    @admin.action(description=_("Ban the authors"), permissions=["moderate"])
    def ban_authors(self, request, queryset):
        self._ban(request, queryset, reject_pending=False)

    @admin.action(
        description=_("Ban the authors and reject their waiting comments"),
        permissions=["moderate"],
    )
    def ban_and_reject(self, request, queryset):
        self._ban(request, queryset, reject_pending=True)


class ReaderProfileForm(forms.ModelForm):
    """A moderator renaming a reader meets the sign-up form's rule."""

    class Meta:
        model = ReaderProfile
        fields = ["display_name", "ban_reason"]

    def clean_display_name(self):
        name = visible_text(self.cleaned_data["display_name"])
        if not name:
            raise forms.ValidationError(_("A reader needs a name."))
        try:
            display_name_check(name, exclude_user=self.instance.user)
        except DisplayNameTaken as taken:
            raise forms.ValidationError(taken.messages) from None
        return name


@admin.register(ReaderProfile)
class ReaderProfileAdmin(NewsroomModelAdmin):
    form = ReaderProfileForm
    list_display = ["display_name", "user", "banned_at", "ban_reason"]
    list_filter = [("banned_at", admin.EmptyFieldListFilter)]
    search_fields = ["display_name", "user__email"]
    readonly_fields = ["user", "banned_at"]
    fields = ["user", "display_name", "banned_at", "ban_reason"]
    actions = ["unban"]

    def has_add_permission(self, request):
        return False

    def has_moderate_permission(self, request):
        return request.user.has_perm("comments.change_comment")

    @admin.action(description=_("Lift the ban"), permissions=["moderate"])
    def unban(self, request, queryset):
        for profile in queryset.select_related("user"):
            reader_unban(user=profile.user, by=request.user)
        self.message_user(request, _("Bans lifted."), messages.SUCCESS)


@admin.register(BannedPhrase)
class BannedPhraseAdmin(NewsroomModelAdmin):
    list_display = ["phrase"]
    search_fields = ["phrase"]


@admin.register(ModerationLog)
class ModerationLogAdmin(NewsroomModelAdmin):
    list_display = [
        "at",
        "moderator",
        "action",
        "comment",
        "reader",
        "old_status",
        "new_status",
        "note",
    ]
    list_filter = ["action", "moderator"]
    list_select_related = ["moderator", "comment", "reader"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
