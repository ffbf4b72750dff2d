import argparse
from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import models

from welcoming.acting import system_actor
from welcoming.models import Municipality
from welcoming.municipality import MUNICIPALITY_FIELDS, municipality_configure
from welcoming.roles import SystemActor


def _local_holiday(text: str) -> tuple[int, int, str]:
    try:
        day, name = text.split(" ", 1)
        month, day_of_month = (int(part) for part in day.split("-"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected 'MM-DD Name', got {text!r}") from None
    return month, day_of_month, name.strip()


class Command(BaseCommand):
    help = (
        "Create or update the municipality profile without prompts. Give only the settings to change; a new "
        "profile needs --name, --date-of-passage, --police-department-name and --complaints-office. "
        "Example: configure_municipality --name Somerville --kind city --date-of-passage 2019-04-25 "
        "--police-department-name 'Somerville Police Department' --complaints-office 'Office of Immigrant Affairs' "
        "--local-holiday '03-17 Evacuation Day' --local-holiday '06-17 Bunker Hill Day'"
    )

    def add_arguments(self, parser):
        for name in MUNICIPALITY_FIELDS:
            field = Municipality._meta.get_field(name)
            kwargs = {"dest": name, "help": str(field.help_text or field.verbose_name)}
            if isinstance(field, models.DateField):
                kwargs["type"] = date.fromisoformat
            elif isinstance(field, models.IntegerField):
                kwargs["type"] = int
            if field.choices:
                kwargs["choices"] = [value for value, _ in field.choices]
            parser.add_argument("--" + name.replace("_", "-"), **kwargs)
        parser.add_argument(
            "--local-holiday",
            action="append",
            type=_local_holiday,
            dest="local_holidays",
            help="'MM-DD Name', repeatable; replaces the list of local holidays.",
        )

    def handle(self, *args, local_holidays=None, **options):
        values = {name: options[name] for name in MUNICIPALITY_FIELDS if options.get(name) is not None}
        try:
            municipality = municipality_configure(
                local_holidays=local_holidays, by=system_actor(SystemActor.SETUP), **values
            )
        except ValidationError as error:
            messages = error.message_dict if hasattr(error, "error_dict") else {"profile": error.messages}
            lines = [f"  --{field.replace('_', '-')}: {'; '.join(text)}" for field, text in messages.items()]
            raise CommandError("The municipality profile was not saved:\n" + "\n".join(lines)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Configured {municipality.display_name} ({municipality.instrument_title}).")
        )
