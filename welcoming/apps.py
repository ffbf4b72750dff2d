from django.apps import AppConfig, apps
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from simple_history.signals import post_create_historical_record


def _audit_history(sender, history_instance, **kwargs):
    # Every change kept in a record's history is also written, by field name only, to the audit log.
    from welcoming.audit import audit_history_record

    audit_history_record(history=history_instance)


def _sync_roles_after_migrate(sender, using, **kwargs):
    # Permissions are created per app after migrate; make sure every app's exist before the groups take them.
    from django.contrib.auth.management import create_permissions

    from welcoming.accounts import roles_sync

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    roles_sync()


def _register_dashboards():
    from welcoming import dashboards, selectors
    from welcoming.roles import Role

    findings = dashboards.Panel("Findings", "welcoming/panels/findings.html", selectors.findings_summary, order=10)
    for role in (Role.RECORDS_CLERK, Role.INTERNAL_AFFAIRS, Role.POLICE_CHIEF):
        dashboards.register(role, findings)
    closures = dashboards.Panel(
        "Voids, dismissals and closures", "welcoming/panels/closures.html", selectors.closures_count, order=20
    )
    for role in (Role.INTERNAL_AFFAIRS, Role.POLICE_CHIEF):
        dashboards.register(role, closures)
    dashboards.register(
        Role.ADMINISTRATOR,
        dashboards.Panel("The system", "welcoming/panels/administrator.html", selectors.administrator_overview),
    )


def _register_api():
    from welcoming import api
    from welcoming.api_router import register

    register("tokens", api.ApiTokenViewSet, "token")
    register("findings", api.FindingViewSet, "finding")


def _register_supplement():
    from welcoming import selectors, supplement

    supplement.register(
        supplement.Section(
            "findings_by_clause", "Findings by clause", selectors.supplement_findings_by_clause, order=80
        )
    )
    supplement.register(
        supplement.Section(
            "closures", "Voids, dismissals and automatic closures", selectors.supplement_closures, order=90
        )
    )


class WelcomingConfig(AppConfig):
    """The core: municipality, roles and permission table, sign-in, audit, findings engine, dashboards."""

    name = "welcoming"
    verbose_name = "Welcoming Community"

    def ready(self):
        # Every migrate (a deployment, a fresh test database) brings the role groups in line with the table.
        post_migrate.connect(_sync_roles_after_migrate, sender=self, dispatch_uid="welcoming-roles-sync")
        post_create_historical_record.connect(_audit_history, dispatch_uid="welcoming-audit-history")
        _register_dashboards()
        _register_api()
        _register_supplement()


class WelcomingAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "welcoming.admin_site.WelcomingAdminSite"
