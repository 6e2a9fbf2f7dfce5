from urllib.parse import quote

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import ReaderProfile
from accounts.services import DisplayNameTaken, display_name_check
from comments.models import (
    QUEUE_ORDER,
    BanLength,
    BannedPhrase,
    Comment,
    CommentReport,
    CommentStatus,
    ModerationLog,
)
from comments.services import (
    ban_ends_at,
    clean_comment_text,
    comment_moderate,
    local_time,
    oldest_waiting_since,
    reader_ban,
    reader_unban,
)
from core.changelist import NewsroomModelAdmin, NewsroomTabularInline, is_id
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


def short_age(then, now=None) -> str:
    """ "45 s", "12 min", "3 h", "4 d": the queue's age column in one glance."""
    seconds = max(0, int(((now or timezone.now()) - then).total_seconds()))
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit}"
    return f"{seconds} s"


class QueueStatusFilter(admin.SimpleListFilter):
    """The queue opens on what waits. Django's own "All" drops the parameter,
    which here means "Awaiting review", so "All" is a value of its own."""

    title = _("status")
    parameter_name = "status"
    ALL, REPORTED = "all", "reported"

    def lookups(self, request, model_admin):
        return [
            (CommentStatus.PENDING, CommentStatus.PENDING.label),
            (self.REPORTED, _("Reported")),
            (CommentStatus.APPROVED, CommentStatus.APPROVED.label),
            (CommentStatus.REJECTED, CommentStatus.REJECTED.label),
            (CommentStatus.SPAM, CommentStatus.SPAM.label),
            (CommentStatus.DELETED, CommentStatus.DELETED.label),
            (self.ALL, _("All")),
        ]

    def value(self):
        return super().value() or CommentStatus.PENDING

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.ALL:
            return queryset
        if value == self.REPORTED:
            return queryset.filter(report_count__gt=0)
        if value in CommentStatus.values:
            return queryset.filter(status=value)
        raise IncorrectLookupParameters(f"Unknown status {value!r}")

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string(
                    {self.parameter_name: lookup}
                ),
                "display": title,
            }


# What each inline button does, and the words for the message after it.
DECISIONS = {
    "approve": (ModerationLog.Action.APPROVE, _("Approve"), _("approved")),
    "reject": (ModerationLog.Action.REJECT, _("Reject"), _("rejected")),
    "spam": (ModerationLog.Action.SPAM, _("Spam"), _("marked as spam")),
}
_DONE = {
    CommentStatus.APPROVED: "approve",
    CommentStatus.REJECTED: "reject",
    CommentStatus.SPAM: "spam",
}


def back_to(request, fallback: str) -> str:
    """The page the moderator came from, if it is one of ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@admin.register(Comment)
class CommentAdmin(NewsroomModelAdmin):
    """The moderation queue: what waits first, oldest first, each comment
    with what a moderator needs to judge it on one row, and a button for
    each decision (the keys j, k, a, r and s drive them; see queue.js)."""

    list_display = ["comment_card", "held_for", "author_record", "age", "decide"]
    list_display_links = None
    list_filter = [QueueStatusFilter]
    search_fields = ["body", "author__username", "author__reader__display_name"]
    list_per_page = 50
    paginator = QueuePaginator
    show_full_result_count = False
    actions = ["approve", "reject", "mark_spam"]
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
        js = ["comments/admin/queue.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_queue()

    def get_ordering(self, request):
        return QUEUE_ORDER

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "<path:object_id>/moderate/",
                self.admin_site.admin_view(self.moderate_view),
                name="comments_comment_moderate",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        since = oldest_waiting_since()
        if since is not None:
            self.message_user(
                request,
                _("Oldest comment waiting: %(age)s.") % {"age": timesince(since)},
                messages.WARNING,
            )
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        comment = (
            Comment.objects.filter(pk=object_id).first() if is_id(object_id) else None
        )
        extra_context = {
            **(extra_context or {}),
            "decisions": self.decisions(comment) if comment else [],
            "ban_url": self.ban_url(comment) if comment else None,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    # --- The row -------------------------------------------------------------

    @admin.display(description=_("comment"))
    def comment_card(self, comment):
        reply = (
            format_html(
                '<p class="queue-reply">{} {}: “{}”</p>',
                _("In reply to"),
                comment.parent.author_name,
                Truncator(comment.parent.body).chars(90),
            )
            if comment.parent_id
            else ""
        )
        return format_html(
            '<p class="queue-body"><a href="{}">{}</a></p>{}'
            '<p class="queue-story">{} <a href="{}#comment-{}" target="_blank" '
            'rel="noopener">{}</a></p>',
            reverse("admin:comments_comment_change", args=[comment.pk]),
            Truncator(comment.body).chars(240),
            reply,
            _("On"),
            comment.article.get_absolute_url(),
            comment.pk,
            Truncator(comment.article.headline).chars(70),
        )

    @admin.display(description=_("held for · reports"))
    def held_for(self, comment):
        held = (
            format_html('<p class="queue-held">{}</p>', comment.hold_reason)
            if comment.hold_reason
            else ""
        )
        reasons = [report.reason for report in comment.reports.all()]
        reports = (
            format_html(
                '<p class="queue-reports">{}: {}</p>',
                ngettext("%(n)d report", "%(n)d reports", len(reasons))
                % {"n": len(reasons)},
                "; ".join(Truncator(reason).chars(60) for reason in reasons[:3]),
            )
            if reasons
            else ""
        )
        return format_html("{}{}", held, reports) if held or reports else "—"

    @admin.display(description=_("author"))
    def author_record(self, comment):
        reader = getattr(comment.author, "reader", None)
        if reader is not None and reader.is_banned:
            ban = format_html('<p class="queue-banned">{}</p>', ban_state(reader))
        elif self.ban_url(comment):
            ban = format_html(
                '<p><a href="{}">{}</a></p>', self.ban_url(comment), _("Ban…")
            )
        else:
            ban = ""
        return format_html(
            "<p><strong>{}</strong></p><p>{}</p>{}",
            comment.author_name,
            _("%(approved)d approved, %(rejected)d rejected")
            % {
                "approved": comment.author_approved,
                "rejected": comment.author_rejected,
            },
            ban,
        )

    @admin.display(description=_("age"), ordering="created_at")
    def age(self, comment):
        return format_html(
            '<time datetime="{}" title="{}">{}</time><p>{}</p>',
            comment.created_at.isoformat(),
            local_time(comment.created_at),
            short_age(comment.created_at),
            comment.get_status_display(),
        )

    @admin.display(description=_("decide"))
    def decide(self, comment):
        return format_html_join(
            "",
            '<button type="submit" form="queue-moderate" formaction="{}" '
            'name="decision" value="{}" class="button queue-{}" '
            'aria-keyshortcuts="{}">{}</button>',
            (
                (url, decision, decision, decision[0], label)
                for decision, label, url in self.decisions(comment)
            ),
        )

    def decisions(self, comment) -> list[tuple[str, str, str]]:
        """(decision, label, address) for each button the comment can take."""
        if comment.status == CommentStatus.DELETED:
            return []
        url = reverse("admin:comments_comment_moderate", args=[comment.pk])
        done = _DONE.get(comment.status)
        return [
            (decision, label, url)
            for decision, (_action, label, _done) in DECISIONS.items()
            if decision != done
        ]

    def ban_url(self, comment) -> str | None:
        reader = getattr(comment.author, "reader", None)
        if reader is None or comment.author.is_staff:
            return None
        # Back to the queue once the ban is done.
        return (
            reverse("admin:accounts_readerprofile_ban", args=[reader.pk])
            + "?next="
            + quote(reverse("admin:comments_comment_changelist"))
        )

    # --- The change page's fields -------------------------------------------

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

    # --- Deciding -----------------------------------------------------------

    def has_moderate_permission(self, request):
        return request.user.has_perm("comments.change_comment")

    def moderate_view(self, request, object_id):
        """One comment's decision from its row or its page: POST only, then
        back where the moderator was, with a message."""
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        comment = get_object_or_404(
            Comment.objects.select_related("author__reader"),
            pk=object_id if is_id(object_id) else None,
        )
        back = back_to(request, reverse("admin:comments_comment_changelist"))
        decision = DECISIONS.get(request.POST.get("decision", ""))
        if decision is None:
            self.message_user(
                request,
                _("Choose approve, reject or spam. Nothing was changed."),
                messages.ERROR,
            )
            return HttpResponseRedirect(back)
        action, _label, done = decision
        changed = comment_moderate(
            comments=Comment.objects.filter(pk=comment.pk),
            action=action,
            by=request.user,
        )
        words = {"author": comment.author_name, "done": done}
        if changed:
            self.message_user(
                request, _("Comment by %(author)s %(done)s.") % words, messages.SUCCESS
            )
        else:
            self.message_user(
                request,
                _("Comment by %(author)s was already %(done)s (or deleted).") % words,
                messages.WARNING,
            )
        return HttpResponseRedirect(back)

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


def ban_state(profile) -> str:
    """A reader's ban in words: running, permanent, ended, or none."""
    if profile.banned_at is None:
        return "—"
    if profile.banned_until is None:
        return _("Banned permanently")
    until = local_time(profile.banned_until)
    if profile.is_banned:
        return _("Banned until %(until)s") % {"until": until}
    return _("Ban ended %(until)s") % {"until": until}


class BanForm(forms.Form):
    """A ban needs a reason (the log keeps it) and a length."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the moderation log; the reader is not shown it."),
        error_messages={"required": _("Give a reason for the ban: the log keeps it.")},
    )
    length = forms.ChoiceField(
        label=_("Length"),
        choices=BanLength.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how long the ban lasts."),
            "invalid_choice": _(
                "Choose how long the ban lasts: 1 day, 7 days, 30 days or permanent."
            ),
        },
    )
    reject_pending = forms.BooleanField(
        label=_("Also reject their comments awaiting review"), required=False
    )

    def clean_reason(self):
        reason = clean_comment_text(self.cleaned_data["reason"])
        if not reason:
            raise forms.ValidationError(
                _("Give a reason for the ban: the log keeps it.")
            )
        return reason


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


class BanStateFilter(admin.SimpleListFilter):
    title = _("ban")
    parameter_name = "ban"

    def lookups(self, request, model_admin):
        return [
            ("active", _("Banned now")),
            ("ended", _("Ban ended")),
            ("none", _("Never banned")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        running = Q(banned_at__isnull=False) & (
            Q(banned_until__isnull=True) | Q(banned_until__gt=now)
        )
        if self.value() == "active":
            return queryset.filter(running)
        if self.value() == "ended":
            return queryset.filter(banned_until__lte=now)
        if self.value() == "none":
            return queryset.filter(banned_at__isnull=True)
        return queryset


@admin.register(ReaderProfile)
class ReaderProfileAdmin(NewsroomModelAdmin):
    form = ReaderProfileForm
    list_display = ["display_name", "user", "ban", "ban_reason"]
    list_filter = [BanStateFilter]
    search_fields = ["display_name", "user__email"]
    readonly_fields = ["user", "ban", "banned_at"]
    fields = ["user", "display_name", "ban", "banned_at", "ban_reason"]
    actions = ["unban"]

    def has_add_permission(self, request):
        return False

    def has_moderate_permission(self, request):
        return request.user.has_perm("comments.change_comment")

    def get_urls(self):
        return [
            path(
                "<path:object_id>/ban/",
                self.admin_site.admin_view(self.ban_view),
                name="accounts_readerprofile_ban",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("ban"), ordering="banned_until")
    def ban(self, profile):
        if profile.is_banned or profile.user.is_staff:
            return ban_state(profile)
        return format_html(
            '{} <a href="{}">{}</a>',
            ban_state(profile),
            reverse("admin:accounts_readerprofile_ban", args=[profile.pk]),
            _("Ban…"),
        )

    @admin.action(description=_("Lift the ban"), permissions=["moderate"])
    def unban(self, request, queryset):
        for profile in queryset.select_related("user"):
            reader_unban(user=profile.user, by=request.user)
        self.message_user(request, _("Bans lifted."), messages.SUCCESS)

    def ban_view(self, request, object_id):
        """Ban a reader: a reason and a length, then a confirmation that says
        until when, then the ban (logged). Bad input changes nothing."""
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        profile = get_object_or_404(
            ReaderProfile.objects.select_related("user"),
            pk=object_id if is_id(object_id) else None,
        )
        back = back_to(
            request, reverse("admin:accounts_readerprofile_change", args=[profile.pk])
        )
        if profile.user.is_staff:
            self.message_user(
                request, _("Staff accounts are not banned from here."), messages.ERROR
            )
            return HttpResponseRedirect(back)
        form = BanForm(request.POST if request.method == "POST" else None)
        question = ""
        if form.is_valid():
            length = form.cleaned_data["length"]
            if request.POST.get("confirm") == "yes":
                return self._ban(request, profile, form.cleaned_data, back)
            question = ban_question(profile, length)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Ban %(name)s") % {"name": profile.display_name},
            "profile": profile,
            "form": form,
            "question": question,
            "next": back,
        }
        return TemplateResponse(request, "admin/comments/ban.html", context)

    def _ban(self, request, profile, data, back):
        try:
            rejected = reader_ban(
                user=profile.user,
                by=request.user,
                reason=data["reason"],
                length=data["length"],
                reject_pending=data["reject_pending"],
            )
        except (ValidationError, PermissionDenied) as refused:
            words = getattr(refused, "messages", None) or [str(refused)]
            self.message_user(request, " ".join(words), messages.ERROR)
            return HttpResponseRedirect(back)
        profile.refresh_from_db()
        if profile.banned_until is None:
            message = _("%(name)s is banned permanently.") % {
                "name": profile.display_name
            }
        else:
            message = _("%(name)s is banned until %(until)s.") % {
                "name": profile.display_name,
                "until": local_time(profile.banned_until),
            }
        if rejected:
            message += " " + ngettext(
                "%(n)d waiting comment rejected.",
                "%(n)d waiting comments rejected.",
                rejected,
            ) % {"n": rejected}
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(back)


def ban_question(profile, length: str) -> str:
    """The confirmation, in the reader's name and with the end date."""
    until = ban_ends_at(length)
    if until is None:
        return _(
            "Ban %(name)s permanently? They will not be able to comment again "
            "unless a moderator lifts the ban."
        ) % {"name": profile.display_name}
    return _(
        "Ban %(name)s for %(length)s? They will not be able to comment until %(until)s."
    ) % {
        "name": profile.display_name,
        "length": BanLength(length).label,
        "until": local_time(until),
    }


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

    class Media:
        # Its rows stack into cards on a phone, like the queue's.
        css = {"all": ["comments/admin/queue.css"]}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
