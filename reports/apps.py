from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """The semiannual report of clause 4, its periods, figures, docket and public pages. What it adds to the
    core's registries is declared in `reports/registrations.py`."""

    name = "reports"
    verbose_name = "Reports"
