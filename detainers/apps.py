from django.apps import AppConfig


class DetainersConfig(AppConfig):
    """ICE detainers, administrative warrants, federal requests, persons, custody, reimbursements."""

    name = "detainers"
    verbose_name = "Detainers and federal requests"

    def ready(self):
        from django.db.models import Q

        # Rules that fire because time passes are re-checked on the schedule for the records they may fire on:
        # people still in custody (2(d)) and copies not yet served (2(g)); and custody whose judicial authority
        # carries an inferred time, so the warning opens on the first pass after the migration that inferred it.
        from detainers import rules, selectors
        from detainers.models import (
            AccessRequest,
            AssistanceRequest,
            Custody,
            Detainer,
            InformationRequest,
            JudicialAuthority,
            Person,
            Reimbursement,
        )
        from welcoming.findings import register_rule, register_voidable

        custody_context = {
            "related": ("person",),
            "precompute": {
                rules.HOLD_DETENTION: selectors.hold_detentions,
                rules.JUDICIAL_AUTHORITIES: selectors.judicial_authorities_by_custody,
            },
        }
        register_rule(
            Custody,
            rules.detained_on_hold,
            **custody_context,
            scheduled=lambda: Custody.objects.active().filter(
                Q(pk__in=Custody.objects.in_custody().exclude(eligible_for_release_at=None).values("pk"))
                | Q(pk__in=JudicialAuthority.objects.active().filter(time_assumed=True).values("custody"))
            ),
        )
        register_rule(Custody, rules.transferred_without_judicial_authority, **custody_context)
        register_rule(Custody, rules.judicial_authority_time_unverified, **custody_context)
        register_rule(
            Detainer,
            rules.copy_not_served,
            scheduled=lambda: Detainer.objects.active().filter(copy_served_at__isnull=True),
            related=("custody__person",),
        )
        register_rule(Detainer, rules.notification_answered, related=("custody__person",))
        register_rule(
            InformationRequest,
            rules.restricted_information_disclosed,
            related=("custody__person",),
            precompute={rules.ITEMS: selectors.items_by_request},
        )
        register_rule(AccessRequest, rules.access_without_judicial_authority, related=("custody__person",))
        for rule in (rules.support_beyond_allowed, rules.deputized_functions):
            register_rule(AssistanceRequest, rule, precompute={rules.SUPPORTS: selectors.supports_by_request})

        from detainers import api, bulk, demo
        from welcoming.api_router import register
        from welcoming.demo import register_bulk_seeder, register_seeder

        register_seeder(demo.seed)
        register_bulk_seeder(bulk.seed)
        from detainers.services import VOIDABLE

        for model in VOIDABLE:
            register_voidable(model)

        from welcoming import attachments, dashboards, navigation
        from welcoming.roles import Role

        board = dashboards.Panel("Release board", "detainers/panels/board.html", selectors.board_summary, order=5)
        for role in (Role.RECORDS_CLERK, Role.INTERNAL_AFFAIRS, Role.POLICE_CHIEF):
            dashboards.register(role, board)

        for model in (Detainer, InformationRequest, AccessRequest, AssistanceRequest, Custody):
            attachments.register(model, read_permission="welcoming.view_police_records")
        police = "welcoming.view_police_records"
        for label, url_name in [
            ("Release board", "detainers:board"),
            ("Records", "detainers:detainer-list"),
            ("People", "detainers:person-list"),
        ]:
            navigation.register(navigation.MenuEntry(label, url_name, police))
        # Booking is where a clerk's day starts: one click from every page and from the dashboard.
        navigation.register(navigation.MenuEntry("Book a person", "detainers:book", "welcoming.change_police_records"))
        dashboards.register(
            Role.RECORDS_CLERK, dashboards.Panel("Book a person", "detainers/panels/book.html", order=1)
        )

        navigation.register_search(navigation.MenuEntry("Search police records", "detainers:search", police))
        from welcoming import search

        # Each kind is its own list's search, on that list's indexes (no OR across joins), so the list the search
        # links to for "more" finds exactly the same records.
        for order, (key, title, records, list_url_name) in enumerate(
            [
                ("people", "People", lambda *, user, query: selectors.persons_for(user=user, search=query), "person"),
                ("custody", "Custody records", selectors.custody_search, "custody"),
                # The lists' prefetches (reasons, items) are for their columns; the search shows neither.
                (
                    "detainers",
                    "Detainers, warrants and notification requests",
                    lambda *, user, query: selectors.detainers_search(user=user, query=query).prefetch_related(None),
                    "detainer",
                ),
                (
                    "information_requests",
                    "Information requests",
                    lambda *, user, query: selectors.information_requests_search(
                        user=user, query=query
                    ).prefetch_related(None),
                    "information-request",
                ),
                ("access_requests", "Access requests", selectors.access_requests_search, "access-request"),
            ],
            start=10,
        ):
            search.register_search_kind(
                search.SearchKind(
                    key,
                    title,
                    (police,),
                    records,
                    f"detainers:{list_url_name}-list",
                    f"detainers/partials/found_{key}.html",
                    order=order,
                )
            )
        from welcoming import supplement

        for order, (key, title, lines) in enumerate(
            [
                ("information_requests", "Requests for information", selectors.supplement_information_requests),
                ("access_requests", "Requests for access to people in custody", selectors.supplement_access_requests),
                (
                    "assistance_requests",
                    "Requests to assist federal operations",
                    selectors.supplement_assistance_requests,
                ),
            ],
            start=10,
        ):
            supplement.register(supplement.Section(key, title, lines, order=order))
        register("persons", api.PersonViewSet, "person")
        register("custody-records", api.CustodyViewSet, "custody")
        register("detainers", api.DetainerViewSet, "detainer")
        register("information-requests", api.InformationRequestViewSet, "information-request")
        register("access-requests", api.AccessRequestViewSet, "access-request")
        register("assistance-requests", api.AssistanceRequestViewSet, "assistance-request")
        register("reimbursements", api.ReimbursementViewSet, "reimbursement")

        # Retention: what each record keeps about a person, replaced once its period was reported long enough ago.
        from welcoming import retention
        from welcoming.retention import PURGED, Policy

        retention.register(
            Policy(
                Person,
                replace={"full_name": PURGED, "date_of_birth": None, "department_id": ""},
                select=retention.referred_to_only_by_due_records,
                quoted=("full_name",),  # the findings' messages name the person
            )
        )
        for model, dated_by, replace in [
            # The records system's own ids go too: they lead back to the person there. (Not the delay reason: a
            # finding's facts hold it, and changing it would reopen the finding.)
            (Custody, "booked_at", {"booking_number": PURGED, "external_id": ""}),
            (
                Detainer,
                "lodged_at",
                {"federal_reference": PURGED, "documents_served": "", "notes": "", "external_id": ""},
            ),
            (InformationRequest, "received_at", {"federal_reference": PURGED, "notes": PURGED}),
            (AccessRequest, "requested_at", {"notes": PURGED}),
            (AssistanceRequest, "requested_at", {"notes": PURGED}),
            # (Not the case label: the report gives reimbursements by case, and it names no one.)
            (Reimbursement, "received_on", {"notes": PURGED}),
        ]:
            retention.register(Policy(model, replace=replace, dated_by=dated_by))
