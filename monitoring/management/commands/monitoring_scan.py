from django.core.management.base import BaseCommand

from core.wording import counted
from monitoring.services import scan_volumes


class Command(BaseCommand):
    help = "Scan question volumes for surges now (what the beat schedule runs every minute)."

    def handle(self, *args, **options):
        result = scan_volumes()
        self.stdout.write(
            f"{counted(result.keys, 'key')} scanned in {result.seconds * 1000:.0f} ms: "
            f"{counted(len(result.opened), 'alert')} opened, {len(result.updated)} updated, "
            f"{len(result.resolved)} resolved."
        )
