"""Jobs the scheduler runs every few minutes (`manage.py run_periodic`), each given the scheduler's system actor
as `by`. Apps declare theirs in their `registrations.PERIODIC`."""

from collections.abc import Callable

from django.core.management import call_command
from django.utils import timezone

from welcoming import rate_limits
from welcoming.audit import audit_checkpoint_send
from welcoming.findings import findings_evaluate_all
from welcoming.notifications import notifications_email_pending

_JOBS: dict[str, Callable[..., object]] = {}


def register(name: str, job: Callable[..., object]) -> None:
    _JOBS[name] = job


def jobs() -> dict[str, Callable[..., object]]:
    return dict(_JOBS)


register("evaluate findings", lambda *, by: findings_evaluate_all(by=by, now=timezone.now()))
register("clear expired sessions", lambda *, by: call_command("clearsessions"))
register("forget expired rate counts", lambda *, by: rate_limits.forget_expired())
register("retry unsent e-mails", lambda *, by: notifications_email_pending())
register("send the audit log's daily checkpoint", lambda *, by: audit_checkpoint_send(by=by))
