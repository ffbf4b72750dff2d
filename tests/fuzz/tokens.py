"""Prints "username token" for every active demo user: the API tokens `make fuzz` runs schemathesis with."""

import os
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402

from welcoming.accounts import api_token_issue  # noqa: E402

for user in get_user_model().objects.filter(is_active=True).exclude(username="system-scheduler").order_by("pk"):
    _, key = api_token_issue(user=user, name="make fuzz", lifetime=timedelta(hours=2))
    sys.stdout.write(f"{user.username} {key}\n")
