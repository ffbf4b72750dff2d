"""Findings carry the moment the breach happened, so the report counts each in the period of the event.
Findings stored before this knew only when they were found: that moment stands in for them."""

from django.db import migrations, models
from django.db.models import F


def occurred_when_found(apps, schema_editor):
    for name in ("Finding", "HistoricalFinding"):
        apps.get_model("welcoming", name).objects.update(occurred_at=F("opened_at"))


class Migration(migrations.Migration):
    dependencies = [("welcoming", "0001_initial")]

    operations = [
        migrations.AddField(model_name="finding", name="occurred_at", field=models.DateTimeField(null=True)),
        migrations.AddField(model_name="historicalfinding", name="occurred_at", field=models.DateTimeField(null=True)),
        migrations.RunPython(occurred_when_found, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="finding",
            name="occurred_at",
            field=models.DateTimeField(
                help_text="When the breach happened, as the rule saw it; the report counts the finding in that period."
            ),
        ),
        migrations.AlterField(
            model_name="historicalfinding",
            name="occurred_at",
            field=models.DateTimeField(
                help_text="When the breach happened, as the rule saw it; the report counts the finding in that period."
            ),
        ),
        migrations.AddIndex(
            model_name="finding", index=models.Index(fields=["occurred_at"], name="welcoming_f_occurre_a6eab7_idx")
        ),
    ]
