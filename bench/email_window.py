"""How long an email is "in flight": the windows a killed worker can fall into.

Sends N notification-sized emails through notifications.emails.send_once to a
local SMTP server (tests/smtp.py, in this process) and times, per email:

  claim      the "sending" claim's INSERT and COMMIT
  to_accept  from the committed claim to the server's 250 after DATA (connect, EHLO, MAIL,
             RCPT, DATA): a worker killed here leaves a "sending" claim the server never
             accepted, which the redelivered task sends once more
  dup        from the server's 250 to the committed "sent": a worker killed here leaves an
             accepted message behind a "sending" claim, which is then sent a second time
             (same Message-ID): the only duplicate window left
  quit       QUIT, after "sent" is committed (harmless now)
  old_dup    what the same window was before: from the 250 to the commit of a claim taken in
             the transaction around send(), QUIT included (dup + quit)

Usage (a migrated database; the local PostgreSQL is the realistic one):
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python bench/email_window.py [N]
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main(n: int) -> None:
    from tests.smtp import SMTPServer

    with SMTPServer() as server:
        os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{server.port}"
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.db import connection

        from notifications import emails
        from notifications.models import EmailDelivery

        User = get_user_model()
        user, _ = User.objects.get_or_create(
            username="bench.window", defaults={"email": "window@example.com"}
        )
        EmailDelivery.objects.filter(key__startswith="bench-window:").delete()
        phases: dict[str, list[float]] = {
            k: [] for k in ("claim", "to_accept", "dup", "quit", "old_dup")
        }
        real_claim, real_close = emails.claim, emails._close
        marks: dict[str, float] = {}

        def timed_claim(**kwargs):
            start = time.monotonic()
            taken = real_claim(**kwargs)
            marks["claimed"] = time.monotonic()
            phases["claim"].append(marks["claimed"] - start)
            return taken

        def timed_close(conn):
            marks["sent"] = time.monotonic()
            real_close(conn)
            marks["closed"] = time.monotonic()

        emails.claim, emails._close = timed_claim, timed_close
        text = "Ana Garcia mentioned you in Guild: Over to you @ben.okafor " * 4
        try:
            # As in the email task: claims commit without waiting for the WAL's fsync.
            with emails.commits_without_waiting_for_disk():
                _send_all(n, emails, server, user, text, marks, phases)
        finally:
            emails.claim, emails._close = real_claim, real_close
            EmailDelivery.objects.filter(key__startswith="bench-window:").delete()
        print(f"{n} emails, {connection.vendor}, load average {os.getloadavg()[0]:.2f}")
        for name, values in phases.items():
            values = sorted(values)
            p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
            print(
                f"  {name:10} median {statistics.median(values) * 1000:7.3f} ms"
                f"   p99 {p99 * 1000:7.3f} ms"
            )


def _send_all(n, emails, server, user, text, marks, phases) -> None:
    for i in range(n):
        emails.send_once(
            key=f"bench-window:{i}",
            recipient=user,
            subject="Ana Garcia mentioned you",
            text=text,
            html=f"<p>{text}</p>",
            unsubscribe="http://127.0.0.1:8000/u/x/",
        )
        accepted = server.accepted_at[-1]
        phases["to_accept"].append(accepted - marks["claimed"])
        phases["dup"].append(marks["sent"] - accepted)
        phases["quit"].append(marks["closed"] - marks["sent"])
        phases["old_dup"].append(marks["closed"] - accepted)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
