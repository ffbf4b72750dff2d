"""The one PDF service (WeasyPrint) that every letter, receipt and the report use: the municipality's
letterhead, fonts for every language we promise (Noto, with CJK), page x of y, and document metadata."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import CSS, HTML

from welcoming import selectors

# Tagged for screen readers and archival; the signed report uses the same (DESIGN.md section 5).
ARCHIVAL_VARIANT = "pdf/a-3a"


def render_pdf(
    *,
    template: str,
    context: dict,
    title: str,
    author: str = "",
    subject: str = "",
    variant: str | None = ARCHIVAL_VARIANT,
    language: str = "en",
) -> bytes:
    """Render `template` (which extends pdf/base.html) to PDF bytes, with title, author, subject and language
    set in the document's metadata."""
    municipality = selectors.municipality_get()
    words = selectors.municipality_words(municipality)
    html = render_to_string(
        template,
        {
            **context,
            "title": title,
            "author": author,
            "subject": subject,
            "words": words,
            "contact": selectors.office_contact(municipality),
            "municipality": municipality,
            "language": language,
            "generated_at": timezone.localtime(),
        },
    )
    stylesheet = CSS(filename=str(settings.BASE_DIR / "static" / "css" / "pdf.css"))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[stylesheet], pdf_variant=variant, pdf_tags=True, custom_metadata=True
    )
