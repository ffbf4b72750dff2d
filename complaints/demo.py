"""The demo city's complaints, at every stage and in several languages, entered through the services the way the
coordinator and internal affairs would: one awaiting triage with its POST deadline running, one with internal
affairs, one overdue, one against the chief kept by the coordinator, one about a school referred, answered and
closed with its letter awaiting translation, and one investigated and closed with its letter sent. Run by
`seed_demo` before the reports are signed; safe to repeat."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from complaints import services
from complaints.models import Complaint, Letter


def seed(*, now=None) -> int:
    users = {user.username: user for user in get_user_model().objects.filter(username__in=["coordinator", "ia"])}
    if len(users) < 2 or Complaint.objects.exists():
        return 0
    coordinator, ia = users["coordinator"], users["ia"]
    now = now or timezone.now()

    def _acknowledge(complaint, *, after, delivery):
        services.letter_send(
            letter=complaint.letters.get(kind=Letter.Kind.ACKNOWLEDGEMENT),
            by=coordinator,
            delivery=delivery,
            sent_at=complaint.received_at + after,
        )

    def take_in(days_ago, **fields):
        complaint, _ = services.complaint_create(received_at=now - timedelta(days=days_ago), by=coordinator, **fields)
        return complaint

    # Awaiting triage: a resident asked about her status at a traffic stop, in Portuguese, alleging bias.
    take_in(
        1,
        channel="phone",
        language="pt-br",
        complainant_name="Ana Pereira",
        complainant_contact="(617) 555-0142",
        incident_date=(now - timedelta(days=3)).date(),
        incident_place="Harbor Street at Elm",
        narrative="At a traffic stop the officer asked where I was born and whether I had papers, before asking "
        "for my license.",
        department="police",
        about="officers",
        clauses=["2(b)"],
        alleges_bias=True,
        people=[{"name": "", "title": "Officer", "badge_number": "214"}],
    )
    # With internal affairs, assigned, acknowledged; the investigation under way.
    with_ia = take_in(
        20,
        channel="in_person",
        language="es",
        complainant_name="Luis Ortega",
        complainant_contact="luis.ortega@example.org",
        narrative="My brother's release time was given to immigration agents who were waiting outside the station.",
        department="police",
        about="officers",
        clauses=["2(e)"],
    )
    services.complaint_route(complaint=with_ia, by=coordinator)
    _acknowledge(with_ia, after=timedelta(days=2), delivery="mail")
    services.complaint_assign(complaint=with_ia, by=ia, investigator=ia)
    services.person_add(complaint=with_ia, by=ia, name="Dana Booker", title="Booking officer", badge_number="377")
    services.allegation_add(
        complaint=with_ia,
        by=ia,
        person=with_ia.people.get(),
        clause="2(e)",
        summary="Told federal agents the time of release by telephone.",
    )
    # Overdue: with internal affairs past the investigation deadline, in Vietnamese.
    overdue = take_in(
        100,
        channel="mail",
        language="vi",
        anonymous=True,
        narrative="Officers at the station refused to take my report about a theft until I showed a passport.",
        department="police",
        about="officers",
        clauses=["2(a)", "2(b)"],
        alleges_bias=True,
    )
    services.complaint_route(complaint=overdue, by=coordinator)
    services.complaint_post_forward(
        complaint=overdue, by=ia, forwarded_at=overdue.received_at + timedelta(days=1), reference="POST-2026-0311"
    )
    # Against the chief: the coordinator keeps it, whatever internal affairs might think.
    against_chief = take_in(
        12,
        channel="email",
        language="en",
        complainant_name="Harborview Immigrant Rights Coalition",
        complainant_contact="info@example.org",
        narrative="The chief agreed at a public meeting to lend officers to a federal operation.",
        department="police",
        about="chief",
        clauses=["2(c)", "2(j)"],
    )
    services.complaint_route(complaint=against_chief, by=coordinator)
    _acknowledge(against_chief, after=timedelta(hours=3), delivery="email")
    # About a school (2(l)), in Haitian Creole: referred, answered and closed.
    school = take_in(
        45,
        channel="phone",
        language="ht",
        complainant_name="Marie Joseph",
        complainant_contact="(617) 555-0199",
        narrative="The school office asked for my son's citizenship papers to enroll him.",
        department="schools",
        department_name="Harborview Public Schools",
        clauses=["2(l)"],
    )
    services.complaint_route(
        complaint=school, by=coordinator, referred_to="Superintendent's office, Harborview Public Schools"
    )
    _acknowledge(school, after=timedelta(days=1), delivery="mail")
    services.complaint_answer_record(
        complaint=school,
        by=coordinator,
        answer="The enrollment form was corrected; schools ask only for proof of age and residence.",
        answered_at=timezone.now(),
    )
    services.complaint_close(
        complaint=school,
        by=coordinator,
        outcome="The school department changed its enrollment form. Your son can enroll with proof of age and "
        "residence only.",
    )
    # About another department, referred and awaiting its answer.
    housing = take_in(
        6,
        channel="email",
        language="es",
        complainant_name="Rosa Díaz",
        complainant_contact="rosa.diaz@example.org",
        narrative="The housing office asked for my immigration papers before it would take my repair request.",
        department="other",
        department_name="Housing Authority",
        clauses=["2(b)"],
    )
    services.complaint_route(complaint=housing, by=coordinator, referred_to="Director, Harborview Housing Authority")
    _acknowledge(housing, after=timedelta(days=1), delivery="email")
    # Investigated and closed, in Chinese, alleging bias: forwarded to POST, each allegation decided.
    closed = take_in(
        60,
        channel="in_person",
        language="zh-hans",
        complainant_name="Wei Chen",
        complainant_contact="12 Dock Road, Harborview",
        narrative="An officer called immigration about me after I reported a break-in at my shop.",
        department="police",
        about="officers",
        clauses=["2(a)", "2(c)"],
        alleges_bias=True,
        people=[
            {"name": "Pat Moreno", "title": "Officer", "badge_number": "152", "post_certification_number": "MA-88213"}
        ],
    )
    services.complaint_route(complaint=closed, by=coordinator)
    _acknowledge(closed, after=timedelta(days=1), delivery="handed_over")
    services.complaint_post_forward(
        complaint=closed, by=ia, forwarded_at=closed.received_at + timedelta(days=1), reference="POST-2026-0207"
    )
    services.complaint_assign(complaint=closed, by=ia, investigator=ia)
    officer = closed.people.get()
    for clause, summary, disposition, action in [
        (
            "2(c)",
            "Called federal immigration agents about a crime victim.",
            "sustained",
            "Suspended five days; retrained on the ordinance.",
        ),
        ("2(a)", "Treated the complainant differently because of national origin.", "not_sustained", ""),
    ]:
        allegation = services.allegation_add(complaint=closed, by=ia, person=officer, clause=clause, summary=summary)
        services.allegation_dispose(allegation=allegation, by=ia, disposition=disposition, action_taken=action)
    services.complaint_close(
        complaint=closed,
        by=ia,
        outcome="The officer's call to immigration agents broke the ordinance; the department has acted on it.",
    )
    # Its letter, typed in Chinese by the coordinator's office, made final and handed over; the school's letter
    # still waits for its Haitian Creole.
    letter = closed.letters.get(kind=Letter.Kind.OUTCOME)
    first, second = closed.allegations.order_by("id")
    services.letter_write(
        letter=letter,
        by=coordinator,
        explanation="调查认定，警员就您的情况联系联邦移民人员的行为违反了本市条例。警察局已对此采取措施。",
        summaries={first.pk: "一名警员就犯罪受害人的情况联系了联邦移民人员。", second.pk: "因原籍国而区别对待投诉人。"},
    )
    services.letter_make_final(letter=letter, by=coordinator)
    services.letter_send(letter=letter, by=coordinator, delivery="handed_over", sent_at=timezone.now())
    return Complaint.objects.count()
