import sys

from django.apps import AppConfig, apps
from django.contrib.admin import apps as admin_apps
from django.core.exceptions import ImproperlyConfigured
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules
from simple_history.signals import post_create_historical_record


def _history_saved(sender, instance, history_instance, **kwargs):
    # Every change kept in a record's history is also written, by field name only, to the audit log, and a save
    # a signed document rests on is checked for drift once its transaction commits.
    from welcoming.audit import audit_history_record
    from welcoming.drift import record_saved

    audit_history_record(history=history_instance)
    record_saved(instance)


def _sync_roles_after_migrate(sender, using, **kwargs):
    # Permissions are created per app after migrate; make sure every app's exist before the groups take them.
    from django.contrib.auth.management import create_permissions

    from welcoming.accounts import roles_sync

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    roles_sync()


def _attachable(model, read_permission, readable):
    from welcoming import attachments

    attachments.register(model, read_permission=read_permission, readable=readable)


def _panel(roles, panel):
    from welcoming import dashboards

    for role in roles:
        dashboards.register(role, panel)


def _registries() -> dict:
    """Each name an app's `registrations.py` may declare, and what takes each of its entries."""
    from welcoming import demo, drift, findings, navigation, periodic, retention, search, supplement

    return {
        "RULES": findings.register_rule_set,
        "VOIDABLE": findings.register_voidable,
        "ON_REFER": findings.on_refer,
        "ATTACHMENTS": lambda entry: _attachable(*entry),
        "MENU": navigation.register,
        "SEARCH_MENU": navigation.register_search,
        "SEARCH_KINDS": search.register_search_kind,
        "PANELS": lambda entry: _panel(*entry),
        "SUPPLEMENT": supplement.register,
        "RETENTION": retention.register,
        "REPORTED_PERIODS": retention.register_reported_periods,
        "PERIODIC": lambda entry: periodic.register(*entry),
        "DEMO_SEEDERS": demo.register_seeder,
        "DRIFT_SOURCES": drift.register_source,
        "DRIFT_CHECKS": drift.register_check,
    }


def _locked_out(sender, **kwargs):
    from welcoming.signin import lockout_told

    lockout_told(sender, **kwargs)


def _load_registrations() -> None:
    """Read every installed app's `registrations.py` (the core's own first, then in INSTALLED_APPS order, which
    is the order of the menu and of retention's policies) into the core's registries. An app declares data; it
    calls nothing at start-up, so what it adds is found in one file."""
    autodiscover_modules("registrations")
    registries = _registries()
    for app_config in apps.get_app_configs():
        module = sys.modules.get(f"{app_config.name}.registrations")
        if module is None:
            continue
        # A list under a name no registry reads is a typo that would silently drop what it declares.
        declared = {name for name, value in vars(module).items() if name.isupper() and isinstance(value, list)}
        unknown = declared - set(registries)
        if unknown:
            raise ImproperlyConfigured(
                f"{module.__name__} declares {', '.join(sorted(unknown))}, which no registry takes."
            )
        for name, register in registries.items():
            for entry in getattr(module, name, ()):
                register(entry)


class WelcomingConfig(AppConfig):
    """The core: municipality, roles and permission table, sign-in, audit, findings engine, dashboards. The
    registries it keeps are filled from each app's `registrations.py` (`_load_registrations`)."""

    name = "welcoming"
    verbose_name = "Welcoming Community"

    def ready(self):
        # Every migrate (a deployment, a fresh test database) brings the role groups in line with the table.
        post_migrate.connect(_sync_roles_after_migrate, sender=self, dispatch_uid="welcoming-roles-sync")
        post_create_historical_record.connect(_history_saved, dispatch_uid="welcoming-audit-history")
        from axes.signals import user_locked_out  # axes's signals import its models: only once apps are ready

        user_locked_out.connect(_locked_out, dispatch_uid="welcoming-lockout-told")
        _load_registrations()


class WelcomingAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "welcoming.admin_site.WelcomingAdminSite"
