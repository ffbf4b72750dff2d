from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """The semiannual report of clause 4, its periods, figures, docket and public pages."""

    name = "reports"
    verbose_name = "Reports"
