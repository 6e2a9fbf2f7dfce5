from django.db import models
from django.utils.translation import gettext_lazy as _


class Lease(models.Model):
    """A worker's hold on the job it is running, renewed while it runs.

    A job still RUNNING after its lease has expired was left by a worker that
    died or lost the database; the next worker records that run as failed and
    queues the next attempt (`jobs.worker`).
    """

    task_result = models.OneToOneField(
        "django_tasks_database.DBTaskResult",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="lease",
        verbose_name=_("task result"),
    )
    worker_id = models.CharField(_("worker id"), max_length=64)
    expires_at = models.DateTimeField(
        _("expires at"),
        help_text=_("Another worker takes the job over after this time."),
    )

    class Meta:
        verbose_name = _("lease")
        verbose_name_plural = _("leases")
        indexes = [models.Index(fields=["expires_at"], name="jobs_lease_expires_at")]

    def __str__(self):
        return f"{self.task_result_id} held by {self.worker_id}"
