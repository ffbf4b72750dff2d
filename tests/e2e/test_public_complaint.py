"""A resident files and follows a complaint on a phone-sized screen, without an account: in Spanish by keyboard
alone, in Chinese with a photo, and in Haitian Creole; every page she passes through has no WCAG 2.1 A or AA
violation."""

import io
import re

import pytest
from django.core.management import call_command
from django.utils import translation
from playwright.sync_api import expect

from complaints.models import Complaint
from tests.conftest import A_JPEG
from tests.e2e.conftest import CspWatch, MarkupWatch, axe_violations
from welcoming.municipality import municipality_mark_demo

PHONE = {"width": 390, "height": 844}
JPEG = A_JPEG


@pytest.fixture
def phone(browser, live_server, transactional_db, municipality):
    """phone(axe=False) -> a page on a phone-sized screen; under the app's CSP unless it is for axe-core."""
    opened = []

    def open_page(*, axe=False):
        context = browser.new_context(
            base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=axe
        )
        markup = MarkupWatch(context)
        page = context.new_page()
        opened.append((context, None if axe else CspWatch(page), markup))
        return page

    yield open_page
    for context, watch, markup in opened:
        context.close()
        assert watch is None or not watch.violations, f"Content-Security-Policy violations: {watch.violations}"
        assert not markup.problems, "Markup problems:\n" + "\n".join(markup.problems)


def choose_language(page, code: str) -> None:
    """Choose a language the way a phone's reader does: the compact choice at the top, then its button."""
    page.locator("#language-compact").select_option(code)
    page.locator(".app-language-compact button").tap()


def tab_to(page, name: str, *, limit: int = 120) -> None:
    """Press Tab until the focused element is the one named `name` (its label, text or value), as a keyboard user
    moves through a page."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const el = document.activeElement;
                 const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
                 return (label || el.innerText || el.value || '').trim(); }"""
        )
        if focused.lower().startswith(name.lower()):
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_a_resident_files_in_spanish_by_keyboard_alone_and_checks_the_status(phone):
    page = phone()
    page.goto("/complaints/new/")
    tab_to(page, "Language")  # on a phone, the six languages are one choice and its button
    page.keyboard.type("Esp")
    tab_to(page, "Change language")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Presentar una queja")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    tab_to(page, "¿Qué pasó?")
    page.keyboard.type("En un control de tráfico el agente me preguntó si tenía papeles.")
    tab_to(page, "Alguien me preguntó por mi situación migratoria")
    page.keyboard.press("Space")
    tab_to(page, "¿Dónde pasó?")
    page.keyboard.type("Harbor Street")
    tab_to(page, "Su nombre")
    page.keyboard.type("Ana Pereira")
    tab_to(page, "Enviar mi queja")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Su queja fue enviada")
    complaint = Complaint.objects.get()
    assert (complaint.language, complaint.clauses, complaint.complainant_name) == ("es", ["2(b)"], "Ana Pereira")
    code = page.locator(".app-code").first.inner_text()
    pin = page.locator(".app-code").nth(1).inner_text()
    assert code == complaint.tracking_code and re.fullmatch(r"\d{6}", pin)
    tab_to(page, "Descargar el comprobante (PDF)")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == f"complaint-{code}-receipt.pdf"
    tab_to(page, "Consultar el estado de una queja")
    page.keyboard.press("Enter")
    page.wait_for_url("**/complaints/status/")
    tab_to(page, "Código de seguimiento")
    page.keyboard.type(code.lower())
    tab_to(page, "PIN")
    page.keyboard.type(pin)
    tab_to(page, "Consultar el estado")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Estado: Recibida")


def test_a_resident_files_in_chinese_with_a_photo_and_every_page_is_accessible(phone, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    page = phone(axe=True)
    page.goto("/complaints/new/")
    choose_language(page, "zh-hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("提交投诉")
    assert axe_violations(page) == [], "the form"
    page.get_by_role("button", name="提交我的投诉").tap()
    expect(page.get_by_text("请填写此项。").first).to_be_visible()
    assert axe_violations(page) == [], "the form with an error"
    page.get_by_label("发生了什么？").fill("我报案后，警员打电话给移民局。")
    page.locator("label", has_text="我希望匿名").tap()
    photo = tmp_path / "citation.jpg"
    photo.write_bytes(JPEG)
    page.locator("input[type=file]").set_input_files(str(photo))  # what the phone's photo picker does
    page.get_by_role("button", name="提交我的投诉").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("您的投诉已提交")
    assert axe_violations(page) == [], "the confirmation"
    complaint = Complaint.objects.get()
    assert complaint.language == "zh-hans" and complaint.anonymous and complaint.complainant_name == ""
    page.get_by_role("link", name="查询投诉状态").first.tap()
    page.get_by_label("查询编号").fill(complaint.tracking_code)
    page.get_by_label("PIN 码").fill("000000")
    page.get_by_role("button", name="查询状态").tap()
    expect(page.get_by_role("alert")).to_contain_text("未找到与该查询编号和 PIN 码相符的投诉")
    assert axe_violations(page) == [], "the status lookup, refused"


def ht(text: str) -> str:
    """The Haitian Creole the page should show for `text` (from the catalogue the translation check guards)."""
    with translation.override("ht"):
        return translation.gettext(text)


def test_a_resident_files_in_haitian_creole_on_a_phone_and_follows_it(phone):
    page = phone(axe=True)
    page.goto("/complaints/new/")
    choose_language(page, "ht")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pote plent")
    expect(page.locator("html")).to_have_attribute("lang", "ht")
    assert axe_violations(page) == [], "the form"
    page.get_by_label(ht("What happened?")).fill("Ofisye a mande m papye m lè m t al rapòte yon vòl.")
    page.get_by_role("button", name="Voye plent mwen an").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plent ou a ale")
    assert axe_violations(page) == [], "the confirmation"
    complaint = Complaint.objects.get()
    assert complaint.language == "ht"
    code = page.locator(".app-code").first.inner_text()
    pin = page.locator(".app-code").nth(1).inner_text()
    with page.expect_download() as download:
        page.get_by_role("button", name="Telechaje resi a (PDF)").tap()
    assert download.value.suggested_filename == f"complaint-{code}-receipt.pdf"
    page.get_by_role("link", name=ht("Check a complaint's status")).first.tap()
    page.get_by_label("Kòd swivi").fill(code)
    page.get_by_label("PIN").fill(pin)
    page.get_by_role("button", name="Gade kote l ye").tap()
    expect(page.get_by_role("status")).to_contain_text("Kote l ye:")
    assert axe_violations(page) == [], "the status"


def sideways_scroll(page) -> int:
    """How many pixels wider than the screen the page is (0: nothing to scroll sideways)."""
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def test_the_public_door_on_a_phone_one_language_control_follow_ups_only_when_they_apply_and_no_sideways_scroll(
    phone, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    municipality_mark_demo()  # the demo town's docketed reports, so the figures page has its charts
    settings.DEBUG = True  # seed_demo refuses to run otherwise
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False
    page = phone()
    page.goto("/accounts/sign-in/")  # the front door
    page.get_by_role("link", name="File a complaint").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("File a complaint")
    assert page.locator(".app-language-bar").is_hidden() and page.locator("#language-compact").is_visible()
    # The follow-up questions: only the one that applies to the answer given.
    who, which = page.get_by_text("If it is about the police: who?"), page.get_by_label("Which school or department?")
    expect(who).to_be_visible()
    expect(which).to_be_hidden()
    page.get_by_text("A school", exact=True).tap()
    expect(who).to_be_hidden()
    expect(which).to_be_visible()
    choose_language(page, "es")
    expect(page.get_by_role("heading", level=1)).to_have_text("Presentar una queja")

    checker = phone(axe=True)
    for path in [
        "/accounts/sign-in/",
        "/complaints/new/",
        "/complaints/status/",
        "/public/docket/",
        "/public/figures/",
    ]:
        checker.goto(path)
        assert sideways_scroll(checker) == 0, path
        assert axe_violations(checker) == [], path
    # The figures' charts stay legible: drawn with 11-unit text on a 640-unit width, none is shrunk below 9 px
    # text (it scrolls inside its own box instead).
    charts = checker.locator(".app-chart svg").all()
    assert charts and all(chart.bounding_box()["width"] * 11 / 640 >= 9 for chart in charts)


def test_without_script_every_follow_up_question_shows_saying_when_it_applies(
    browser, live_server, transactional_db, municipality
):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto("/complaints/new/")
    expect(page.get_by_text("If it is about the police: who?")).to_be_visible()
    expect(page.get_by_label("Which school or department?")).to_be_visible()
    context.close()
