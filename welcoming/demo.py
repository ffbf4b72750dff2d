"""The demo town's staff: one user per role, with a known password and authenticator secret.

For local use only (`make run`); `seed_demo` refuses to run with DEBUG off. The secrets are derived from the
user name so that the README can print them and they never change between runs.
"""

import base64
import hashlib
from datetime import date, time

from django.contrib.auth import get_user_model

from welcoming.acting import people
from welcoming.models import Municipality
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


def real_town_refusal(command: str) -> str | None:
    """Why `command`, which writes invented records, must leave this database alone, or None if it may write.
    Checked whatever DEBUG says: invented records and published passwords must never reach a real town's."""
    municipality = Municipality.objects.filter(pk=1).first()
    if municipality is not None and not municipality.is_demo:
        return (
            f"This database holds {municipality.display_name}'s own records, not the demo: {command} fills only an "
            "empty database or the demo's own. Nothing was changed. For the demo, point DATABASE_URL at another "
            "database (make run uses db.sqlite3)."
        )
    if municipality is None and people(get_user_model().objects).exists():
        return (
            f"This database has accounts the demo did not create: {command} fills only an empty database or the "
            "demo's own. Nothing was changed."
        )
    return None


# A fictional city, so that nothing the demo shows can be mistaken for a real town's records.
DEMO_MUNICIPALITY = {
    "name": "Harborview",
    "kind": "city",
    "instrument": "ordinance",
    "instrument_number": "2024-17",
    "date_of_passage": date(2024, 6, 1),
    "police_department_name": "Harborview Police Department",
    "police_mailing_address": "Records Division\n1 Harbor Street\nHarborview, MA 02100",
    "chief_title": "Chief of Police",
    "chief_name": "Charlene Chief",
    "clerk_title": "City Clerk",
    "executive_title": "Mayor",
    "committee_name": "Public Safety Committee of the City Council",
    "complaints_office": "Office of Immigrant Affairs",
    "complaints_office_phone": "(555) 010-4400",
    "complaints_office_address": "City Hall, Room 204\n1 Harbor Street\nHarborview, MA 02100",
    "complaints_office_web": "https://harborview.example/immigrant-affairs",
    "complaints_office_days": "mon_fri",
    "complaints_office_opens": time(9, 0),
    "complaints_office_closes": time(17, 0),
    "town_hall_phone": "(555) 010-4000",
}
DEMO_LOCAL_HOLIDAYS = [(3, 17, "Evacuation Day"), (6, 17, "Bunker Hill Day")]


# Apps add their part of the demo town through their `registrations.DEMO_SEEDERS` (the core imports no app).
_SEEDERS = []


def register_seeder(seeder) -> None:
    if seeder not in _SEEDERS:
        _SEEDERS.append(seeder)


def seeders() -> list:
    return list(_SEEDERS)
