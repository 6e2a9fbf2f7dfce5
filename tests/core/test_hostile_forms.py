"""Hostile POST bodies: the counterpart of tests/system/test_crawl.py for
forms.

Every id a staff form reads (choice fields, autocomplete fields, inline rows,
the changelist's action form and its "select all") is sent as text that is
not an id. Nothing may answer with a server error, and nothing may change.
"""

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from articles.models import Article, Status
from core.changelist import SafeAdminMixin, SafeAutocompleteMixin, is_id
from images.models import Image
from tags.models import Tag
from tests.articles.test_admin import story_form
from tests.comments.factories import CommentFactory
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    TagFactory,
    UserFactory,
)
from tests.images import picture_bytes

pytestmark = pytest.mark.django_db

# Text that is not the id of a row, as a form would carry it.
HOSTILE_IDS = [
    "1\x00",
    "\x00",
    "1.5",
    "1e3",
    "-1",
    "+1",
    " 1",
    "1_0",
    "١",  # an Arabic-Indic one: int() takes it
    "²",
    "99999999999999999999",
    "9" * 5000,
    "",
    "abc",
    "1,2",
    "[1]",
    "1; DROP TABLE articles_article",
]
OUR_APPS = {"articles", "tags", "comments"}


@pytest.fixture
def site(db):
    section = SectionFactory(slug="news")
    author = AuthorFactory(slug="ada")
    tag = TagFactory(name="harbour")
    TagFactory(name="port")
    draft = ArticleFactory(section=section, authors=[author], tags=[tag])
    live = ArticleFactory(published=True, section=section, authors=[author])
    scheduled = ArticleFactory(scheduled=True, section=section, authors=[author])
    CommentFactory(article=live)
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(superuser)
    return {
        "section": section,
        "author": author,
        "tag": tag,
        "draft": draft,
        "live": live,
        "scheduled": scheduled,
        "superuser": superuser,
        "client": client,
    }


def snapshot() -> dict:
    """Every row of every model the admin shows."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in admin.site._registry
    }


def send(client: Client, url: str, data: dict) -> tuple[int | str, str]:
    """POST, keeping a failed query from poisoning the test's transaction."""
    try:
        with transaction.atomic():
            response = client.post(url, data, follow=True)
    except Exception as error:
        return "raised", repr(error)[:300]
    return response.status_code, response.content.decode(errors="replace")


def relation_fields(form_class) -> list[str]:
    return [
        name
        for name, field in form_class.base_fields.items()
        if isinstance(field, forms.ModelChoiceField)
    ]


def _admin_request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


REGISTERED = [
    model_admin
    for model_admin in admin.site._registry.values()
    if model_admin.model._meta.app_label in OUR_APPS
]


def test_every_admin_of_ours_refuses_hostile_input():
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, SafeAdminMixin), model
        for inline in model_admin.inlines:
            assert issubclass(inline, SafeAutocompleteMixin), inline


@pytest.mark.parametrize(
    "model_admin", REGISTERED, ids=[str(m.model._meta) for m in REGISTERED]
)
def test_hostile_ids_in_add_and_change_forms_never_fail(model_admin, site):
    client, opts = site["client"], model_admin.model._meta
    request = _admin_request(site["superuser"])
    existing = model_admin.model._default_manager.order_by("pk").first()
    pages = []
    if model_admin.has_add_permission(request):
        pages.append((reverse(f"admin:{opts.app_label}_{opts.model_name}_add"), None))
    if existing is not None and model_admin.has_change_permission(request, existing):
        pages.append(
            (
                reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_change",
                    args=[existing.pk],
                ),
                existing,
            )
        )
    before, problems, tried = snapshot(), [], 0
    for url, obj in pages:
        form = model_admin.get_form(request, obj)
        targets = [(name, {}) for name in relation_fields(form)]
        for formset, _inline in model_admin.get_formsets_with_inlines(request, obj):
            prefix = formset.get_default_prefix()
            management = {
                f"{prefix}-TOTAL_FORMS": "1",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
            targets += [
                (f"{prefix}-0-{name}", management)
                for name in relation_fields(formset.form)
            ]
        for name, extra in targets:
            for value in HOSTILE_IDS:
                tried += 1
                status, text = send(client, url, {**extra, name: [value]})
                if status == "raised" or status >= 500:
                    problems.append(f"{url} {name}={value[:20]!r}: {status} {text}")
                # A list: one real id beside the hostile one.
                status, text = send(client, url, {**extra, name: ["1", value]})
                if status == "raised" or status >= 500:
                    problems.append(f"{url} {name}=[1, {value[:20]!r}]: {status}")
    assert not problems, "\n".join(problems)
    assert snapshot() == before
    if pages and relation_fields(model_admin.get_form(request, None)):
        assert tried


def _action_cases():
    return [
        (model_admin, name)
        for model_admin in REGISTERED
        for name in model_admin.get_actions(_admin_request(_Superuser()))
    ]


class _Superuser:
    """Enough of a user to list the actions at collection time."""

    is_active = is_staff = is_superuser = True

    def has_perm(self, perm, obj=None):
        return True

    def has_perms(self, perms, obj=None):
        return True


ACTIONS = _action_cases()


@pytest.mark.parametrize(
    "model_admin, action",
    ACTIONS,
    ids=[f"{m.model._meta}-{a}" for m, a in ACTIONS],
)
def test_hostile_selections_run_no_action(model_admin, action, site):
    client, opts = site["client"], model_admin.model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    real = model_admin.model._default_manager.order_by("pk").first()
    real_pk = str(real.pk) if real else "1"
    before, problems = snapshot(), []
    bodies = [{ACTION_CHECKBOX_NAME: [value]} for value in HOSTILE_IDS] + [
        {ACTION_CHECKBOX_NAME: [real_pk, value]} for value in HOSTILE_IDS
    ]
    bodies += [
        {ACTION_CHECKBOX_NAME: [real_pk], "select_across": [value]}
        for value in ["0\x00", "1\x00", "2", "-1", "yes", "true", "00", " 0", ""]
    ]
    for body in bodies:
        status, text = send(client, url, {"action": action, "index": "0", **body})
        shown = f"{action} {body!r:.80}"
        if status == "raised" or status >= 500:
            problems.append(f"{shown}: {status} {text}")
        elif "The selection was not understood" not in text:
            problems.append(f"{shown}: no refusal shown")
    assert not problems, "\n".join(problems)
    assert snapshot() == before


def test_select_across_with_a_nul_publishes_nothing(site):
    client = site["client"]
    url = reverse("admin:articles_article_changelist")
    draft, scheduled = site["draft"], site["scheduled"]
    status, text = send(
        client,
        url,
        {
            "action": "publish_selected",
            "index": "0",
            ACTION_CHECKBOX_NAME: [str(draft.pk)],
            "select_across": "0\x00",
        },
    )
    assert status == 200
    assert "“select all” must be 0 or 1. Nothing was changed" in text
    draft.refresh_from_db()
    scheduled.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert scheduled.published_at > draft.created_at  # still in the future
    assert Article.objects.published().count() == 1  # only the live one
    assert Client().get(draft.get_absolute_url()).status_code == 404


def test_select_across_zero_acts_on_the_selection_only(site):
    client = site["client"]
    draft, other = site["draft"], ArticleFactory(authors=[site["author"]])
    status, text = send(
        client,
        reverse("admin:articles_article_changelist"),
        {
            "action": "publish_selected",
            "index": "0",
            ACTION_CHECKBOX_NAME: [str(draft.pk)],
            "select_across": "0",
        },
    )
    assert "1 story published." in text
    assert Article.objects.get(pk=draft.pk).status == Status.PUBLISHED
    assert Article.objects.get(pk=other.pk).status == Status.DRAFT


@pytest.mark.parametrize("value", HOSTILE_IDS)
def test_story_add_form_refuses_a_hostile_section(value, site):
    data = story_form(site["section"], site["author"]) | {"section": value}
    for prefix in ("related_links", "corrections", "events"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    count = Article.objects.count()
    status, text = send(site["client"], reverse("admin:articles_article_add"), data)
    assert status == 200
    assert "Please correct the error below." in text
    assert any(
        message in text
        for message in (
            "Select a valid choice.",
            "Null characters are not allowed.",
            "This field is required.",
        )
    )
    assert Article.objects.count() == count


@pytest.mark.parametrize("value", HOSTILE_IDS)
def test_tag_merge_refuses_a_hostile_tag_id(value, site):
    keep, other = Tag.objects.order_by("pk")
    status, text = send(
        site["client"],
        reverse("admin:tags_tag_merge"),
        {"tags": [str(keep.pk), str(other.pk), value], "survivor": str(keep.pk)},
    )
    assert status == 200
    assert "Nothing was merged: choose the tags again from the list." in text
    assert Tag.objects.filter(pk__in=[keep.pk, other.pk]).count() == 2


@pytest.mark.parametrize("value", HOSTILE_IDS)
def test_list_editable_rows_with_hostile_ids_change_nothing(value, site):
    before = snapshot()
    status, text = send(
        site["client"],
        reverse("admin:tags_tag_changelist"),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": value,
            "form-0-strip_position": "3",
            "_save": "Save",
        },
    )
    assert status == 200, text
    assert "Nothing was changed; reload the list." in text
    assert snapshot() == before


@pytest.mark.parametrize("value", HOSTILE_IDS)
def test_image_focal_point_refuses_hostile_numbers(value, site):
    from images import imaging
    from images.services import image_create

    image = image_create(
        upload=imaging.check_and_clean("a.jpg", picture_bytes()),
        by=site["superuser"],
        title="Quay",
        alt_text="The quay",
    )
    before = snapshot()
    status, text = send(
        site["client"],
        reverse("admin:images_image_change", args=[image.pk]),
        {
            "title": "Quay",
            "alt_text": "The quay",
            "caption": "",
            "credit": "",
            "focal_x": value,
            "focal_y": "nan" if value else "0.5",
        },
    )
    assert status == 200, text
    assert "Please correct the error" in text
    assert snapshot() == before
    assert Image.objects.get(pk=image.pk).focal_x == 0.5


def test_autocomplete_lookups_with_hostile_terms_never_fail(site):
    client, problems = site["client"], []
    fields = [
        ("articles", "article", "section"),
        ("articles", "article", "hero_image"),
        ("articles", "byline", "author"),
        ("articles", "relatedlink", "target"),
        ("articles", "frontpageslot", "article"),
        ("articles", "author", "user"),
    ]
    for app_label, model_name, field_name in fields:
        for value in [*HOSTILE_IDS, "%", "_", "\\"]:
            query = {
                "app_label": app_label,
                "model_name": model_name,
                "field_name": field_name,
                "term": value,
                "page": value,
            }
            try:
                with transaction.atomic():
                    response = client.get(reverse("admin:autocomplete"), query)
            except Exception as error:
                problems.append(f"{field_name} {value[:20]!r}: raised {error!r:.200}")
                continue
            if response.status_code >= 500:
                problems.append(f"{field_name} {value[:20]!r}: {response.status_code}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "value, expected",
    [("1", True), ("0", True), ("9223372036854775807", True)]
    + [(value, False) for value in HOSTILE_IDS]
    + [("9223372036854775808", False), (1.5, False), (None, False), (True, False)],
)
def test_is_id_takes_only_plain_digits_in_range(value, expected):
    assert is_id(value) is expected


def test_list_editable_rows_with_real_ids_still_save(site):
    tag = site["tag"]
    status, text = send(
        site["client"],
        reverse("admin:tags_tag_changelist"),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(tag.pk),
            "form-0-strip_position": "3",
            "_save": "Save",
        },
    )
    assert status == 200
    assert "was changed successfully" in text
    assert Tag.objects.get(pk=tag.pk).strip_position == 3
