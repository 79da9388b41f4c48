from django.core.management.base import BaseCommand

from monitoring.services import scan_volumes


class Command(BaseCommand):
    help = "Scan question volumes for surges now (what the beat schedule runs every minute)."

    def handle(self, *args, **options):
        result = scan_volumes()
        self.stdout.write(
            f"{result.keys} keys scanned in {result.seconds * 1000:.0f} ms: "
            f"{len(result.opened)} alerts opened, {len(result.updated)} updated, "
            f"{len(result.resolved)} resolved."
        )
