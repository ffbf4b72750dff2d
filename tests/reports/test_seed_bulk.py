"""The bulk seeder makes every kind of police record in the demo's proportions, and its findings are the rules'."""

import io

import pytest
from django.core.management import CommandError

from complaints.models import Allegation, Complaint
from detainers.models import (
    AccessRequest,
    AssistanceRequest,
    Custody,
    Detainer,
    InformationRequest,
    Person,
    Reimbursement,
)
from tests.bench.seed_bulk import seed_bulk
from welcoming.models import Finding, Municipality


def test_seed_bulk_refuses_to_run_in_production(settings, db):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        seed_bulk()


def test_seed_bulk_makes_every_kind_of_record_in_proportion(settings, db):
    settings.DEBUG = True
    out = io.StringIO()
    out.write(seed_bulk(factor=4, years=3))
    assert "Inserted 120 persons, 144 custody records" in out.getvalue()
    assert Municipality.objects.exists()  # a profile whose periods cover the span
    counts = {
        model: model.objects.count()
        for model in (Person, Custody, Detainer, InformationRequest, AccessRequest, AssistanceRequest, Reimbursement)
    }
    assert counts[Person] == 120 and counts[Custody] == 144
    assert 30 <= counts[Detainer] <= 90  # a third of the bookings, some with two documents
    assert set(Detainer.objects.values_list("kind", flat=True)) == set(Detainer.Kind.values)
    assert all(count > 0 for count in counts.values())
    # The bookings that went wrong were checked by the real rules: each detention on a hold is a 2(d) finding.
    assert set(Finding.objects.values_list("section", flat=True)) <= {"2(c)", "2(d)"}
    assert Finding.objects.filter(section="2(d)").exists()
    # Complaints at every stage, those about officers with the officer and an allegation disposed once closed.
    assert Complaint.objects.count() == 16
    stages = set(Complaint.objects.values_list("stage", flat=True))
    assert {"closed", "investigating"} <= stages
    for allegation in Allegation.objects.select_related("complaint"):
        assert (allegation.disposition == "pending") == (allegation.complaint.stage != "closed")
    out.write(seed_bulk(factor=1, years=3))  # a second run adds, never clashes
    assert Person.objects.count() == 150 and Complaint.objects.count() == 20
