"""The admin's defences against hand-made input: address-bar filters, the
changelist's action form and autocomplete fields refuse what is not an id
instead of failing on it. Every ModelAdmin and inline of ours uses them."""

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

_INTEGER_TYPES = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
}
# ASCII digits only: int() also takes " 1", "1_0", "١" and "+1".
_DIGITS = re.compile(r"[0-9]{1,19}")
_LARGEST_ID = 2**63 - 1  # PostgreSQL's bigint


def is_id(value, field=None) -> bool:
    """`value`, as posted, could be the key of a row: for integer keys (and
    `field=None`) ASCII digits within a bigint, otherwise what the field
    accepts, never with a NUL (PostgreSQL refuses it in any query)."""
    if not isinstance(value, str | int) or isinstance(value, bool):
        return False
    text = str(value)
    if field is not None and field.is_relation:
        field = field.target_field
    if field is None or field.get_internal_type() in _INTEGER_TYPES:
        return bool(_DIGITS.fullmatch(text)) and int(text) <= _LARGEST_ID
    if "\x00" in text:
        return False
    try:
        field.to_python(text)
    except ValidationError:
        return False
    return True


class SafeChangeListMixin:
    """Filters in the address bar.

    Django lets two kinds of hand-made filter through to a server error: a
    NUL in a text filter (PostgreSQL refuses it), and a date-hierarchy year
    out of range, `?published_at__year=9999` or `=99999999999999999999`
    (Django ticket #37357, fixed after 5.2). Both now get Django's own answer
    to a bad filter: a redirect to `?e=1`.
    """

    def get_changelist_instance(self, request):
        if any(
            "\x00" in value for _, values in request.GET.lists() for value in values
        ):
            raise IncorrectLookupParameters("A filter holds a NUL character.")
        try:
            return super().get_changelist_instance(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error


class SafeActionsMixin:
    """The changelist's action form.

    Django filters the selection with the ids as posted (`1.5` or a NUL is a
    server error) and reads `select_across` as true for any non-empty text,
    so `0\\x00` ran the action on every row of the table. Here anything but
    real ids and `0`/`1` is refused before the action runs, with a message;
    so are rows of an editable list whose ids are not ids.
    """

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST":
            problem = self.action_input_problem(request)
            if problem:
                self.message_user(request, problem, messages.ERROR)
                return HttpResponseRedirect(request.get_full_path())
        return super().changelist_view(request, extra_context)

    def action_input_problem(self, request) -> str:
        """Why the posted selection cannot be acted on, or ""."""
        name = self.model._meta.verbose_name
        pk = self.model._meta.pk
        for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
            if not is_id(value, pk):
                return _(
                    "The selection was not understood: “%(value)s” is not the id "
                    "of a %(name)s. Nothing was changed; select the rows again."
                ) % {"value": value[:40], "name": name}
        if "_save" in request.POST and self.list_editable:
            # The rows of an edited list: Django takes "+1" or " 1" as row 1.
            prefix = self.get_changelist_formset(request).get_default_prefix()
            for value in self._get_edited_object_pks(request, prefix):
                if not is_id(value, pk):
                    return _(
                        "The list was not understood: “%(value)s” is not the id "
                        "of a %(name)s. Nothing was changed; reload the list."
                    ) % {"value": value[:40], "name": name}
        across = request.POST.getlist("select_across")
        # One per action bar: the changelist may draw two.
        if any(value not in {"0", "1"} for value in across):
            return _(
                "The selection was not understood: “select all” must be 0 or 1. "
                "Nothing was changed; select the rows again."
            )
        return ""


def _is_key(field: forms.ModelChoiceField, value) -> bool:
    opts = field.queryset.model._meta
    return is_id(value, opts.get_field(field.to_field_name or opts.pk.name))


class StrictModelChoiceField(forms.ModelChoiceField):
    """Refuses a value that is not written as an id (`1_0` and `١` are
    numbers to int()) before looking it up."""

    def to_python(self, value):
        if (
            value not in self.empty_values
            and not isinstance(value, self.queryset.model)
            and not _is_key(self, value)
        ):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class StrictModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for pk in value:
            if not _is_key(self, pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(pk)[:40]},
                )
        return super()._check_values(value)


class _SafeAutocompleteOptions:
    """Draws only the chosen values that are ids: Django's widget looks the
    posted values up as typed when a refused form is shown again."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        opts = remote.model._meta
        target = opts.get_field(getattr(remote, "field_name", None) or opts.pk.name)
        return super().optgroups(
            name, [choice for choice in value if is_id(choice, target)], attr
        )


class SafeAutocompleteSelect(_SafeAutocompleteOptions, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(
    _SafeAutocompleteOptions, AutocompleteSelectMultiple
):
    pass


class SafeAutocompleteMixin:
    """For ModelAdmins and inlines: relations are chosen with the strict
    fields, and autocomplete fields get the widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", StrictModelChoiceField)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(
            request
        ):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", StrictModelMultipleChoiceField)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(
            request
        ):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class SafeAdminMixin(SafeChangeListMixin, SafeActionsMixin, SafeAutocompleteMixin):
    """Everything above, for a ModelAdmin with another base (VersionAdmin)."""


class NewsroomModelAdmin(SafeAdminMixin, admin.ModelAdmin):
    """The base of every ModelAdmin of ours."""


class NewsroomTabularInline(SafeAutocompleteMixin, admin.TabularInline):
    pass


class NewsroomStackedInline(SafeAutocompleteMixin, admin.StackedInline):
    pass


class ReadOnlyAdmin(NewsroomModelAdmin):
    """A list the newsroom reads and never edits by hand: what readers chose,
    what the site did (deliveries), what a service starts."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
