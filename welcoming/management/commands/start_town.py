"""A real town's first hour in one command: its database, roles, profile and first administrator (README,
"Setting up your town"). The demo has its own way in (`make run`); the two never share a database."""

import getpass
import os
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse

from welcoming.accounts import roles_sync, staff_user_create
from welcoming.acting import people
from welcoming.management.commands import configure_municipality
from welcoming.models import Municipality
from welcoming.municipality import MUNICIPALITY_FIELDS, municipality_configure
from welcoming.roles import Role

# What the profile cannot do without, asked in this order when not given as a flag.
ASKED = [
    ("name", "The place's name alone (e.g. Somerville)"),
    ("kind", "City or town (city/town)"),
    ("instrument", "Ordinance, bylaw, policy or warrant article (ordinance/bylaw/policy/warrant_article)"),
    ("instrument_number", "Its number (e.g. 2026-04; empty if none)"),
    ("date_of_passage", "Date of passage (YYYY-MM-DD)"),
    ("police_department_name", "The police department's name"),
    ("chief_title", "The chief's title (e.g. Chief of Police)"),
    ("chief_name", "The chief's name"),
    ("complaints_office", "The office that receives complaints"),
    ("complaints_office_phone", "Its telephone, as the public dials it (empty if none yet)"),
    ("time_zone", "Time zone"),
]
PASSWORD_ENV = "START_TOWN_ADMIN_PASSWORD"


class Command(configure_municipality.Command):
    help = (
        "Set up a real town on the database DATABASE_URL names: migrate, create the roles, save the municipality "
        "profile and create the first administrator (an Administrator, never a superuser). Asks for what the flags "
        f"do not give; with --no-input, a missing value is an error. The password comes from {PASSWORD_ENV} or a "
        "prompt. Refuses the demo's database."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--admin-username", required=False)
        parser.add_argument("--admin-email", default="")
        parser.add_argument("--admin-first-name", default="")
        parser.add_argument("--admin-last-name", default="")
        parser.add_argument("--no-input", action="store_false", dest="interactive")

    def handle(self, *args, interactive=True, local_holidays=None, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        self._refuse_a_used_database()
        roles_sync()
        values = {name: options[name] for name in MUNICIPALITY_FIELDS if options.get(name) is not None}
        for name, question in ASKED:
            if name not in values:
                values[name] = self._ask(name, question, interactive)
        username = options["admin_username"] or self._ask("admin_username", "The administrator's username", interactive)
        password = os.environ.get(PASSWORD_ENV) or self._ask_password(interactive)
        try:
            with transaction.atomic():
                user = get_user_model()(username=username, email=options["admin_email"])
                validate_password(password, user)
                administrator = staff_user_create(
                    username=username,
                    password=password,
                    roles=[Role.ADMINISTRATOR],
                    email=options["admin_email"],
                    first_name=options["admin_first_name"],
                    last_name=options["admin_last_name"],
                )
                # The town's first administrator sets its profile: the history names them.
                municipality = municipality_configure(local_holidays=local_holidays, by=administrator, **values)
        except ValidationError as error:
            messages = error.message_dict if hasattr(error, "error_dict") else {"admin_password": error.messages}
            # The account's own field names are the flags' without their prefix.
            flags = {"username": "admin_username", "email": "admin_email", "first_name": "admin_first_name"}
            flags["last_name"] = "admin_last_name"
            lines = [
                f"  --{flags.get(field, field).replace('_', '-')}: {'; '.join(text)}"
                for field, text in messages.items()
            ]
            raise CommandError("Nothing was saved:\n" + "\n".join(lines)) from None
        sign_in = settings.PUBLIC_BASE_URL + reverse("welcoming:login")
        self.stdout.write(
            self.style.SUCCESS(f"{municipality.display_name} is set up ({municipality.instrument_title}).")
            + f"\nSign in at {sign_in} as {administrator.username}. At the first sign-in the app shows a QR code:"
            " scan it with an authenticator app, type the code it shows, and keep the ten recovery codes it gives."
            "\nThen, under Administration, add the staff with their roles; import the records system's history"
            " (Records → Import). Run the scheduler (run_periodic) as the README says."
        )

    def _refuse_a_used_database(self):
        municipality = Municipality.objects.filter(pk=1).first()
        if municipality is not None and municipality.is_demo:
            raise CommandError(
                "This database holds the demo town, whose accounts and passwords are published: a real town starts "
                "on a database of its own. Set DATABASE_URL to a new, empty database and run this again. Nothing was "
                "changed."
            )
        if municipality is not None or people(get_user_model().objects).exists():
            raise CommandError(
                "This database is already set up"
                + (f" for {municipality.display_name}" if municipality else "")
                + ": change the profile with configure_municipality and add users under Administration. Nothing "
                "was changed."
            )

    def _ask(self, name, question, interactive):
        if not interactive:
            flag = "--" + name.replace("_", "-")
            raise CommandError(f"{flag} is needed (with --no-input nothing is asked). Nothing was saved.")
        if name == "time_zone":
            default = settings.TIME_ZONE  # the environment's zone only seeds the profile's, which rules after
        else:
            default = Municipality._meta.get_field(name).get_default() if name in MUNICIPALITY_FIELDS else ""
        answer = input(f"{question}{f' [{default}]' if default else ''}: ").strip() or default
        if name != "date_of_passage" or not answer:
            return answer
        try:
            return date.fromisoformat(answer)
        except ValueError:
            raise CommandError(f"--date-of-passage: “{answer}” is not a date like 2019-04-25. Nothing saved.") from None

    def _ask_password(self, interactive):
        if not interactive:
            raise CommandError(f"Set {PASSWORD_ENV} for the first administrator's password. Nothing was saved.")
        first = getpass.getpass("The first administrator's password: ")
        if first != getpass.getpass("The same password again: "):
            raise CommandError("The two passwords differ. Nothing was saved.")
        return first
