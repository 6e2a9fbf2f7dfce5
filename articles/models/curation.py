"""The front page as editors arrange it."""

from django.db import models
from django.db.models import (
    Q,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models.stories import Article


class FrontPageSlotQuerySet(models.QuerySet):
    def current(self):
        """Slots whose story is live and whose expiry hasn't passed."""
        now = timezone.now()
        return self.filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now),
            article__in=Article.objects.published(),
        )


class FrontPageSlot(models.Model):
    """An editor's choice for the headlines page: the lead or a top story."""

    position = models.PositiveSmallIntegerField(
        _("position"),
        unique=True,
        help_text=_("0 is the lead story; 1, 2, 3… are the top stories in order."),
    )
    article = models.ForeignKey(
        Article,
        verbose_name=_("story"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    expires_at = models.DateTimeField(
        _("until"),
        null=True,
        blank=True,
        help_text=_(
            "Optional. After this time the slot empties and the newest story "
            "takes its place."
        ),
    )

    objects = FrontPageSlotQuerySet.as_manager()

    class Meta:
        ordering = ["position"]
        verbose_name = _("front-page slot")
        verbose_name_plural = _("front page")

    def __str__(self):
        return (
            str(_("Lead story"))
            if self.position == 0
            else f"#{self.position}: {self.article}"
        )
