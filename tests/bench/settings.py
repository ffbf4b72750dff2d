"""The benchmark's settings: the app's own, with a URL configuration that adds what exists only in the
benchmark (an admin site over the person-level records, and the framework's floor)."""

import tempfile

from config import settings as app
from config.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
ALLOWED_HOSTS = [*app.ALLOWED_HOSTS, "testserver"]  # Django's test client, which the benchmark drives
# Pages ask for static files by their plain names (no collectstatic here); none is requested.
STORAGES = {**app.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
STATIC_ROOT = tempfile.mkdtemp()
# Templates as served in production, whatever DEBUG says while the town is seeded.
TEMPLATES = [{**app.TEMPLATES[0], "OPTIONS": {**app.TEMPLATES[0]["OPTIONS"], "debug": False}}]
