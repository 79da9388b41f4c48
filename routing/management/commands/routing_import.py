from django.core.management.base import BaseCommand, CommandError

from core.errors import ApplicationError
from people.selectors import get_account
from routing.services import import_questions


class Command(BaseCommand):
    help = (
        "Import customer questions from a CSV file (columns: channel, text, and optionally "
        "external_id, external_url, customer_name, customer_handle, customer_email, "
        "priority, received_at). A row received before is skipped, not duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument("--csv", required=True, help="Path to the CSV file (UTF-8)")
        parser.add_argument(
            "--as", dest="username", required=True, help="A social team member to import as"
        )

    def handle(self, *args, csv: str, username: str, **options):
        user = get_account(username=username)
        if user is None:
            raise CommandError(f"No active user {username!r}.")
        try:
            with open(csv, encoding="utf-8-sig", newline="") as lines:
                result = import_questions(actor=user, lines=lines)
        except OSError as exc:
            raise CommandError(f"Cannot read {csv}: {exc.strerror}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError("Save the file as UTF-8 CSV.") from exc
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        for line, field, message in result["errors"]:
            self.stderr.write(f"line {line}: {field}: {message}")
        self.stdout.write(
            f"{result['created']} new, {result['duplicates']} already received, "
            f"{len(result['errors'])} refused."
        )
