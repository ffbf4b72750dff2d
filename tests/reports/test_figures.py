"""The four figures of clause 4, on constructed scenarios whose numbers are worked out by hand (DESIGN.md
section 5). Every scenario also checks that the list behind each number is exactly that long."""

from datetime import date, timedelta

from django.core.management import call_command

from detainers import services
from reports import selectors
from tests.reports.conftest import NOW, PERIOD_4, PERIOD_5, figures_for, local
from welcoming.municipality import municipality_mark_demo

EMPTY_KIND = {"total": 0, "by_reason": {}}


def test_a_period_with_nothing_lodged_says_zero_everywhere(municipality):
    document = figures_for(municipality)
    assert document["municipality"] == "City of Harborview"
    assert document["period"] == {"start": "2026-06-01", "end": "2026-11-30"}
    assert document["lodged"] == {
        "immigration_detainer": EMPTY_KIND,
        "administrative_warrant": EMPTY_KIND,
        "notification_request": EMPTY_KIND,
    }
    assert document["individuals_detained"] == 0
    assert document["individuals_transferred"] == 0
    assert document["reimbursements"] == {"total": "0.00", "by_case": []}


def test_one_person_with_two_detainers_is_two_documents_and_one_individual(municipality, records):
    person = records.person()
    for month in (7, 9):  # two stays, each held an hour past bail on an open detainer
        custody = records.custody(person, booked=local(2026, month, 1, 8))
        records.lodge(custody, at=local(2026, month, 1, 9))
        records.release(custody, eligible=local(2026, month, 1, 12), at=local(2026, month, 1, 13))
    document = figures_for(municipality)
    assert document["lodged"]["immigration_detainer"] == {"total": 2, "by_reason": {"final_order": 2}}
    assert document["individuals_detained"] == 1


def test_a_detainer_with_two_reasons_counts_once_in_the_total_and_once_under_each(municipality, records):
    custody = records.custody(booked=local(2026, 7, 1, 8))
    records.lodge(custody, at=local(2026, 7, 1, 9), reasons=[("pending_proceedings", ""), ("biometric_match", "")])
    assert figures_for(municipality)["lodged"]["immigration_detainer"] == {
        "total": 1,
        "by_reason": {"pending_proceedings": 1, "biometric_match": 1},
    }


def test_a_detainer_that_gives_no_reason_counts_as_not_stated(municipality, records):
    custody = records.custody(booked=local(2026, 7, 1, 8))
    records.lodge(custody, at=local(2026, 7, 1, 9), form="I-200", reasons=[("not_stated", "")])
    assert figures_for(municipality)["lodged"]["administrative_warrant"] == {
        "total": 1,
        "by_reason": {"not_stated": 1},
    }


def test_an_i247a_lodged_with_its_i200_is_one_of_each_kind(municipality, records):
    custody = records.custody(booked=local(2026, 7, 1, 8))
    detainer = records.lodge(custody, at=local(2026, 7, 1, 9))
    records.lodge(custody, at=local(2026, 7, 1, 9), form="I-200", reasons=[("not_stated", "")], lodged_with=detainer)
    lodged = figures_for(municipality)["lodged"]
    assert lodged["immigration_detainer"] == {"total": 1, "by_reason": {"final_order": 1}}
    assert lodged["administrative_warrant"] == {"total": 1, "by_reason": {"not_stated": 1}}


def test_a_voided_detainer_counts_nowhere(municipality, records, ia):
    custody = records.custody(booked=local(2026, 7, 1, 8))
    detainer = records.lodge(custody, at=local(2026, 7, 1, 9))
    records.release(custody, eligible=local(2026, 7, 1, 12), at=local(2026, 7, 1, 15))  # held 3 hours on it
    assert figures_for(municipality)["individuals_detained"] == 1
    services.record_void(record=detainer, by=ia, reason="Lodged for another person: entered in error.", now=NOW)
    document = figures_for(municipality)
    assert document["lodged"]["immigration_detainer"] == EMPTY_KIND
    assert document["individuals_detained"] == 0


def test_a_period_ends_at_local_midnight_whatever_the_utc_date(municipality, records):
    custody = records.custody(booked=local(2026, 11, 30, 20))
    last_minute = records.lodge(custody, at=local(2026, 11, 30, 23, 59))
    assert last_minute.lodged_at.astimezone(local(2026, 1, 1).tzinfo).date() == date(2026, 11, 30)
    assert last_minute.lodged_at.utctimetuple().tm_mday == 1  # December 1 in UTC
    records.lodge(custody, at=local(2026, 12, 1, 0, 0), form="I-200", reasons=[("not_stated", "")])
    period_4, period_5 = figures_for(municipality), figures_for(municipality, PERIOD_5)
    assert period_4["lodged"]["immigration_detainer"]["total"] == 1
    assert period_4["lodged"]["administrative_warrant"]["total"] == 0
    assert period_5["lodged"]["immigration_detainer"]["total"] == 0
    assert period_5["lodged"]["administrative_warrant"]["total"] == 1


def test_detention_counts_where_it_began_and_the_transfer_where_it_came(municipality, records):
    custody = records.custody(booked=local(2026, 11, 20, 9))
    records.lodge(custody, at=local(2026, 11, 20, 11))
    # Sentence served on the evening of the period's last day; handed to ICE on the detainer the next morning.
    records.transfer(custody, eligible=local(2026, 11, 30, 20), at=local(2026, 12, 1, 10))
    period_4, period_5 = figures_for(municipality), figures_for(municipality, PERIOD_5)
    assert (period_4["individuals_detained"], period_4["individuals_transferred"]) == (1, 0)
    assert (period_5["individuals_detained"], period_5["individuals_transferred"]) == (0, 1)


def test_custody_on_a_detainer_alone_is_detention_from_booking(municipality, records):
    records.custody(booked=local(2026, 11, 30, 22), basis="detainer_only")
    assert figures_for(municipality)["individuals_detained"] == 1
    assert figures_for(municipality, PERIOD_5)["individuals_detained"] == 0
    people = list(selectors.detained_people(_window(municipality, PERIOD_4), now=NOW))
    assert [c.hold_began_at for c in people[0].detentions] == [local(2026, 11, 30, 22)]


def test_a_detainer_backed_by_a_judicial_warrant_is_lodged_but_detains_nobody_on_a_hold(municipality, records):
    custody = records.custody(booked=local(2026, 8, 3, 9))
    records.lodge(
        custody, at=local(2026, 8, 3, 10), judicial_warrant=True, judicial_warrant_received_at=local(2026, 8, 3, 10)
    )
    records.transfer(
        custody,
        eligible=local(2026, 8, 3, 12),
        at=local(2026, 8, 3, 16),
        authority="judicial_warrant",
        authority_received_at=local(2026, 8, 3, 10),
    )
    document = figures_for(municipality)
    assert document["lodged"]["immigration_detainer"]["total"] == 1
    assert document["individuals_detained"] == 0
    assert document["individuals_transferred"] == 1  # on whatever authority


def test_reimbursements_by_case_with_the_money_tied_to_no_case_on_its_own_line(municipality, records):
    records.reimbursement("1000.00", date(2026, 7, 2), "PD-2026-0118")
    records.reimbursement("250", date(2026, 11, 30))
    records.reimbursement("0.50", date(2026, 6, 1), "PD-2026-0118")
    records.reimbursement("99.00", date(2026, 12, 1))  # the next period
    assert figures_for(municipality)["reimbursements"] == {
        "total": "1250.50",
        "by_case": [{"case": "PD-2026-0118", "amount": "1000.50"}, {"case": None, "amount": "250.00"}],
    }


LATE_PERIOD = (date(2025, 12, 1), date(2026, 5, 31))


def test_the_demo_scenarios_past_periods(settings, municipality):
    settings.DEBUG = True
    municipality_mark_demo()  # the fixture's profile is the demo's own, which seed_demo then fills
    call_command("seed_demo")
    expected = {
        # June–November 2024: an I-247A with its I-200, a notification request, an I-200.
        (date(2024, 6, 1), date(2024, 11, 30)): {
            "lodged": {
                "immigration_detainer": {"total": 1, "by_reason": {"final_order": 1}},
                "administrative_warrant": {"total": 2, "by_reason": {"final_order": 1, "not_stated": 1}},
                "notification_request": {"total": 1, "by_reason": {"not_stated": 1}},
            },
            "individuals_detained": 0,
            "individuals_transferred": 0,
            "reimbursements": {"total": "0.00", "by_case": []},
        },
        # December 2024 – May 2025: the person held 40 minutes past bail on an I-247A.
        (date(2024, 12, 1), date(2025, 5, 31)): {
            "lodged": {
                "immigration_detainer": {"total": 3, "by_reason": {"final_order": 2, "statements_or_evidence": 1}},
                "administrative_warrant": {"total": 2, "by_reason": {"not_stated": 2}},
                "notification_request": {"total": 1, "by_reason": {"not_stated": 1}},
            },
            "individuals_detained": 1,
            "individuals_transferred": 0,
            "reimbursements": {"total": "0.00", "by_case": []},
        },
        # June–November 2025: the I-205 and the transfer on a court order; a reimbursement for that case.
        (date(2025, 6, 1), date(2025, 11, 30)): {
            "lodged": {
                "immigration_detainer": {"total": 2, "by_reason": {"final_order": 1, "statements_or_evidence": 1}},
                "administrative_warrant": {"total": 4, "by_reason": {"final_order": 2, "not_stated": 2}},
                "notification_request": EMPTY_KIND,
            },
            "individuals_detained": 0,
            "individuals_transferred": 1,
            "reimbursements": {"total": "1250.00", "by_case": [{"case": "HPD-2025-0118", "amount": "1250.00"}]},
        },
        # December 2025 – May 2026: a notification request, and the SCAAP grant tied to no case; and an I-247A
        # the records system sent late, imported after the chief signed (so the signed report has drifted).
        LATE_PERIOD: {
            "lodged": {
                "immigration_detainer": {"total": 1, "by_reason": {"final_order": 1}},
                "administrative_warrant": EMPTY_KIND,
                "notification_request": {"total": 1, "by_reason": {"not_stated": 1}},
            },
            "individuals_detained": 0,
            "individuals_transferred": 0,
            "reimbursements": {"total": "8412.00", "by_case": [{"case": None, "amount": "8412.00"}]},
        },
    }
    for period, figures in expected.items():
        document = figures_for(municipality, period)
        assert {key: document[key] for key in figures} == figures, period
    # Each breach is counted in the period it happened, though the whole scenario was entered today.
    findings = {
        period: next(
            s for s in figures_for(municipality, period)["supplement"]["sections"] if s["key"] == "findings_by_clause"
        )
        for period in expected
    }
    assert {
        period: {line["key"]: line["value"] for line in section["lines"]} for period, section in findings.items()
    } == {
        (date(2024, 6, 1), date(2024, 11, 30)): {},
        (date(2024, 12, 1), date(2025, 5, 31)): {"2(d).violation": 1, "2(g).violation": 1},  # February 2025
        (date(2025, 6, 1), date(2025, 11, 30)): {"2(e).violation": 1, "2(h).violation": 1},  # November 2025
        (date(2025, 12, 1), date(2026, 5, 31)): {},
    }
    # Every past period but the most recent is signed by the chief, from the figures above; the most recent awaits
    # the signature, and the current one is a draft.
    from reports.models import Report

    today = selectors.today_local(municipality)
    past = sorted((p.start, p.end) for p in selectors.reporting_periods(municipality, today=today) if p.end < today)
    signed = {(r.period_start, r.period_end): r for r in Report.objects.current()}
    assert set(signed) == set(past[:-1]) and set(expected) <= set(signed)
    before_the_late_import = {**expected[LATE_PERIOD], "lodged": {**expected[LATE_PERIOD]["lodged"]}}
    before_the_late_import["lodged"]["immigration_detainer"] = EMPTY_KIND
    for period, figures in {**expected, LATE_PERIOD: before_the_late_import}.items():
        assert {key: signed[period].snapshot["figures"][key] for key in figures} == figures
        assert signed[period].has_drifted is (period == LATE_PERIOD)
        assert (signed[period].signer_name, signed[period].version) == ("Charlene Chief", 1)
    late = signed[LATE_PERIOD].drift
    assert late["figures"]["lodged.immigration_detainer"] == {"signed": 0, "now": 1}
    assert [(r["type"], r["change"]) for r in late["records"]] == [("detainer", "added")]
    # Two whole years at once: every document of the scenario (the late import with them) but the two lodged in
    # the current period.
    two_years = figures_for(municipality, (date(2024, 6, 1), date(2026, 5, 31)))
    assert sum(two_years["lodged"][kind]["total"] for kind in selectors.KINDS) == 20 - 2
    # No step of the clerk's is dated in the future, nor before the step it follows.
    from django.utils import timezone

    from reports.models import DocketItem

    now = timezone.now()
    for report in signed.values():
        steps = [report.signed_at, report.received_at, report.forwarded_at, report.docket_item.docketed_at]
        steps.append(report.docket_item.placed_at)
        assert steps == sorted(steps) and steps[-1] <= now, report
    for item in DocketItem.objects.exclude(action=""):
        assert item.placed_at < item.meeting.agenda_posted_at < item.meeting.starts_at < item.action_recorded_at < now


def _window(municipality, period):
    return selectors.figures_window(municipality=municipality, start=period[0], end=period[1])


def test_the_supplement_counts_requests_and_findings_of_the_period(municipality, records, ia, clerk):
    custody = records.custody(booked=local(2026, 7, 1, 8))
    services.information_request_create(
        custody=custody,
        agency="ICE ERO Boston",
        received_at=local(2026, 7, 1, 10),
        received_via="phone",
        items=[{"item": "pending_release", "disclosed": True, "basis": "none"}],
        by=clerk,
        now=NOW,
    )
    access = services.access_request_create(
        custody=custody,
        agency="ICE ERO Boston",
        requested_at=local(2026, 7, 1, 11),
        mode="video",
        judicial_warrant_or_court_order=False,
        granted=True,
        by=clerk,
        now=NOW,
    )
    sections = {s["key"]: {line["key"]: line["value"] for line in s["lines"]} for s in _supplement(municipality)}
    assert sections["information_requests"] == {"received": 1, "answered": 0, "restricted_disclosed": 1}
    assert sections["access_requests"] == {"received": 1, "granted": 1, "granted_without_judicial_authority": 1}
    assert sections["assistance_requests"]["received"] == 0
    # The findings were found when the records were entered ("now", in period 5), but the breaches happened in
    # July: they count in period 4, where the requests do.
    assert sections["findings_by_clause"] == {"2(e).violation": 1, "2(h).violation": 1}
    later = {s["key"]: {line["key"]: line["value"] for line in s["lines"]} for s in _supplement(municipality, PERIOD_5)}
    assert later["findings_by_clause"] == {}
    # A record voided counts nowhere: neither the request nor its finding (closed, since it no longer holds).
    services.record_void(record=access, by=ia, reason="Entered on the wrong person.", now=NOW)
    sections = {s["key"]: {line["key"]: line["value"] for line in s["lines"]} for s in _supplement(municipality)}
    assert sections["access_requests"]["received"] == 0
    assert sections["findings_by_clause"] == {"2(e).violation": 1}


def _supplement(municipality, period=PERIOD_4):
    document = figures_for(municipality, period)
    assert document["supplement"]["beyond_the_ordinance"] is True
    return document["supplement"]["sections"]


def test_voids_dismissals_and_closures_are_counted_in_the_period_they_happened(municipality, clerk, ia):
    # Acting on a finding is stamped with the real time, so this scenario happens now, in the current period.
    from django.utils import timezone

    from welcoming.findings import finding_dismiss
    from welcoming.models import Finding

    now = timezone.now()
    custody = services.custody_create(
        person=services.person_create(full_name="Ana Example", by=clerk),
        booked_at=now - timedelta(days=3),
        basis="criminal_charge",
        by=clerk,
        now=now,
    )
    late = services.detainer_create(
        judicial_warrant=False,
        custody=custody,
        form="I-247A",
        lodged_at=now - timedelta(days=2),
        received_via="fax",
        reasons=[("final_order", "")],
        by=clerk,
        now=now,
    )  # no copy served within 24 hours: a 2(g) violation
    finding_dismiss(
        finding=Finding.objects.get(record_id=late.pk, section="2(g)"), by=ia, reason="Served; the scan was lost."
    )
    duplicate = services.detainer_create(
        judicial_warrant=False,
        custody=custody,
        form="I-200",
        lodged_at=now - timedelta(days=2),
        received_via="fax",
        reasons=[("not_stated", "")],
        copy_served_at=now - timedelta(days=2),
        by=clerk,
        now=now,
    )
    services.record_void(record=duplicate, by=clerk, reason="Entered twice.", now=now)
    current = selectors.current_period(municipality, today=selectors.today_local(municipality))
    previous = selectors.reporting_period(municipality, current.number - 1, today=current.start)

    def closures(period):
        sections = _supplement(municipality, (period.start, period.end))
        return {line["key"]: line["value"] for line in next(s for s in sections if s["key"] == "closures")["lines"]}

    now_counts = closures(current)
    assert (now_counts["voided.detainer"], now_counts["findings_dismissed"], now_counts["findings_closed"]) == (1, 1, 0)
    assert set(closures(previous).values()) == {0}


def test_a_voided_person_or_custody_takes_everything_on_it_out_of_the_figures(municipality, records, ia):
    def held_on_a_detainer_and_transferred(name):
        custody = records.custody(records.person(name), booked=local(2026, 7, 1, 8))
        records.lodge(custody, at=local(2026, 7, 1, 9))
        records.transfer(custody, eligible=local(2026, 7, 1, 12), at=local(2026, 7, 1, 15), authority="detainer")
        return custody

    kept = held_on_a_detainer_and_transferred("Ana Kept")
    voided_custody = held_on_a_detainer_and_transferred("Bea Wrong Booking")
    voided_person = held_on_a_detainer_and_transferred("Cai Entered In Error")
    document = figures_for(municipality)
    assert document["lodged"]["immigration_detainer"]["total"] == 3
    assert (document["individuals_detained"], document["individuals_transferred"]) == (3, 3)
    services.record_void(record=voided_custody, by=ia, reason="Booked the wrong person.", now=NOW)
    services.record_void(record=voided_person, by=ia, reason="Not a real person: a training entry.", now=NOW)
    document = figures_for(municipality)
    assert document["lodged"]["immigration_detainer"]["total"] == 1
    assert (document["individuals_detained"], document["individuals_transferred"]) == (1, 1)
    window = _window(municipality, PERIOD_4)
    assert [p.full_name for p in selectors.detained_people(window, now=NOW)] == [kept.person.full_name]


def test_a_range_between_daylight_saving_changes_ends_at_local_midnight(municipality, records):
    # March 8, 2026 springs forward and November 1 falls back: the range starts and ends at local midnight.
    custody = records.custody(booked=local(2026, 3, 7, 20))
    records.lodge(custody, at=local(2026, 3, 7, 23, 59))  # the day before: out
    records.lodge(custody, at=local(2026, 3, 8, 0, 30), form="I-200", reasons=[("not_stated", "")])  # in
    later = records.custody(records.person("Luis Example"), booked=local(2026, 11, 1, 20))
    records.lodge(later, at=local(2026, 11, 1, 23, 30), form="I-205", reasons=[("not_stated", "")])  # in (EST)
    records.lodge(later, at=local(2026, 11, 2, 0, 0), form="release_inquiry", reasons=[("not_stated", "")])  # out
    document = figures_for(municipality, (date(2026, 3, 8), date(2026, 11, 1)))
    lodged = {kind: counts["total"] for kind, counts in document["lodged"].items()}
    assert lodged == {"immigration_detainer": 0, "administrative_warrant": 2, "notification_request": 0}
