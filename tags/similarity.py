"""Near-duplicate tags: the same subject written differently.

Two names are near-duplicates when their *skeletons* match (case, spacing,
punctuation and simple plurals ignored: "Trump-Putin" ~ "trump putin" ~
"trumpputin", "trumps" ~ "trump"), or when the skeletons are long enough and
differ by a small typo ("veltria" ~ "vetlria").
"""

import re
import unicodedata
from collections.abc import Iterable

from core.text import skeleton as looks_like

_WORD = re.compile(r"[^\W_]+")
_SIBILANT_PLURAL = ("sses", "shes", "ches", "xes", "zes")
_NOT_PLURAL = ("ss", "us", "is", "ics", "news")


def singular(word: str) -> str:
    """A crude English singular: good enough to pair "trumps" with "trump"."""
    if len(word) <= 3 or word.endswith(_NOT_PLURAL):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(_SIBILANT_PLURAL):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def _words(name: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", looks_like(name.casefold()))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return [singular(word) for word in _WORD.findall(plain)]


def skeleton(name: str) -> str:
    """Casefolded, accent-free words in singular form, joined without spaces;
    look-alike letters read as what they look like ("сafé" with a Cyrillic с
    is "cafe"), so look-alikes made before they were refused are grouped."""
    return "".join(_words(name))


GLUED_WORD = 5


def narrows(name: str, broader: str) -> bool:
    """Whether `name` is `broader` with words added after it ("trump putin"
    and "trumpputin summit" narrow "trump"; "trumpet" and "trumps" narrow
    nothing). A word glued on counts when it is word-long (five letters).
    Not a near-duplicate: a hint that one tag may do."""
    words, wanted = _words(name), skeleton(broader)
    whole = "".join(words)
    if not wanted or len(whole) <= len(wanted) or not whole.startswith(wanted):
        return False
    end = 0
    for word in words:
        end += len(word)
        if end >= len(wanted):
            return end == len(wanted) or end - len(wanted) >= GLUED_WORD
    return False


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau–Levenshtein distance (adjacent swaps count once), capped at limit+1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(
                previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost
            )
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def typo_budget(length: int) -> int:
    """How many edits still count as a typo. None for short names, where one
    letter makes another word ("police" and "polite")."""
    if length < 7:
        return 0
    return 1 if length < 11 else 2


def are_near_duplicates(a: str, b: str) -> bool:
    skeleton_a, skeleton_b = skeleton(a), skeleton(b)
    if not skeleton_a or not skeleton_b:
        return False
    if skeleton_a == skeleton_b:
        return True
    limit = typo_budget(min(len(skeleton_a), len(skeleton_b)))
    return limit > 0 and edit_distance(skeleton_a, skeleton_b, limit) <= limit


def group_near_duplicates(
    names: Iterable[str], pairs: Iterable[tuple[str, str]] | None = None
) -> list[list[str]]:
    """Groups (of two or more) of names that are near-duplicates of each other.

    `pairs` are candidate pairs to check (from pg_trgm on PostgreSQL); without
    them, names are compared within blocks sharing a first letter, which is
    where typos rarely are.
    """
    names = list(dict.fromkeys(names))
    parent = {name: name for name in names}

    def root(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    def join(a: str, b: str) -> None:
        parent[root(a)] = root(b)

    by_skeleton: dict[str, str] = {}
    for name in names:
        key = skeleton(name)
        # Names of punctuation alone ("!!!", "_") look like nothing.
        if key and key in by_skeleton:
            join(name, by_skeleton[key])
        else:
            by_skeleton[key] = name

    if pairs is None:
        blocks: dict[str, list[str]] = {}
        for key, name in by_skeleton.items():
            if key:
                blocks.setdefault(key[0], []).append(name)
        pairs = (
            (block[i], other)
            for block in blocks.values()
            for i in range(len(block))
            for other in block[i + 1 :]
        )
    for a, b in pairs:
        known = a in parent and b in parent
        if known and root(a) != root(b) and are_near_duplicates(a, b):
            join(a, b)

    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(root(name), []).append(name)
    return [group for group in groups.values() if len(group) > 1]
