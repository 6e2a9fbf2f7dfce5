from django.shortcuts import get_object_or_404, render

from articles.models import Article
from articles.views import paginate
from tags.models import Tag


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    stories = Article.objects.published().filter(tags=tag).for_listing().newest_first()
    return render(
        request,
        "tags/tag_detail.html",
        {"tag": tag, "page": paginate(request, stories)},
    )
