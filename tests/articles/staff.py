"""Staff helpers for story tests: a member of a newsroom group, a journalist's
own story, the admin change form's POST data for a story as it stands (every
inline's management form, the bylines it has, the version it was loaded at) so
a test changes only the fields it names, and a save through that form."""

from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import ArticleFactory, UserFactory


def member(group: str, username: str):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def own_story(journalist, **kwargs):
    return ArticleFactory(created_by=journalist, **kwargs)


def change_form(story, **extra):
    data = {
        "headline": story.headline,
        "slug": story.slug,
        "dek": story.dek,
        "section": story.section_id,
        "body": story.body,
        "tags": "",
        "source_name": "",
        "source_url": "",
        "comments_mode": story.comments_mode,
        "loaded_version": story.edit_version,
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "related_links-TOTAL_FORMS": "0",
        "related_links-INITIAL_FORMS": "0",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    for byline in story.bylines.all():
        n = int(data["bylines-TOTAL_FORMS"])
        data |= {
            f"bylines-{n}-id": byline.pk,
            f"bylines-{n}-article": story.pk,
            f"bylines-{n}-author": byline.author_id,
            f"bylines-{n}-position": byline.position,
        }
        data["bylines-TOTAL_FORMS"] = data["bylines-INITIAL_FORMS"] = str(n + 1)
    return data | extra


def edit(client, story, **changes):
    """Save `story` through the admin change form with `changes`."""
    story.refresh_from_db()
    url = reverse("admin:articles_article_change", args=[story.pk])
    return client.post(url, change_form(story, **changes, _continue="Save"))
