from django.apps import AppConfig


class DetainersConfig(AppConfig):
    """ICE detainers, administrative warrants, federal requests, persons, custody, reimbursements. What it adds
    to the core's registries is declared in `detainers/registrations.py`."""

    name = "detainers"
    verbose_name = "Detainers and federal requests"
