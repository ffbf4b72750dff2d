from django.apps import AppConfig, apps
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


def _sync_roles_after_migrate(sender, using, **kwargs):
    # Permissions are created per app after migrate; make sure every app's exist before the groups take them.
    from django.contrib.auth.management import create_permissions

    from welcoming.services import roles_sync

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    roles_sync()


class WelcomingConfig(AppConfig):
    """The core: municipality, roles and permission table, sign-in, audit, findings engine, dashboards."""

    name = "welcoming"
    verbose_name = "Welcoming Community"

    def ready(self):
        # Every migrate (a deployment, a fresh test database) brings the role groups in line with the table.
        post_migrate.connect(_sync_roles_after_migrate, sender=self, dispatch_uid="welcoming-roles-sync")


class WelcomingAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "welcoming.admin_site.WelcomingAdminSite"
