"""A readable difference between two revisions of a story."""

import difflib
import re

from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Author, Byline, RelatedLink, Section
from tags.models import Tag, TaggedArticle

_TOKENS = re.compile(r"\S+\s*|\s+")


def _followed(version, model, field: str) -> list[int]:
    rows = [
        other.field_dict
        for other in version.revision.version_set.all()
        if other._model is model
    ]
    rows.sort(key=lambda row: (row.get("position", 0), row.get(field)))
    return [row[field] for row in rows]


def _snapshot(version) -> dict[str, str]:
    values = version.field_dict
    authors = dict(Author.objects.values_list("pk", "name"))
    tags = dict(Tag.objects.values_list("pk", "name"))
    headlines = dict(Article.objects.values_list("pk", "headline"))
    section = Section.objects.filter(pk=values["section_id"]).first()
    return {
        _("Headline"): values["headline"],
        _("Slug"): values["slug"],
        _("Dek"): values["dek"],
        _("Section"): str(section or "—"),
        _("Body"): _body_text(values["body"]),
        _("Bylines"): ", ".join(
            authors.get(pk, "?") for pk in _followed(version, Byline, "author_id")
        ),
        _("Tags"): ", ".join(
            sorted(
                tags.get(pk, "?") for pk in _followed(version, TaggedArticle, "tag_id")
            )
        ),
        _("Go deeper"): "; ".join(
            headlines.get(pk, "?")
            for pk in _followed(version, RelatedLink, "target_id")
        ),
        _("Source"): " ".join(
            filter(None, [values["source_name"], values["source_url"]])
        ),
    }


def _body_text(html: str) -> str:
    """Paragraphs as lines of plain text: what a reader would notice changing."""
    with_breaks = re.sub(r"</(p|h2|h3|li|blockquote)>", "\n", html or "")
    return strip_tags(with_breaks).strip()


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
    return format_html_join("", "{}", ((format_html(t, v),) for t, v in parts))


def revision_diff(older, newer) -> list[dict]:
    """One row per field: its name, whether it changed and the marked-up change."""
    before, after = _snapshot(older), _snapshot(newer)
    return [
        {
            "field": name,
            "changed": before[name] != after[name],
            "diff": inline_diff(before[name], after[name]),
        }
        for name in before
    ]
