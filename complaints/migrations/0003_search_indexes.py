"""The complaints queue's search on PostgreSQL (nothing on SQLite): see welcoming/search_indexes.py."""

from django.db import migrations

from welcoming.search_indexes import create_on_postgresql, trigram, upper


class Migration(migrations.Migration):
    dependencies = [("complaints", "0002_figures_indexes")]

    operations = [
        create_on_postgresql(
            [
                ("complaint_complainant_trgm", "complaints_complaint", trigram("complainant_name")),
                ("complaint_tracking_code_upper", "complaints_complaint", upper("tracking_code")),
                ("involved_name_trgm", "complaints_involvedperson", trigram("name")),
                ("involved_badge_upper", "complaints_involvedperson", upper("badge_number")),
            ]
        )
    ]
