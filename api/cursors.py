"""Opaque cursors for keyset pagination: the sort value and id of the last
item a page showed, signed so a client can only hand back what we gave it.

Keyset pages never skip or repeat an item when stories are published while
a client walks the list, unlike page numbers (a new story would push every
later one a page down).
"""

from datetime import datetime

from django.core import signing

SALT = "api.cursor"


class BadCursor(ValueError):
    """A cursor we did not make, or made for another ordering."""


def cursor_make(*, ordering: str, value, pk: int) -> str:
    if isinstance(value, datetime):
        value = {"t": value.isoformat()}
    return signing.dumps([ordering, value, pk], salt=SALT, compress=True)


def cursor_read(cursor: str, *, ordering: str) -> tuple[object, int]:
    """The (sort value, id) after which the next page starts."""
    try:
        made_for, value, pk = signing.loads(cursor, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise BadCursor("This cursor is not one the API gave out.") from error
    if made_for != ordering:
        raise BadCursor(
            f"This cursor belongs to ordering={made_for}; send the same ordering."
        )
    if isinstance(value, dict):
        value = datetime.fromisoformat(value["t"])
    return value, pk
