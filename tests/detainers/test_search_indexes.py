"""On PostgreSQL, the screens' searches are answered from indexes (welcoming/search_indexes.py), and the first
page of the queues sorted by more than a column is read from an index in that order, not by reading every row:
the plan names the index. (SQLite has no trigram indexes; these tests run on PostgreSQL, as CI does.)"""

import pytest
from django.db import connection
from django.db.models import Q

from complaints.models import Complaint, InvolvedPerson
from complaints.selectors import with_next_deadline
from detainers.models import Custody, Detainer, DetainerReason, Person
from welcoming.models import Finding

pytestmark = pytest.mark.postgres


def plan(queryset, *, in_order: bool = False, by_condition: bool = False) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test's few rows: make the planner say what it can use
        if by_condition:
            # …and only indexes read by a condition: a plain index scan can walk a whole small table by its key
            # and filter each row, which the planner prefers whenever autovacuum last saw the table near empty.
            cursor.execute("SET LOCAL enable_indexscan = off")
        if in_order:
            cursor.execute("SET LOCAL enable_sort = off")  # …and whether an index gives the rows in their order
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("search", "index"),
    [
        (Person.objects.filter(Q(full_name__icontains="silva") | Q(department_id__iexact="silva")), "person_name_trgm"),
        (Person.objects.filter(department_id__iexact="hpd-1"), "person_department_id_upper"),
        (Custody.objects.filter(booking_number__iexact="b-26-1"), "custody_booking_number_upper"),
        (Detainer.objects.filter(federal_reference__iexact="subj-1"), "detainer_federal_reference_upper"),
        (Complaint.objects.filter(complainant_name__icontains="pereira"), "complaint_complainant_trgm"),
        (Complaint.objects.filter(tracking_code__iexact="abcd-efgh-jkmn"), "complaint_tracking_code_upper"),
        (InvolvedPerson.objects.filter(name__icontains="costa"), "involved_name_trgm"),
        (InvolvedPerson.objects.filter(badge_number__iexact="a12"), "involved_badge_upper"),
        (Custody.objects.in_custody(), "custody_left_at"),  # the release board and the dashboards' counts
        (DetainerReason.objects.filter(code="final_order"), "detainer_reason_by_code"),  # the reason filter
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_each_search_the_screens_offer_uses_its_index(search, index):
    """The lookups and filters the selectors use (detainers/selectors.py, complaints/selectors.py), each alone."""
    assert index in plan(search.order_by())


@pytest.mark.django_db
def test_the_request_lists_and_the_header_search_find_bookings_by_name_and_number_on_their_indexes(make_staff):
    """The information and access requests of a booking found by its person's name or its number: each id from its
    own index, put together (no OR across the join to the people)."""
    from detainers.selectors import access_requests_search, information_requests_search
    from welcoming.roles import Role

    clerk = make_staff("clerk", Role.RECORDS_CLERK)
    for search in (information_requests_search, access_requests_search):
        found = plan(search(user=clerk, query="silva").order_by(), by_condition=True)
        assert "person_name_trgm" in found and "custody_booking_number_upper" in found, search.__name__


@pytest.mark.django_db
def test_the_first_page_of_the_open_complaints_and_the_findings_queue_is_read_in_order_from_an_index():
    """The expression the queue sorts by must stay the one indexed (complaints.models.next_deadline)."""
    urgent_first = with_next_deadline(Complaint.objects.open()).order_by("next_deadline_on", "received_at", "id")
    assert "complaint_open_by_deadline" in plan(urgent_first[:25], in_order=True)
    assert "finding_newest_first" in plan(Finding.objects.unresolved()[:25], in_order=True)
