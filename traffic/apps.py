from django.apps import AppConfig


class TrafficConfig(AppConfig):
    """Stops of drivers without a license (clause 2(f)). What it adds to the core's registries is declared in
    `traffic/registrations.py`."""

    name = "traffic"
    verbose_name = "Unlicensed-driver stops"
