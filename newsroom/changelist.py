"""A changelist that refuses address-bar filters instead of failing on them."""

from django.contrib.admin.options import IncorrectLookupParameters


class SafeChangeListMixin:
    """For ModelAdmins with text filters or a date hierarchy.

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
