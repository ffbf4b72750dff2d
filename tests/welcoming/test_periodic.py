from datetime import timedelta

from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone


def test_run_periodic_clears_expired_sessions_and_keeps_live_ones(db, clerk_client):
    live = Session.objects.get()
    Session.objects.create(session_key="x" * 32, session_data="", expire_date=timezone.now() - timedelta(days=1))
    call_command("run_periodic")
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
