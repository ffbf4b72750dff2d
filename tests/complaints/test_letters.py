"""Letters to the complainant, wholly in their language: typed for the letter by a person, checked, previewed,
made final, then recorded as sent (issue: letters entirely in the reader's language)."""

import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints import services
from welcoming.letters import copied_run
from welcoming.roles import Role

STAFF_ENGLISH = [
    "Officer Dana Booker (badge 4471) asked the complainant about her immigration status at the stop.",
    "Treated the complainant differently because of where she was born.",
    "The officer was suspended and retrained on the ordinance.",
]
ACTION_TAKEN = "Suspended three days without pay."
SPANISH = {
    "explanation": "La investigación confirmó la primera queja. El departamento tomó medidas.",
    "first": "Un agente le preguntó por su situación migratoria durante la parada.",
    "second": "La trataron de forma distinta por su lugar de nacimiento.",
}


def _pdf_text(response, tmp_path) -> str:
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "letter.pdf"
    path.write_bytes(response.content)
    return " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def closed_in_spanish(take_in, coordinator, ia):
    """A Spanish complaint internal affairs investigated and closed, in the staff's English, naming the officer."""
    complaint = services.complaint_route(complaint=take_in(language="es"), by=coordinator)
    officer = services.person_add(complaint=complaint, by=ia, name="Dana Booker", title="Officer", badge_number="4471")
    for summary, disposition in [(STAFF_ENGLISH[0], "sustained"), (STAFF_ENGLISH[1], "unfounded")]:
        allegation = services.allegation_add(complaint=complaint, by=ia, person=officer, clause="2(b)", summary=summary)
        services.allegation_dispose(allegation=allegation, by=ia, disposition=disposition, action_taken=ACTION_TAKEN)
    return services.complaint_close(complaint=complaint, by=ia, outcome=STAFF_ENGLISH[2])


def _texts(complaint, explanation, first, second):
    one, two = complaint.allegations.order_by("id")
    return {"explanation": explanation, f"allegation_{one.pk}": first, f"allegation_{two.pk}": second}


def test_the_spanish_outcome_letter_holds_no_staff_english_nor_any_name_or_badge(
    closed_in_spanish, staff, client_of, tmp_path
):
    complaint, client = closed_in_spanish, client_of(staff[Role.INTERNAL_AFFAIRS])
    letter = complaint.letters.get(kind="outcome")
    url = lambda name: reverse(f"complaints:{name}", args=[complaint.pk, "outcome"])  # noqa: E731
    assert client.get(url("letter")).status_code == 404  # no PDF of a letter still waiting for its text
    page = client.get(letter.get_absolute_url()).content.decode()
    assert "Needs translation: the complainant reads Spanish." in page and 'lang="es"' in page
    write = client.get(url("letter-write")).content.decode()
    assert "The outcome, explained — in Spanish" in write and STAFF_ENGLISH[2] in write  # to translate from

    # The staff's English pasted in, a name and a badge number: each refused beside its field, nothing saved.
    pasted = _texts(
        complaint,
        "El agente fue suspended and retrained on the ordinance.",
        "El agente Booker preguntó por su situación migratoria.",
        "Placa 4471: la trató de forma distinta.",
    )
    refused = client.post(url("letter-write"), pasted).content.decode()
    assert "“suspended and retrained on…” is copied from the staff&#x27;s English text" in refused
    assert "Leave out Dana Booker: names and badge numbers stay out of letters" in refused
    assert "Leave out 4471" in refused
    assert refused.count('class="usa-error-message"') == 3
    letter.refresh_from_db()
    assert letter.explanation == "" and not complaint.allegations.exclude(letter_summary="").exists()

    # Half written: saved as a draft, but it cannot be made final.
    half = _texts(complaint, SPANISH["explanation"], SPANISH["first"], "")
    assert client.post(url("letter-write"), half).status_code == 302
    followed = client.post(url("letter-final"), follow=True).content.decode()
    assert "Write allegation 2 (2(b)) in Spanish first." in followed
    letter.refresh_from_db()
    assert letter.final_at is None

    assert client.post(url("letter-write"), _texts(complaint, *SPANISH.values())).status_code == 302
    preview = client.get(letter.get_absolute_url()).content.decode()
    assert SPANISH["second"] in preview and "Fundada" in preview and "Make final" in preview
    assert client.post(url("letter-final")).status_code == 302
    text = _pdf_text(client.get(url("letter")), tmp_path)
    for spanish in [*SPANISH.values(), "Fundada", "Infundada", "Página 1 de", complaint.tracking_code]:
        assert spanish in text, spanish
    assert copied_run(text, [*STAFF_ENGLISH, ACTION_TAKEN]) == ""
    assert "{" not in text  # no template's note or tag leaks into the letter
    for withheld in ["Dana", "Booker", "4471", "Suspended"]:
        assert withheld not in text, withheld


def test_a_final_letter_no_longer_changes(closed_in_spanish, ia):
    letter = closed_in_spanish.letters.get(kind="outcome")
    one, two = closed_in_spanish.allegations.order_by("id")
    summaries = {one.pk: SPANISH["first"], two.pk: SPANISH["second"]}
    services.letter_write(letter=letter, by=ia, explanation=SPANISH["explanation"], summaries=summaries)
    services.letter_make_final(letter=letter, by=ia)
    with pytest.raises(services.ValidationError, match="final"):
        services.letter_write(letter=letter, by=ia, explanation="Otra cosa.", summaries={})


def test_an_english_letter_starts_from_the_staff_text_but_still_names_no_one(take_in, coordinator, ia, client_of):
    complaint = services.complaint_route(complaint=take_in(), by=coordinator)
    officer = services.person_add(complaint=complaint, by=ia, name="Dana Booker", badge_number="4471")
    allegation = services.allegation_add(
        complaint=complaint, by=ia, person=officer, clause="2(b)", summary="Asked about her status at the stop."
    )
    services.allegation_dispose(allegation=allegation, by=ia, disposition="sustained", action_taken=ACTION_TAKEN)
    services.complaint_close(complaint=complaint, by=ia, outcome="Sustained. Officer Booker was suspended.")
    client = client_of(ia)
    write = reverse("complaints:letter-write", args=[complaint.pk, "outcome"])
    form = client.get(write).content.decode()
    assert "Asked about her status at the stop.</textarea>" in form  # English: the staff's words to start from
    refused = client.post(
        write, {"explanation": "Sustained. Officer Booker was suspended.", f"allegation_{allegation.pk}": "Asked."}
    ).content.decode()
    assert "Leave out Dana Booker" in refused
    refused = client.post(
        write, {"explanation": f"Sustained: {ACTION_TAKEN}", f"allegation_{allegation.pk}": "Asked."}
    ).content.decode()
    assert "is the action taken, a personnel matter" in refused
    fine = {
        "explanation": "The allegation was sustained, and the department acted on it.",
        f"allegation_{allegation.pk}": "Asked about her status at the stop.",
    }
    assert client.post(write, fine).status_code == 302


def test_sending_is_a_step_with_how_and_when_and_the_dashboard_lists_what_waits(
    closed_in_spanish, staff, client_of, coordinator
):
    complaint = closed_in_spanish
    letter = complaint.letters.get(kind="outcome")
    client = client_of(coordinator)
    dashboard = client.get(reverse("welcoming:home")).content.decode()
    assert "Letters that need translation" in dashboard and "into Spanish" in dashboard
    send = reverse("complaints:letter-send", args=[complaint.pk, "outcome"])
    assert client.get(send)["Location"] == letter.get_absolute_url()  # not before it is final
    one, two = complaint.allegations.order_by("id")
    services.letter_write(
        letter=letter,
        by=coordinator,
        explanation=SPANISH["explanation"],
        summaries={one.pk: SPANISH["first"], two.pk: SPANISH["second"]},
    )
    services.letter_make_final(letter=letter, by=coordinator)
    letter.refresh_from_db()
    dashboard = client.get(reverse("welcoming:home")).content.decode()
    assert "Letters that need translation" not in dashboard
    assert dashboard.index("Letters written, not sent") < dashboard.index(f'href="{letter.get_absolute_url()}"')
    timeline = client.get(complaint.get_absolute_url()).content.decode()
    assert "Letter sent" not in timeline and "Closed, outcome sent" not in timeline

    for moment, message in [
        (letter.final_at - timedelta(minutes=5), "A letter goes out after it is made final"),
        (timezone.now() + timedelta(hours=2), "The time it went out cannot be in the future."),
    ]:
        refused = client.post(send, {"delivery": "mail", "sent_at": _local(moment)})
        assert message in refused.content.decode()
        letter.refresh_from_db()
        assert letter.delivery == "" and letter.sent_at is None
    assert "This field is required." in client.post(send, {"sent_at": _local(timezone.now())}).content.decode()

    assert client.post(send, {"delivery": "mail", "sent_at": _local(timezone.now())}).status_code == 302
    letter.refresh_from_db()
    assert (letter.delivery, letter.sent_by) == ("mail", coordinator)
    timeline = client.get(complaint.get_absolute_url()).content.decode()
    assert "Letter sent" in timeline and "Outcome letter, mailed" in timeline
    assert f'href="{letter.get_absolute_url()}"' not in client.get(reverse("welcoming:home")).content.decode()


def test_the_acknowledgement_deadline_counts_until_its_letter_is_sent(take_in, coordinator):
    complaint = take_in(hours_ago=24 * 10)
    letter = complaint.letters.get(kind="acknowledgement")
    assert letter.is_final and complaint.acknowledged_at is None
    services.letter_send(letter=letter, by=coordinator, delivery="handed_over", sent_at=timezone.now())
    complaint.refresh_from_db()
    assert complaint.acknowledged_at is not None


def test_a_letter_with_nowhere_to_go_is_recorded_as_such_and_needs_no_text(take_in, coordinator, client_of):
    complaint = services.complaint_route(complaint=take_in(complainant_contact="", language="vi"), by=coordinator)
    allegation = services.allegation_add(complaint=complaint, by=coordinator, clause="2(b)", summary="Asked")
    services.allegation_dispose(allegation=allegation, by=coordinator, disposition="unfounded")
    services.complaint_close(complaint=complaint, by=coordinator, outcome="Unfounded.")
    letter = complaint.letters.get()
    assert (letter.kind, letter.delivery) == ("outcome", "not_sent")
    page = client_of(coordinator).get(letter.get_absolute_url()).content.decode()
    assert "It cannot be sent: the complainant gave no contact" in page
    assert "Letters that need translation" not in client_of(coordinator).get(reverse("welcoming:home")).content.decode()
