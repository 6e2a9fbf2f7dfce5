"""`make run` loads the demo on a fresh database: the command must work, and
work again on a database that already has it."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from accounts.models import ReaderProfile
from articles.models import Article
from comments.models import Comment


@pytest.mark.django_db(transaction=True)
def test_demo_loads_on_a_fresh_database_and_again_without_duplicates(
    roles, capsys, settings
):
    settings.NEWSROOM_TASKS_BACKEND = "immediate"
    call_command("load_demo")
    printed = capsys.readouterr().out
    stories, comments = Article.objects.count(), Comment.objects.count()
    assert stories > 0 and comments > 0
    assert "reader@cupure.example" in printed

    call_command("load_demo")
    assert (Article.objects.count(), Comment.objects.count()) == (stories, comments)

    # The demo readers can log in at once: they were made open, not mailed.
    reader = authenticate(username="reader@cupure.example", password="cupure-reader")
    assert reader is not None and reader.is_active
    assert ReaderProfile.objects.filter(user=reader).exists()
    editor = authenticate(username="editor", password="cupure-editor")
    assert editor is not None and editor.is_staff
    assert editor.has_perm("articles.publish_article")
