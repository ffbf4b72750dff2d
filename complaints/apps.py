from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    """Complaints under clause 3: intake, routing, investigation, deadlines and letters. What it adds to the
    core's registries is declared in `complaints/registrations.py`."""

    name = "complaints"
    verbose_name = "Complaints"
