from django.conf import settings
from django.core.management.base import BaseCommand

from comments.services import comment_purge_personal_data


class Command(BaseCommand):
    help = (
        "Forget the IP addresses and browsers of comments older than "
        "NEWSROOM_COMMENT_IP_RETENTION_DAYS. Run it daily."
    )

    def handle(self, *args, **options):
        count = comment_purge_personal_data()
        self.stdout.write(
            f"Purged IP address and browser from {count} comments older than "
            f"{settings.NEWSROOM_COMMENT_IP_RETENTION_DAYS} days."
        )
