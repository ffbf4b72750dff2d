"""The demo town's staff: one user per role, with a known password and authenticator secret.

For local use only (`make run`); `seed_demo` refuses to run with DEBUG off. The secrets are derived from the
user name so that the README can print them and they never change between runs.
"""

import base64
import hashlib

from welcoming.roles import Role

DEMO_PASSWORD = "welcoming-demo"

DEMO_USERS = [
    ("clerk", Role.RECORDS_CLERK, "Rosa", "Records"),
    ("ia", Role.INTERNAL_AFFAIRS, "Ian", "Affairs"),
    ("chief", Role.POLICE_CHIEF, "Charlene", "Chief"),
    ("certifier", Role.CERTIFYING_OFFICIAL, "Cato", "Certifier"),
    ("coordinator", Role.COMPLAINTS_COORDINATOR, "Cora", "Coordinator"),
    ("townclerk", Role.MUNICIPAL_CLERK, "Tomas", "Clerk"),
    ("council", Role.COUNCIL_STAFF, "Cam", "Council"),
    ("admin", Role.ADMINISTRATOR, "Ada", "Admin"),
]


def demo_totp_key(username: str) -> str:
    """The 20-byte authenticator secret of a demo user, as the hex django-otp stores."""
    return hashlib.sha1(f"welcoming-demo-{username}".encode()).hexdigest()


def demo_totp_secret(username: str) -> str:
    """The same secret as an authenticator app takes it (base32)."""
    return base64.b32encode(bytes.fromhex(demo_totp_key(username))).decode()
