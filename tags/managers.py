from django.db.models.functions import Lower
from taggit.managers import _TaggableManager

from core.text import skeleton_variants
from tags.models import Tag, TagAlias, normalize_tag_name


def existing_tags(names: set[str]) -> dict[str, Tag]:
    """For each lower-case name: the tag it files under, by its own name, a
    merged name, or a look-alike of either ("café" typed where "cafe\u0301",
    "ｃafé" or "сafé" with a Cyrillic с exists). Three queries at most."""
    found: dict[str, Tag] = {}
    aliases = (
        TagAlias.objects.annotate(lower_name=Lower("name"))
        .filter(lower_name__in=names)
        .select_related("tag")
    )
    for alias in aliases:
        found[alias.lower_name] = alias.tag
    exact = Tag.objects.annotate(lower_name=Lower("name")).filter(
        lower_name__in=names - found.keys()
    )
    for tag in exact:
        found[tag.lower_name] = tag
    rest = {name: skeleton_variants(name) for name in names - found.keys()}
    if rest:
        wanted = set().union(*rest.values())
        # The oldest tag wins where earlier look-alikes already sit side by side.
        by_skeleton: dict[str, Tag] = {}
        for tag in Tag.objects.filter(name_skeleton__in=wanted).order_by("-pk"):
            by_skeleton[tag.name_skeleton] = tag
        merged = TagAlias.objects.filter(name_skeleton__in=wanted).select_related("tag")
        for alias in merged.order_by("-pk"):
            by_skeleton.setdefault(alias.name_skeleton, alias.tag)
        for name, variants in rest.items():
            matches = [by_skeleton[key] for key in variants if key in by_skeleton]
            if matches:
                found[name] = min(matches, key=lambda tag: tag.pk)
    return found


class NormalizingTaggableManager(_TaggableManager):
    """Taggit's manager, fed clean names: "Osmark " finds "osmark", a name
    merged into another tag files under the survivor, and a look-alike of an
    existing tag files under that tag instead of making a second one."""

    def _to_tag_model_instances(self, tags, tag_kwargs):
        names_seen = set()
        cleaned = []
        for tag in tags:
            if isinstance(tag, str):
                tag = normalize_tag_name(tag)
                if not tag or tag.lower() in names_seen:
                    continue
                names_seen.add(tag.lower())
            cleaned.append(tag)
        existing = existing_tags(names_seen) if names_seen else {}
        instances, seen_pks, new_skeletons = [], set(), set()
        for tag in cleaned:
            if isinstance(tag, str):
                tag = existing.get(tag.lower(), tag)
            if isinstance(tag, str):
                # Two new look-alikes typed together make one tag, the first.
                variants = skeleton_variants(tag)
                if variants & new_skeletons:
                    continue
                new_skeletons |= variants
            if isinstance(tag, Tag):
                # "café" and "cafe\u0301" typed together are one tag.
                if tag.pk in seen_pks:
                    continue
                seen_pks.add(tag.pk)
            instances.append(tag)
        return super()._to_tag_model_instances(instances, tag_kwargs)
