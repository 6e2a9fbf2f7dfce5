from django.core.management.base import BaseCommand, CommandError

from webhooks.services import deliveries_requeue_overdue


class Command(BaseCommand):
    help = (
        "Queue again webhook deliveries overdue by --minutes (15) whose job "
        "was lost. Safe to run often (every 15 minutes)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=15)

    def handle(self, *args, minutes, **options):
        if minutes < 1:
            raise CommandError("--minutes must be at least 1.")
        count = deliveries_requeue_overdue(minutes=minutes)
        self.stdout.write(f"Queued {count} overdue webhook deliveries again.")
