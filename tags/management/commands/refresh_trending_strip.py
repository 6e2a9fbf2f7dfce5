from django.core.management.base import BaseCommand

from tags.services import trending_invalidate


class Command(BaseCommand):
    help = (
        "Work the trending strip out again and, if it reads differently (the "
        "window moved on), invalidate the pages showing the old one. Pages "
        "never do this while they are read; run it every few minutes."
    )

    def handle(self, *args, **options):
        changed = trending_invalidate()
        self.stdout.write(
            "The trending strip changed; pages showing it will be rebuilt."
            if changed
            else "The trending strip is unchanged."
        )
