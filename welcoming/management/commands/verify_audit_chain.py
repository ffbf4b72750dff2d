from django.core.management.base import BaseCommand, CommandError

from welcoming import audit_chain
from welcoming.selectors import audit_chain_verdict


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chain from its first entry to its sealed head, and name the first entry that "
        "was changed or that follows a removed one. Exits with an error if the chain is broken."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoint",
            action="store_true",
            help="After the check, print a sealed checkpoint (length and head) to keep outside the database.",
        )
        parser.add_argument(
            "--since",
            metavar="CHECKPOINT",
            help="Also prove the log still extends this checkpoint (it was not rolled back, restored or cut).",
        )

    def handle(self, *args, checkpoint=False, since=None, **options):
        try:
            since = audit_chain.checkpoint_read(since) if since else None
        except ValueError as error:
            raise CommandError(f"--since: {error}") from None
        verdict, latest = audit_chain_verdict(since=since)
        if not verdict.intact:
            broken = verdict.first_break
            where = f"at entry #{broken.entry_id}" if broken.entry_id is not None else "at the end of the log"
            raise CommandError(f"The audit log's chain is broken {where}: {broken.reason}.")
        self.stdout.write(f"The audit log's chain is intact: {verdict.checked} entries, head {verdict.head_hash}.")
        if since:
            self.stdout.write(f"It extends the checkpoint of {since.at:%Y-%m-%d %H:%M} UTC ({since.length} entries).")
        if checkpoint:
            self.stdout.write(f"Checkpoint (keep it outside the database): {latest.text()}")
