from django.apps import AppConfig


class CertificationsConfig(AppConfig):
    """U visa certification requests (clause 2(i)). What it adds to the core's registries is declared in
    `certifications/registrations.py`."""

    name = "certifications"
    verbose_name = "U visa certifications"
