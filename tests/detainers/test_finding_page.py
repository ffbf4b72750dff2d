"""A finding's page in people's words: the record named and linked, facts by label and choice, each event once."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from detainers import services
from detainers.models import Custody
from tests.conftest import sign_in_verified
from welcoming.findings import findings_reconcile
from welcoming.models import Finding
from welcoming.selectors import finding_history


def test_a_findings_page_names_the_record_and_its_facts_in_peoples_words(client, clerk, ana_ruiz):
    services.custody_transfer_to_ice(
        custody=ana_ruiz,
        at=timezone.now() - timedelta(minutes=5),
        authority="detainer",
        eligible_at=timezone.now() - timedelta(minutes=30),
        eligibility_reason="bail_posted",
        by=clerk,
    )
    ana_ruiz.refresh_from_db()
    finding = Finding.objects.get(code="2c-transfer-without-judicial-authority")
    sign_in_verified(client, clerk)
    page = client.get(reverse("welcoming:finding-detail", args=[finding.pk])).content.decode()
    booked = timezone.localtime(ana_ruiz.booked_at).strftime("%Y-%m-%d %H:%M")
    assert f'<a href="{ana_ruiz.get_absolute_url()}">Custody of Ana Ruiz, booked {booked}</a>' in page
    assert "<dt>Transfer authority</dt><dd>ICE detainer</dd>" in page
    moved = timezone.localtime(ana_ruiz.transferred_to_ice_at).strftime("%Y-%m-%d %H:%M")
    assert f"<dt>Transferred to ICE at</dt><dd>{moved}</dd>" in page
    assert "detainers.custody" not in page and "detainer</dd>" not in page.replace("ICE detainer</dd>", "")


def test_a_findings_history_lists_each_event_once(clerk, ana_ruiz):
    now = timezone.now()
    services.detainer_create(
        custody=ana_ruiz,
        form="I-247A",
        received_via="fax",
        lodged_at=now - timedelta(hours=4),
        reasons=[("final_order", "")],
        judicial_warrant=False,
        by=clerk,
    )
    services.custody_eligible(custody=ana_ruiz, at=now - timedelta(hours=3), reason="bail_posted", by=clerk)
    for hours in (1, 2, 3):  # the detention grows: the finding is saved again with new facts, still open
        findings_reconcile(record=Custody.objects.get(pk=ana_ruiz.pk), now=now + timedelta(hours=hours))
    finding = Finding.objects.get(code="2d-detained-on-hold")
    assert finding.history.count() > 1
    assert [entry.status for entry in finding_history(finding)] == ["open"]


def test_a_list_of_codes_in_a_finding_reads_as_their_names():
    # 2(j)'s fact `provided` names a yes/no field of the supports, while its values are the supports' kinds.
    from detainers.models import AssistanceRequest
    from welcoming.facts import in_words

    said = dict(in_words({"provided": ["information_sharing", "other"], "agency": "ICE ERO"}, AssistanceRequest))
    assert said == {"Provided": "Information sharing; Other", "Agency": "ICE ERO"}
