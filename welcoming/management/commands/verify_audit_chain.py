from django.core.management.base import BaseCommand, CommandError

from welcoming import audit_chain
from welcoming.models import AuditChain, AuditEntry


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chain from its first entry to its head, and name the first entry that was "
        "changed or that follows a removed one. Exits with an error if the chain is broken."
    )

    def handle(self, *args, **options):
        chain = AuditChain.objects.filter(pk=1).first() or AuditChain(head_hash=audit_chain.GENESIS, length=0)
        entries = AuditEntry.objects.order_by("id").iterator(chunk_size=5000)
        verdict = audit_chain.verify(entries, head_hash=chain.head_hash, length=chain.length)
        if not verdict.intact:
            broken = verdict.first_break
            where = f"at entry #{broken.entry_id}" if broken.entry_id is not None else "at the end of the log"
            raise CommandError(f"The audit log's chain is broken {where}: {broken.reason}.")
        self.stdout.write(f"The audit log's chain is intact: {verdict.checked} entries, head {verdict.head_hash}.")
