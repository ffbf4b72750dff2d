from django.core.management.base import BaseCommand

from welcoming.accounts import roles_sync
from welcoming.roles import PERMISSIONS


class Command(BaseCommand):
    help = "Create the role groups and give each exactly the permissions of welcoming/roles.py (safe to repeat)."

    def handle(self, *args, **options):
        roles_sync()
        self.stdout.write(self.style.SUCCESS(f"{len(PERMISSIONS)} roles in line with the permission table."))
