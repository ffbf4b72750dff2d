"""Name and number search that stays fast with hundreds of thousands of people, on PostgreSQL (nothing on SQLite):
see welcoming/search_indexes.py."""

from django.db import migrations

from welcoming.search_indexes import create_on_postgresql, trigram, upper


class Migration(migrations.Migration):
    dependencies = [("detainers", "0003_figures_indexes")]

    operations = [
        create_on_postgresql(
            [
                ("person_name_trgm", "detainers_person", trigram("full_name")),
                ("custody_booking_number_upper", "detainers_custody", upper("booking_number")),
                ("detainer_federal_reference_upper", "detainers_detainer", upper("federal_reference")),
            ]
        )
    ]
