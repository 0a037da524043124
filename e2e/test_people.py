"""The deputy head's work with people: new accounts, bad input, login slips."""

import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect
from pypdf import PdfReader

from e2e.helpers import expect_at, log_in, log_out, save_screen
from sabaq.accounts.models import Role, User
from sabaq.core.models import AuditEntry
from sabaq.core.validators import iin_build, parse_iin

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FIRST_PASSWORD = re.compile(r"\b[a-z2-9]{4}-[a-z2-9]{4}\b")


def _open_person_form(page) -> None:
    """People in the main menu, then its Add a person button."""
    page.locator(f'nav.mainnav a[href="{reverse("accounts:person_list")}"]').click()
    expect_at(page, "accounts:person_list")
    page.locator(f'main a[href="{reverse("accounts:person_create")}"]').click()
    expect_at(page, "accounts:person_create")


def _iin_error(iin: str, language: str) -> str:
    with translation.override(language):
        try:
            parse_iin(iin)
        except ValidationError as error:
            return error.messages[0]
    raise AssertionError(f"{iin} is a valid IIN")


def _fill_person_form(page, *, surname: str, name: str, iin: str) -> None:
    form = page.locator("main form", has=page.locator('input[name="iin"]'))
    form.locator('select[name="role"]').select_option(Role.STUDENT.value)
    form.locator('input[name="surname"]').fill(surname)
    form.locator('input[name="name"]').fill(name)
    form.locator('input[name="iin"]').fill(iin)
    form.locator('button[type="submit"]').click()


def test_new_student_made_by_the_deputy_head_sets_a_password_at_first_login(page, demo):
    iin = iin_build(datetime.date(2013, 4, 5), "female", 555)

    log_in(page, "omarov")
    _open_person_form(page)
    _fill_person_form(page, surname="Нұрланова", name="Әсел", iin=iin)

    secrets = page.locator("main .secret")
    expect(secrets).to_have_count(2)
    login, first_password = secrets.all_inner_texts()
    student = User.objects.get(iin=iin)
    assert student.login == login
    assert student.must_change_password
    assert FIRST_PASSWORD.fullmatch(first_password)
    assert student.memberships.get().organisation == demo.organisations["urban"]

    # The audit log, from the main menu, names the new account first.
    page.locator(f'nav.mainnav a[href="{reverse("core:audit_log")}"]').click()
    expect(page.locator("main tbody tr").first).to_contain_text(student.full_name)
    save_screen(page, "audit-log")
    log_out(page)

    log_in(page, login, first_password)
    expect_at(page, "accounts:password_change")
    page.goto(reverse("accounts:home"))
    expect_at(page, "accounts:password_change")
    form = page.locator("main form")
    form.locator('input[name="old_password"]').fill(first_password)
    form.locator('input[name="new_password"]').fill("kokterek-2026")
    form.locator('input[name="new_password_again"]').fill("kokterek-2026")
    form.locator('button[type="submit"]').click()

    expect_at(page, "accounts:home")
    expect(page.locator("main h1")).to_contain_text("Әсел")
    expect(page.locator("main")).to_contain_text(demo.organisations["urban"].name_kk)
    student.refresh_from_db()
    assert not student.must_change_password
    assert student.check_password("kokterek-2026")


def test_wrong_iin_is_shown_next_to_the_field_and_creates_nobody(page, demo):
    people_before = User.objects.count()
    audit_before = AuditEntry.objects.count()
    # The deputy head works in Kazakh, so the message is the Kazakh one.
    message = _iin_error("850808310731", demo.people["deputy"].language)

    log_in(page, "omarov")
    _open_person_form(page)
    _fill_person_form(page, surname="Қателова", name="Дина", iin="850808310731")

    expect_at(page, "accounts:person_create")
    iin_field = page.locator("main .field", has=page.locator('input[name="iin"]'))
    expect(iin_field).to_have_class(re.compile(r"\bfield--invalid\b"))
    expect(iin_field.locator(".errorlist")).to_have_text(message)
    expect(page.locator("main .errorlist")).to_have_count(1)
    expect(page.locator('main input[name="surname"]')).to_have_value("Қателова")
    assert User.objects.count() == people_before
    assert not User.objects.filter(surname="Қателова").exists()
    assert AuditEntry.objects.count() == audit_before


def test_login_slips_for_two_ticked_people_are_one_pdf(page, demo, tmp_path):
    aruzhan = demo.people["student_aruzhan"]
    maksim = demo.people["student_maksim"]
    questions = []

    def accept(dialog):
        questions.append((dialog.type, dialog.message))
        dialog.accept()

    page.on("dialog", accept)
    log_in(page, "omarov")
    page.goto(reverse("accounts:person_list"))
    expect(page.locator('main input[name="person"]')).to_have_count(
        User.objects.filter(
            memberships__organisation=demo.organisations["urban"],
            memberships__is_active=True,
        )
        .distinct()
        .count()
    )
    save_screen(page, "people-list")
    page.locator(f'main input[name="person"][value="{aruzhan.pk}"]').check()
    page.locator(f'main input[name="person"][value="{maksim.pk}"]').check()
    print_button = page.locator("main button[data-confirm]")
    question = print_button.get_attribute("data-confirm")
    with page.expect_download() as download_info:
        print_button.click()

    assert questions == [("confirm", question)]
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    pdf = path.read_bytes()
    assert pdf.startswith(b"%PDF")
    sheets = PdfReader(io.BytesIO(pdf)).pages
    text = "\n".join(sheet.extract_text() for sheet in sheets)
    assert "aruzhan" in text
    assert "maksim" in text

    # Each slip carries a new first password that works and must be changed.
    passwords = FIRST_PASSWORD.findall(text)
    assert len(passwords) == 2
    for person in (aruzhan, maksim):
        person.refresh_from_db()
        assert person.must_change_password
        assert any(person.check_password(password) for password in passwords)
