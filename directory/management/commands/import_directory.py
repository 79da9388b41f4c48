"""`manage.py import_directory file.csv [--apply] [--authoritative] [--create-departments]
--as <admin username>`: the directory import of /directory/import/ from a shell or a cron
job. A dry run unless --apply; exits 1 when a row is refused (nothing is changed then)."""

from django.core.management.base import BaseCommand, CommandError

from core.errors import ApplicationError
from people.selectors import get_account

from ... import services


class Command(BaseCommand):
    help = "Import the company directory from a CSV file (a dry run unless --apply)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--apply", action="store_true", help="Make the changes.")
        parser.add_argument(
            "--authoritative",
            action="store_true",
            help="The file lists everyone: deactivate active people who are not in it.",
        )
        parser.add_argument(
            "--create-departments",
            action="store_true",
            help="Create departments the file names that do not exist yet.",
        )
        parser.add_argument(
            "--as", dest="actor", required=True, help="The admin the audit log names."
        )

    def handle(self, *args, **options):
        actor = get_account(username=options["actor"])
        if actor is None:
            raise CommandError(f"No active account {options['actor']!r}.")
        try:
            with open(options["file"], encoding="utf-8-sig", newline="") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {options['file']}: {exc}") from exc
        run = services.apply_import if options["apply"] else services.plan_import
        try:
            plan = run(
                actor=actor,
                text=text,
                authoritative=options["authoritative"],
                create_departments=options["create_departments"],
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        for error in plan.errors:
            self.stderr.write(f"line {error.line}: {error.message}")
        if plan.errors:
            raise CommandError(f"{len(plan.errors)} row(s) refused; nothing was changed.")
        for change in plan.changes:
            fields = "; ".join(
                f"{k}: {old!r} -> {new!r}" for k, (old, new) in change.fields.items()
            )
            where = f"line {change.line}" if change.line else "not in file"
            self.stdout.write(f"{where}: {change.username} {change.kind} {fields}".rstrip())
        verb = "applied" if plan.applied else "would change (dry run; --apply to make them)"
        self.stdout.write(f"{plan.rows} rows; {len(plan.changes)} changes {verb}.")
