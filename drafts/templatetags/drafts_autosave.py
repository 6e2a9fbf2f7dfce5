"""`{% autosave_offer original as offer %}`: the change form's autosave state,
so the form needs one include line and no change to the admin's views."""

from django import template
from django.urls import reverse

from drafts.services import autosave_may, autosave_offer

register = template.Library()

# Stands in for the key the add form makes up in the browser.
NEW_KEY_PLACEHOLDER = "00000000-0000-0000-0000-000000000000"


@register.simple_tag(takes_context=True)
def autosave_state(context, original=None):
    request = context.get("request")
    article = original if original is not None and original.pk else None
    if request is None or not autosave_may(by=request.user, article=article):
        return None
    if article is None:
        url = reverse("admin:articles_article_autosave_new", args=[NEW_KEY_PLACEHOLDER])
    else:
        url = reverse("admin:articles_article_autosave", args=[article.pk])
    return {
        "url": url,
        "placeholder": NEW_KEY_PLACEHOLDER,
        "offer": autosave_offer(by=request.user, article=article),
    }
