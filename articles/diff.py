"""A readable difference between two revisions of a story.

Lead-ins are kept as marked words in the body's text, so making "The big
picture:" a lead-in shows as a change; saves that changed nothing shown here
are found (`visible_changes`) so the compare page can fold them away.
"""

import difflib
import re

from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Author, Byline, RelatedLink, Section
from articles.richtext import LEAD_IN_CLASS
from tags.models import Tag, TaggedArticle

# A lead-in travels through the diff as one token between these marks.
_OPEN, _CLOSE = "⟦", "⟧"
_TOKENS = re.compile(rf"{_OPEN}[^{_CLOSE}]*{_CLOSE}\s*|\S+\s*|\s+")
_LEAD_IN = re.compile(
    rf'<strong class="{LEAD_IN_CLASS}">(.*?)</strong>', re.DOTALL | re.IGNORECASE
)


def _followed(version, model, field: str) -> list[int]:
    rows = [
        other.field_dict
        for other in version.revision.version_set.all()
        if other._model is model
    ]
    rows.sort(key=lambda row: (row.get("position", 0), row.get(field)))
    return [row[field] for row in rows]


class _Names:
    """The names a set of versions refers to, fetched once for all of them."""

    def __init__(self, versions):
        versions = list(versions)
        author_ids, tag_ids, story_ids, section_ids = set(), set(), set(), set()
        for version in versions:
            author_ids.update(_followed(version, Byline, "author_id"))
            tag_ids.update(_followed(version, TaggedArticle, "tag_id"))
            story_ids.update(_followed(version, RelatedLink, "target_id"))
            section_ids.add(version.field_dict["section_id"])
        self.authors = dict(
            Author.objects.filter(pk__in=author_ids).values_list("pk", "name")
        )
        self.tags = dict(Tag.objects.filter(pk__in=tag_ids).values_list("pk", "name"))
        self.headlines = dict(
            Article.objects.filter(pk__in=story_ids).values_list("pk", "headline")
        )
        self.sections = {
            section.pk: str(section)
            for section in Section.objects.filter(pk__in=section_ids)
        }


def _snapshot(version, names: _Names) -> dict[str, str]:
    values = version.field_dict
    return {
        _("Headline"): values["headline"],
        _("Slug"): values["slug"],
        _("Dek"): values["dek"],
        _("Section"): names.sections.get(values["section_id"], "—"),
        _("Body"): _body_text(values["body"]),
        _("Bylines"): ", ".join(
            names.authors.get(pk, "?") for pk in _followed(version, Byline, "author_id")
        ),
        _("Tags"): ", ".join(
            sorted(
                names.tags.get(pk, "?")
                for pk in _followed(version, TaggedArticle, "tag_id")
            )
        ),
        _("Go deeper"): "; ".join(
            names.headlines.get(pk, "?")
            for pk in _followed(version, RelatedLink, "target_id")
        ),
        _("Source"): " ".join(
            filter(None, [values["source_name"], values["source_url"]])
        ),
    }


def _body_text(html: str) -> str:
    """Paragraphs as lines of plain text: what a reader would notice changing,
    lead-ins (bold labels) included."""
    text = (html or "").replace(_OPEN, "").replace(_CLOSE, "")
    text = _LEAD_IN.sub(lambda m: f"{_OPEN}{strip_tags(m[1])}{_CLOSE}", text)
    with_breaks = re.sub(r"</(p|h2|h3|li|blockquote)>", "\n", text)
    return strip_tags(with_breaks).strip()


def _show_lead_ins(html: SafeString) -> SafeString:
    # Every mark pair sits inside one escaped token, so the tags stay balanced.
    return mark_safe(  # noqa: S308 - the text around the marks is escaped
        html.replace(_OPEN, f'<strong class="{LEAD_IN_CLASS}">').replace(
            _CLOSE, "</strong>"
        )
    )


def inline_diff(old: str, new: str) -> SafeString:
    """Words removed in <del>, words added in <ins>, everything escaped."""
    old_tokens, new_tokens = _TOKENS.findall(old), _TOKENS.findall(new)
    parts = []
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(("{}", "".join(old_tokens[a1:a2])))
            continue
        if a2 > a1:
            parts.append(("<del>{}</del>", "".join(old_tokens[a1:a2])))
        if b2 > b1:
            parts.append(("<ins>{}</ins>", "".join(new_tokens[b1:b2])))
    return _show_lead_ins(
        format_html_join("", "{}", ((format_html(t, v),) for t, v in parts))
    )


def revision_diff(older, newer) -> list[dict]:
    """One row per field: its name, whether it changed and the marked-up change."""
    names = _Names([older, newer])
    before, after = _snapshot(older, names), _snapshot(newer, names)
    return [
        {
            "field": name,
            "changed": before[name] != after[name],
            "diff": inline_diff(before[name], after[name]),
        }
        for name in before
    ]


def visible_changes(versions) -> list[bool]:
    """For versions newest first: whether each changed anything the compare
    page shows since the one before it (the oldest always counts)."""
    versions = list(versions)
    names = _Names(versions)
    snapshots = [_snapshot(version, names) for version in versions]
    return [
        index == len(snapshots) - 1 or snapshots[index] != snapshots[index + 1]
        for index in range(len(snapshots))
    ]
