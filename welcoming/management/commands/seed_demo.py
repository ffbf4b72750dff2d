from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from welcoming.accounts import otp_devices_set, roles_sync, staff_user_create
from welcoming.demo import (
    DEMO_LOCAL_HOLIDAYS,
    DEMO_MUNICIPALITY,
    DEMO_PASSWORD,
    DEMO_USERS,
    demo_totp_key,
    demo_totp_secret,
    real_town_refusal,
    seeders,
)
from welcoming.models import Municipality
from welcoming.municipality import municipality_configure, municipality_mark_demo


class Command(BaseCommand):
    help = "Configure the demo city and create its users, one per role, with known authenticator secrets (local only)."

    def handle(self, *args, **options):
        if refusal := real_town_refusal("seed_demo"):
            raise CommandError(refusal)
        municipality = Municipality.objects.filter(pk=1).first()
        if not settings.DEBUG:
            raise CommandError("Refusing to create demo users with DEBUG off: this is not a production command.")
        roles_sync()
        User = get_user_model()
        for username, role, first_name, last_name in DEMO_USERS:
            user = User.objects.filter(username=username).first()
            if user is None:  # an existing account is never touched, whoever made it
                user = staff_user_create(
                    username=username,
                    password=DEMO_PASSWORD,
                    roles=[role],
                    first_name=first_name,
                    last_name=last_name,
                )
                otp_devices_set(user=user, totp_key=demo_totp_key(username))
        if municipality is None:  # set up by the demo's administrator, whom the history names
            administrator = User.objects.get(username="admin")
            municipality_configure(by=administrator, local_holidays=DEMO_LOCAL_HOLIDAYS, **DEMO_MUNICIPALITY)
            municipality_mark_demo()
        for seeder in seeders():
            seeder()
        self.stdout.write(self.style.SUCCESS(f"Demo users (password for all: {DEMO_PASSWORD}):"))
        for username, role, *_ in DEMO_USERS:
            self.stdout.write(f"  {username:<12} {role.label:<24} authenticator secret {demo_totp_secret(username)}")
        self.stdout.write("Current one-time codes: python manage.py demo_codes")
