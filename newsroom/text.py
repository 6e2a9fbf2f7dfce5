"""Names as readers see them: one rule, shared by every app, for when two
emails, usernames, display names or tags are "the same".

`visible_text` is what gets stored (NFKC, nothing invisible, one space);
`folded` adds case folding for comparing; `skeleton` is the Unicode TR39
confusables skeleton (ICU's SpoofChecker), so "Мarta" with a Cyrillic М,
"Marta" and "Ｍarta" share one. Imports nothing from the apps.
"""

import re
import unicodedata
from functools import cache

import icu
from django.utils.encoding import punycode

_SPACES = re.compile(r"\s+")


def _without_invisible(text: str) -> str:
    # Controls, zero-width and bidi marks, unassigned and private-use code
    # points ("C*"): nothing a reader sees, so nothing that tells names apart.
    return "".join(
        char
        for char in text
        if char.isspace() or not unicodedata.category(char).startswith("C")
    )


def visible_text(text: str | None) -> str:
    """NFKC, without invisible characters, every run of spaces (NBSP and the
    like included) one plain space, trimmed. Idempotent."""
    text = unicodedata.normalize("NFKC", _without_invisible(text or ""))
    # Dropping a zero-width character can bring a letter and its accent together.
    text = unicodedata.normalize("NFKC", _without_invisible(text))
    return _SPACES.sub(" ", text).strip()


def folded(text: str | None) -> str:
    """The comparison form: visible text, case-folded (and NFKC again, which
    case folding can undo)."""
    return unicodedata.normalize("NFKC", visible_text(text).casefold())


@cache
def _spoof_checker() -> icu.SpoofChecker:
    return icu.SpoofChecker()


def skeleton(text: str | None) -> str:
    """What the text looks like: the TR39 skeleton of its visible text, then
    folded. The form stored beside a name for look-alike checks."""
    return folded(_spoof_checker().getSkeleton(0, visible_text(text)))


def skeleton_variants(text: str | None) -> set[str]:
    """The skeletons to look a new name up by. The skeleton maps capital I to
    l but small i to itself, so the name's folded and upper-case forms are
    looked up too: "BILL" then meets "bill", and "BiII" meets "Bill"."""
    shown = visible_text(text)
    return {skeleton(shown), skeleton(folded(shown)), skeleton(shown.upper())}


def looks_alike(a: str, b: str) -> bool:
    """Whether a reader could take one name for the other."""
    return skeleton(a) in skeleton_variants(b) or skeleton(b) in skeleton_variants(a)


def normalize_email(address: str | None) -> str:
    """The one stored form of an address: visible text, no spaces, lower
    case, the domain in its IDNA (ASCII) form, as mail servers see it.

    Raises ValueError for a domain IDNA cannot write.
    """
    address = visible_text(address).replace(" ", "").lower()
    local, at, domain = address.rpartition("@")
    if not at:
        return address
    try:
        domain = punycode(domain).lower()
    except UnicodeError as error:
        raise ValueError(f"{domain!r} is not a valid domain") from error
    return f"{local}@{domain}"
