from django.core.management.base import BaseCommand, CommandError

from jobtrax import datamap
from logs_retention.services import retention_preview, retention_run


class Command(BaseCommand):
    help = (
        "List the retention policies and what each would delete or anonymise now. "
        "Changes nothing unless --execute is given."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--execute", action="store_true", help="Run the policies.")
        parser.add_argument("--policy", metavar="NAME", help="Only this policy.")

    def handle(self, *args, execute: bool, policy: str | None, **options) -> None:
        policies = datamap.policies()
        if policy:
            policies = [p for p in policies if p.name == policy]
            if not policies:
                names = ", ".join(p.name for p in datamap.policies())
                raise CommandError(f"No policy called {policy!r}. Policies: {names}")
        anonymised = deleted = 0
        for item in policies:
            self.stdout.write(f"{item.name}: {item.action} after {item.window_display}")
            if not execute:
                for label, what in retention_preview(policy_name=item.name):
                    self.stdout.write(f"  {label}: {what}")
                continue
            run = retention_run(policy_name=item.name)
            anonymised += run.rows_anonymised
            deleted += run.rows_deleted
            self.stdout.write(
                f"  {run.outcome}: {run.rows_anonymised} anonymised, {run.rows_deleted} deleted"
                + (f" ({run.note})" if run.note else "")
            )
        if execute:
            self.stdout.write(
                f"Ran {len(policies)} policies: {anonymised} rows anonymised, {deleted} deleted."
            )
        else:
            self.stdout.write(f"Dry run of {len(policies)} policies; use --execute to run them.")
