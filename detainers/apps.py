from django.apps import AppConfig


class DetainersConfig(AppConfig):
    """ICE detainers, administrative warrants, federal requests, persons, custody, reimbursements."""

    name = "detainers"
    verbose_name = "Detainers and federal requests"
