from django.apps import AppConfig
from django.db.models.signals import m2m_changed
from django.utils.translation import gettext_lazy as _


def _tags_changed(sender, instance, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"}:
        from articles.models import Article
        from articles.search import article_refresh_search_vector

        if isinstance(instance, Article):
            article_refresh_search_vector(instance.pk)


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Newsroom")

    def ready(self):
        from articles import changes
        from articles.workflow import refuse_image_change
        from images.signals import image_will_change
        from pagecache import store
        from tags.models import TaggedArticle

        # Changes readers may see are sent as articles/signals.py's signals.
        changes.connect()
        # No cached page outlives the next scheduled go-live.
        store.go_live_from(changes.next_go_live)

        # A story's tags are part of its search vector.
        m2m_changed.connect(_tags_changed, sender=TaggedArticle)

        # A picture leading a published story is edited as the story is.
        image_will_change.connect(refuse_image_change, dispatch_uid="articles")
