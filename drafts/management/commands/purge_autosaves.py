from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from drafts.services import autosave_purge_stale


class Command(BaseCommand):
    help = (
        "Delete autosaved draft copies nobody has touched for "
        "NEWSROOM_AUTOSAVE_KEEP_DAYS days (or --days). Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args, days=None, **options):
        days = settings.NEWSROOM_AUTOSAVE_KEEP_DAYS if days is None else days
        if days < 1:
            raise CommandError("--days must be at least 1.")
        count = autosave_purge_stale(days=days)
        self.stdout.write(f"Deleted {count} autosaved drafts older than {days} days.")
