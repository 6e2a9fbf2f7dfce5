from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from pagecache import keys
from pagecache.parts import story_list_part
from tags.models import Tag, TagRedirect, stories


def tag_detail(request, slug):
    if "\x00" in slug:
        # No slug holds one, and PostgreSQL refuses it in a query.
        raise Http404
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        # A merged or re-slugged tag keeps its old address.
        moved = get_object_or_404(
            TagRedirect.objects.select_related("tag"), old_slug=slug
        )
        return redirect(moved.tag, permanent=True)
    tagged = stories().published().filter(tags=tag).for_cards().newest_first()
    part = story_list_part(
        request,
        f"tag:{tag.pk}",
        [keys.tag(tag.pk)],
        tagged,
        show_section=True,
        heading="h2",
        empty_message=_("No published stories carry this tag yet."),
    )
    return render(request, "tags/tag_detail.html", {"tag": tag, "part": part})
