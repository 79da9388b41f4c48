from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Write the database and the uploaded files to one archive (core/backup.py)."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="the archive's path (default: BACKUP_DIR/...tar)")

    def handle(self, *args, output=None, **options):
        try:
            summary = create_backup(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        media = summary.manifest["media"]
        self.stdout.write(
            f"backup written to {summary.path}: {summary.manifest['engine']} database "
            f"({summary.manifest['database']['bytes']} bytes), {media['files']} files"
        )
