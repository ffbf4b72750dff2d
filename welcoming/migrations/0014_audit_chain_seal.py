from django.db import migrations, models


def seal_the_head(apps, schema_editor):
    """The head as it stands is sealed now, as 0005 chained the entries it found: from here on a rewrite shows."""
    from welcoming.audit_chain import head_seal

    AuditChain = apps.get_model("welcoming", "AuditChain")
    chain, _ = AuditChain.objects.get_or_create(pk=1)
    chain.seal = head_seal(head_hash=chain.head_hash, length=chain.length)
    chain.save(update_fields=["seal"])


class Migration(migrations.Migration):
    dependencies = [
        ("welcoming", "0013_notification_report_drifted"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditchain",
            name="seal",
            field=models.CharField(
                blank=True, help_text="HMAC of the head and length (audit_chain.head_seal).", max_length=64
            ),
        ),
        migrations.RunPython(seal_the_head, migrations.RunPython.noop),
    ]
