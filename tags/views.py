from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from core.pagination import paginate
from pagecache import keys, store
from pagecache.cards import cached_cards
from tags.models import Tag, TagRedirect, stories


@cached_cards
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
    page = paginate(request, tagged)
    store.depends_on(request, keys.tag(tag.pk), *keys.stories(page.object_list))
    return render(request, "tags/tag_detail.html", {"tag": tag, "page": page})
