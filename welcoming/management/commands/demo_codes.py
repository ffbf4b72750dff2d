import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from welcoming.demo import DEMO_USERS, demo_totp_key


class Command(BaseCommand):
    help = "Print each demo user's current one-time code, as their authenticator app would show it (local only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo codes are for a local run with DEBUG on.")
        now = int(time.time())
        self.stdout.write(f"Codes valid for about {30 - now % 30} more seconds:")
        for username, role, *_ in DEMO_USERS:
            code = totp(bytes.fromhex(demo_totp_key(username)), step=30, t0=0, digits=6)
            self.stdout.write(f"  {username:<12} {code:06d}   ({role.label})")
