from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, read_manifest, restore_backup


class Command(BaseCommand):
    help = (
        "Replace the database's contents and the uploaded files with a backup's "
        "(stop the web, ws, worker and beat processes first; run migrate afterwards)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, archive, yes=False, **options):
        try:
            manifest = read_manifest(archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{archive}: {manifest['engine']} backup made {manifest['created_at']}, "
            f"{manifest['media']['files']} files"
        )
        if not yes:
            answer = input("This replaces every row and every uploaded file. Type 'yes': ")
            if answer.strip() != "yes":
                raise CommandError("Not restored.")
        try:
            restore_backup(archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("restored; run `manage.py migrate` if the code is newer than the backup")
