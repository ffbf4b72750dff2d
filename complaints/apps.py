from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    """Complaints under clause 3: intake, routing, investigation."""

    name = "complaints"
    verbose_name = "Complaints"
