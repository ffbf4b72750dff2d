"""Jobs the scheduler runs every few minutes (`manage.py run_periodic`). Apps register theirs in ready()."""

from collections.abc import Callable

from django.core.management import call_command

from welcoming import rate_limits
from welcoming.notifications import notifications_email_pending

_JOBS: dict[str, Callable[[], None]] = {}


def register(name: str, job: Callable[[], None]) -> None:
    _JOBS[name] = job


def jobs() -> dict[str, Callable[[], None]]:
    return dict(_JOBS)


register("evaluate findings", lambda: call_command("evaluate_findings"))
register("clear expired sessions", lambda: call_command("clearsessions"))
register("forget expired rate counts", lambda: rate_limits.forget_expired())
register("retry unsent e-mails", lambda: notifications_email_pending())
