from django.db.models.functions import Lower
from taggit.managers import _TaggableManager

from tags.models import TagAlias, normalize_tag_name


class NormalizingTaggableManager(_TaggableManager):
    """Taggit's manager, fed clean names: "Osmark " finds "osmark", and a name
    merged into another tag files under the survivor."""

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
        survivors = {}
        if names_seen:
            aliases = (
                TagAlias.objects.annotate(lower_name=Lower("name"))
                .filter(lower_name__in=names_seen)
                .select_related("tag")
            )
            survivors = {alias.lower_name: alias.tag for alias in aliases}
        cleaned = [
            survivors.get(tag.lower(), tag) if isinstance(tag, str) else tag
            for tag in cleaned
        ]
        return super()._to_tag_model_instances(cleaned, tag_kwargs)
