"""Letters for the complaints already open when letters began to be kept: each one whose acknowledgement is due
and not yet recorded gets its acknowledgement letter, final as of receipt (all it says is fixed text), so sending
it is the step that meets the deadline. Acknowledgements recorded before stay as they were recorded."""

from django.db import migrations


def acknowledgement_letters(apps, schema_editor):
    Complaint = apps.get_model("complaints", "Complaint")
    Letter = apps.get_model("complaints", "Letter")
    waiting = (
        Complaint.objects.exclude(stage="closed")
        .exclude(channel="online")
        .filter(acknowledgement_due_on__isnull=False, acknowledged_at__isnull=True)
        .exclude(complainant_contact="")
        .exclude(letters__kind="acknowledgement")
    )
    Letter.objects.bulk_create(
        Letter(
            complaint=complaint,
            kind="acknowledgement",
            language=complaint.language,
            written_at=complaint.received_at,
            final_at=complaint.received_at,
        )
        for complaint in waiting
    )


class Migration(migrations.Migration):
    dependencies = [("complaints", "0005_letters")]

    operations = [migrations.RunPython(acknowledgement_letters, migrations.RunPython.noop)]
