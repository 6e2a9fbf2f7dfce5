from taggit.managers import _TaggableManager

from tags.models import normalize_tag_name


class NormalizingTaggableManager(_TaggableManager):
    """Taggit's manager, fed normalised names so "Osmark " finds "osmark"."""

    def _to_tag_model_instances(self, tags, tag_kwargs):
        names_seen = set()
        cleaned = []
        for tag in tags:
            if isinstance(tag, str):
                tag = normalize_tag_name(tag)
                if not tag or tag.casefold() in names_seen:
                    continue
                names_seen.add(tag.casefold())
            cleaned.append(tag)
        return super()._to_tag_model_instances(cleaned, tag_kwargs)
