"""A period's address now counts from 1, as its name does: the links already stored in notifications move on
by one, so an old notice still opens the period it named."""

import re

from django.db import migrations

PERIOD_LINK = re.compile(r"^/reports/periods/(\d+)/")


def _shift(apps, by: int):
    Notification = apps.get_model("welcoming", "Notification")
    for notice in Notification.objects.filter(link__startswith="/reports/periods/"):
        notice.link = PERIOD_LINK.sub(lambda m: f"/reports/periods/{int(m.group(1)) + by}/", notice.link)
        notice.save(update_fields=["link"])


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_report_drift"), ("welcoming", "0013_notification_report_drifted")]

    operations = [
        migrations.RunPython(lambda apps, schema: _shift(apps, 1), lambda apps, schema: _shift(apps, -1)),
    ]
