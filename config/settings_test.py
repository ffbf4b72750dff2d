"""Test configuration: the production settings plus test-only speedups, nothing else.

The test server speaks plain http, so secure cookies and the https redirect are off here (they stay on by
default everywhere else); DATABASE_URL is honoured, so CI runs the same suite on PostgreSQL.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-" + "x" * 60)
os.environ.setdefault("AUDIT_CHAIN_KEY", "test-only-audit-chain-" + "y" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("PUBLIC_BASE_URL", "https://compliance.example-town.gov")
os.environ.setdefault("SECURE_COOKIES", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

from config import settings as production
from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; production keeps PBKDF2
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Templates ask for hashed static names only after collectstatic; tests use the finders instead.
STORAGES = {**production.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# A folder of its own for each test process (pytest-xdist's workers, and any other checkout's run at the same time).
MEDIA_ROOT = os.path.join(
    os.environ.get("TMPDIR", "/tmp"),
    f"welcoming-test-media-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}",
)
# Tests make many requests from one address; the API's rate limits are exercised by their own tests.
REST_FRAMEWORK = {
    **production.REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "10000/minute", "user": "10000/minute"},
}
