"""The ordinance's clauses as the app shows them: code, title, and a short summary in plain words (ours, not
the law's text; the text itself is the municipality's). Summaries name the municipality's own offices.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Clause:
    code: str
    title: str
    summary: str

    @property
    def anchor(self) -> str:
        """“2(d)” → “clause-2d”, for links into the ordinance page."""
        return "clause-" + self.code.replace("(", "").replace(")", "")

    def summary_for(self, words: dict) -> str:
        return self.summary.format(**words)


CLAUSES: list[Clause] = [
    Clause(
        "1",
        "Definitions",
        "Who “ICE” is, what a detainer is (including a request to be told of a release), "
        "and what an administrative warrant is: a custody paper signed by an immigration officer, not a judge.",
    ),
    Clause(
        "2(a)",
        "Equal treatment",
        "{place} treats everyone alike. Immigration status, citizenship, national "
        "origin, race and ethnicity make no difference to how its employees treat anyone.",
    ),
    Clause(
        "2(b)",
        "No questions about immigration status",
        "Employees of {place} do not ask victims, suspects, "
        "arrestees, 911 callers or anyone else about immigration status, unless a public benefit requires it.",
    ),
    Clause(
        "2(c)",
        "Police stay out of immigration enforcement",
        "The {police} starts no stop, investigation or "
        "arrest because of immigration status, and does not take part in federal immigration enforcement. A "
        "transfer to ICE needs a judicial warrant or court order.",
    ),
    Clause(
        "2(d)",
        "No holding anyone on a detainer or administrative warrant",
        "Nobody is arrested or kept in "
        "custody — not even for a minute past release — only because of an ICE detainer or administrative "
        "warrant.",
    ),
    Clause(
        "2(e)",
        "No release dates or addresses for ICE",
        "The {police} does not give federal officers a "
        "person's custody status, length of detention, home or work address, hearing information, release date "
        "or other personal information, except what the public-records law makes public.",
    ),
    Clause(
        "2(f)",
        "Drivers without a license",
        "A driver whose only violation is having no valid license gets a "
        "summons instead of custody when possible, and a fair chance to have a licensed driver take the car "
        "before it is towed.",
    ),
    Clause(
        "2(g)",
        "A copy for the person",
        "When the {police} receives a detainer or administrative warrant "
        "for someone in custody, it gives that person a copy, with the other papers it holds about the case.",
    ),
    Clause(
        "2(h)",
        "No ICE access to people in custody",
        "ICE agents may not see or call people in custody, in "
        "person, by telephone or by video, without a judicial warrant or court order.",
    ),
    Clause(
        "2(i)",
        "U visa certifications",
        "The {police} considers and signs a U visa certification when the "
        "person is the victim of a qualifying crime and has been, is or will likely be helpful to the "
        "investigation or prosecution.",
    ),
    Clause(
        "2(j)",
        "No part in raids",
        "Officers do not take part in federal operations to detain people for "
        "deportation; they may only keep the peace, keep officers safe, and control traffic or perimeters.",
    ),
    Clause(
        "2(k)",
        "No acting as immigration officers",
        "No employee of the {police} performs the functions of "
        "an immigration officer, under a 287(g) agreement or any other arrangement.",
    ),
    Clause(
        "2(l)",
        "School records and enrollment",
        "Schools do not ask students or parents about immigration "
        "or citizenship to enroll a child; what they learn by chance is not kept or shared.",
    ),
    Clause(
        "3",
        "Complaints",
        "Anyone may complain of a breach to the {complaints_office}. Complaints about the "
        "police go to its internal affairs office, which investigates and takes disciplinary action.",
    ),
    Clause(
        "4",
        "Reports every six months",
        "Every six months from the date of passage the {chief_title} reports "
        "to the {clerk_title}, who forwards the report to the {executive_title}, dockets it and puts it on the "
        "agenda of the next meeting of the {committee}.",
    ),
    Clause(
        "4(a)",
        "Requests lodged",
        "How many ICE holds, administrative warrants and notification requests were lodged, by the reasons given.",
    ),
    Clause(
        "4(b)", "People detained on a hold", "How many people were detained on an ICE hold or administrative warrant."
    ),
    Clause("4(c)", "People transferred to ICE", "How many people were transferred to ICE custody."),
    Clause(
        "4(d)",
        "Federal reimbursements",
        "How much the federal government paid for any hold, warrant or notification, by case.",
    ),
    Clause(
        "5",
        "Federal law",
        "Nothing here breaks valid federal law, or stops an agency from sharing "
        "citizenship or immigration status as 8 U.S.C. § 1373 allows. The app never records either.",
    ),
]

_BY_CODE = {clause.code: clause for clause in CLAUSES}


def clause(code: str) -> Clause:
    """The clause with this code; an unknown code is a programming error, so it raises KeyError."""
    return _BY_CODE[code]
