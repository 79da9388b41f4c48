from django.core.management.base import BaseCommand, CommandError

from demo.people import DEMO_LOGINS, DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Build (or complete) a believable demo company. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--employees",
            type=int,
            default=220,
            help="How many generated employees (default 220; 10000 for scale).",
        )
        parser.add_argument(
            "--password", default=DEMO_PASSWORD, help="Password of the four demo logins."
        )

    def handle(self, *args, employees: int, password: str, **options):
        if employees < 1 or employees > 200_000:
            raise CommandError("--employees must be between 1 and 200000.")
        from demo.campaigns import seed_campaigns
        from demo.crisis import seed_crisis
        from demo.feeds import seed_conversations
        from demo.knowledge import seed_knowledge
        from demo.monitoring import seed_watch_rules
        from demo.policies import seed_policies
        from demo.routing import seed_questions

        # Progress on stderr: stdout's first line stays the summary scripts read.
        created = seed_demo(employees=employees, password=password, stdout=self.stderr)
        posts = seed_conversations()
        policies = seed_policies()
        rules = seed_watch_rules()  # before the questions, so that they are matched
        questions = seed_questions()
        entries = seed_knowledge()
        seed_crisis()
        campaigns = seed_campaigns()
        self.stdout.write(
            f"Demo company ready: {created['departments']} new departments, "
            f"{created['employees']} new employees, {posts} new posts, "
            f"{policies} new policy versions, {rules} new watch rules, "
            f"{questions} new customer questions, {entries} new knowledge entries, "
            f"{campaigns} new campaigns."
        )
        self.stdout.write("Sign in at http://127.0.0.1:8000/ as:")
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.username:<15} password {password:<16} ({login.role})")
