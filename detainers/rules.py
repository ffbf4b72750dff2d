"""The ordinance's rules for the police department's records: one function per rule, each naming its clause.

Each is `(record, context) -> findings`: it writes nothing and reads only the record, its joined relations and the
`RuleContext` (the town's settings, `now`, and what `detainers.registrations` precomputes: a custody's detention
on a hold, its judicial authorities, a request's items and supports). Voided records are checked against nothing
(they count nowhere), so their findings close by themselves and show up as automatic closures.
"""

from detainers import selectors
from detainers.models import (
    AccessRequest,
    AssistanceRequest,
    AssistanceSupport,
    Custody,
    Detainer,
    InformationItem,
    InformationRequest,
)
from welcoming.findings import FindingDraft, RuleContext
from welcoming.local_time import when

VIOLATION, WARNING = "violation", "warning"
# The names under which `detainers.registrations` precomputes what the rules read, for the records at hand.
HOLD_DETENTION, JUDICIAL_AUTHORITIES, ITEMS, SUPPORTS = "hold_detention", "judicial_authorities", "items", "supports"


def detained_on_hold(custody: Custody, context: RuleContext):
    """2(d): nobody is arrested or held — not for any amount of time — on a detainer or administrative warrant."""
    if custody.is_voided:
        return
    detention = context.lookup(HOLD_DETENTION, custody)
    if detention is None:
        return
    began, ended, authority_at = detention
    ended_by_authority = authority_at is not None and authority_at == ended
    if custody.basis in selectors.HOLD_ONLY_BASES:
        message = f"{custody.person} was taken into custody on the basis “{custody.get_basis_display()}”."
    else:
        minutes = int((ended - began).total_seconds() // 60)
        if ended_by_authority:
            until = ", until a judicial warrant or court order was received"
        else:
            until = ", and is still held" if custody.left_at is None else ""
        message = (
            f"{custody.person} stayed in custody {minutes} minute{'s' if minutes != 1 else ''} past "
            f"eligibility for release, with an ICE hold open when they became eligible{until}."
        )
    facts = {
        "basis": custody.basis,
        "eligible_for_release_at": custody.eligible_for_release_at,
        "detention_began_at": began,
        "left_at": custody.left_at,
        "delay_reason": custody.delay_reason,
    }
    if ended_by_authority:
        # Only where it ended the detention: the facts of findings opened before the authority had a time stay
        # as they were, so a dismissed one does not reopen for nothing.
        facts["judicial_authority_received_at"] = authority_at
    yield FindingDraft(
        section="2(d)",
        severity=VIOLATION,
        code="2d-detained-on-hold",
        message=message,
        facts=facts,
        occurred_at=began,
    )


def _judicial_authority_by(custody: Custody, moment, context: RuleContext):
    """An active judicial warrant or court order received for this custody by `moment`, if any."""
    return next(
        (a for a in context.lookup(JUDICIAL_AUTHORITIES, custody, ()) if not a.is_voided and a.received_at <= moment),
        None,
    )


def transferred_without_judicial_authority(custody: Custody, context: RuleContext):
    """2(c): a transfer to ICE custody needs a judicial warrant or a court order, received by the transfer."""
    if custody.is_voided or custody.transferred_to_ice_at is None:
        return
    claims_judicial = custody.transfer_authority in selectors.JUDICIAL_AUTHORITY
    if claims_judicial and _judicial_authority_by(custody, custody.transferred_to_ice_at, context):
        return
    yield FindingDraft(
        section="2(c)",
        severity=VIOLATION,
        code="2c-transfer-without-judicial-authority",
        message=f"{custody.person} was transferred to ICE on “{custody.get_transfer_authority_display()}”, "
        + (
            "without a judicial warrant or court order."
            if not claims_judicial
            else "but no judicial warrant or court order received by then is on record."
        ),
        facts={"transferred_to_ice_at": custody.transferred_to_ice_at, "authority": custody.transfer_authority},
        occurred_at=custody.transferred_to_ice_at,
    )


def judicial_authority_time_unverified(custody: Custody, context: RuleContext):
    """2(d), 2(c): a judicial warrant or court order recorded before its time was asked for carries an inferred
    time; internal affairs verifies it, since a warrant that came later does not excuse the hours before it."""
    if custody.is_voided:
        return
    authorities = context.lookup(JUDICIAL_AUTHORITIES, custody, ())
    assumed = [a for a in authorities if not a.is_voided and a.time_assumed]
    if not assumed:
        return
    times = ", ".join(f"{a.get_kind_display().lower()} {when(a.received_at, context.zone)}" for a in assumed)
    yield FindingDraft(
        section="2(d)",
        severity=WARNING,
        code="2d-judicial-authority-time-unverified",
        message=f"When the judicial authority for {custody.person} was received was not recorded; it was taken to "
        f"be {times}. Check the papers and confirm or correct the time on the custody page.",
        facts={"assumed": [{"kind": a.kind, "received_at": a.received_at} for a in assumed]},
        occurred_at=min(a.received_at for a in assumed),
    )


def copy_not_served(detainer: Detainer, context: RuleContext):
    """2(g): the person gets a copy within the configured hours of lodging, or before leaving custody if sooner."""
    if detainer.is_voided or detainer.custody.is_voided:
        return
    deadline = selectors.copy_deadline(detainer, context.town.detainer_copy_hours)
    served = detainer.copy_served_at
    if served is not None and served <= deadline:
        return
    if served is None and context.now <= deadline:
        return
    tz = context.zone
    what = f"served at {when(served, tz)}" if served else "not served"
    yield FindingDraft(
        section="2(g)",
        severity=VIOLATION,
        code="2g-copy-not-served",
        message=f"The copy of the {detainer.form_name} lodged {when(detainer.lodged_at, tz)} "
        f"was {what}; it was due by {when(deadline, tz)}.",
        facts={"lodged_at": detainer.lodged_at, "deadline": deadline, "copy_served_at": served},
        occurred_at=deadline,
    )


def notification_answered(detainer: Detainer, context: RuleContext):
    """2(e): no release information for ICE — a notification request is answered by declining."""
    if detainer.is_voided or detainer.response != Detainer.Response.ICE_NOTIFIED:
        return
    yield FindingDraft(
        section="2(e)",
        severity=VIOLATION,
        code="2e-ice-notified-of-release",
        message=f"ICE was told of {detainer.custody.person}'s release in answer to a notification request.",
        facts={"responded_at": detainer.responded_at, "form": detainer.form},
        occurred_at=detainer.responded_at or detainer.lodged_at,
    )


def restricted_information_disclosed(request: InformationRequest, context: RuleContext):
    """2(e): restricted information goes to federal officers only where public-records law or a court allows."""
    if request.is_voided:
        return
    for item in context.lookup(ITEMS, request, ()):
        if item.disclosed and item.item in InformationItem.RESTRICTED and item.basis not in item.LAWFUL_BASES:
            yield FindingDraft(
                section="2(e)",
                severity=VIOLATION,
                code=f"2e-disclosed-{item.item}",
                message=f"{item.get_item_display()} of {request.custody.person} was disclosed to {request.agency} "
                "without a public-record or judicial basis.",
                facts={"item": item.item, "agency": request.agency, "basis": item.basis},
                occurred_at=request.answered_at or request.received_at,
            )


def access_without_judicial_authority(request: AccessRequest, context: RuleContext):
    """2(h): ICE sees or calls people in custody only on a judicial warrant or court order."""
    if request.is_voided or not request.granted or request.judicial_warrant_or_court_order:
        return
    yield FindingDraft(
        section="2(h)",
        severity=VIOLATION,
        code="2h-access-without-judicial-authority",
        message=f"{request.agency} was given {request.get_mode_display().lower()} access to "
        f"{request.custody.person} without a judicial warrant or court order.",
        facts={"mode": request.mode, "agency": request.agency, "requested_at": request.requested_at},
        occurred_at=request.requested_at,
    )


def support_beyond_allowed(request: AssistanceRequest, context: RuleContext):
    """2(j): only officer safety, keeping the peace and traffic or perimeter control during a federal operation."""
    if request.is_voided:
        return
    supports = context.lookup(SUPPORTS, request, ())
    beyond = [s for s in supports if s.provided and s.kind not in AssistanceSupport.ALLOWED]
    if beyond:
        names = ", ".join(s.get_kind_display().lower() for s in beyond)
        yield FindingDraft(
            section="2(j)",
            severity=VIOLATION,
            code="2j-support-beyond-allowed",
            message=f"Officers gave {request.agency} support beyond what the ordinance allows: {names}.",
            facts={"provided": sorted(s.kind for s in beyond), "agency": request.agency},
            occurred_at=request.requested_at,
        )


def deputized_functions(request: AssistanceRequest, context: RuleContext):
    """2(k): no officer performs the functions of an immigration officer."""
    if request.is_voided or not request.deputized_functions:
        return
    yield FindingDraft(
        section="2(k)",
        severity=VIOLATION,
        code="2k-immigration-officer-functions",
        message=f"Officers performed the functions of immigration officers during {request.agency}'s operation.",
        facts={"agency": request.agency, "requested_at": request.requested_at},
        occurred_at=request.requested_at,
    )
