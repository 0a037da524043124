"""A new deputy head sets up the school: year, class, students, groups, parents.

Each test is one step of the issue's "done when". A test makes the earlier
steps through the services, so that it stands alone, and takes its own step
through the browser as the deputy head would.
"""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from e2e.helpers import expect_at, log_in, save_screen
from sabaq.accounts.models import User
from sabaq.accounts.services import password_reset
from sabaq.core.validators import iin_build
from sabaq.people import imports
from sabaq.people.models import Enrolment, Guardianship
from sabaq.people.services import guardian_add
from sabaq.schools import selectors as schools_selectors
from sabaq.schools import services
from sabaq.schools.models import (
    Holiday,
    InstructionLanguage,
    SchoolClass,
    SchoolYear,
    Shift,
    Subgroup,
    SubgroupMember,
    Subject,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FIRST_PASSWORD = re.compile(r"\b[a-z2-9]{4}-[a-z2-9]{4}\b")
PHONE = {"width": 360, "height": 780}

YEAR_STARTS = datetime.date(2026, 9, 1)
YEAR_ENDS = datetime.date(2027, 5, 25)
QUARTERS = [
    (datetime.date(2026, 9, 1), datetime.date(2026, 10, 25)),
    (datetime.date(2026, 11, 3), datetime.date(2026, 12, 27)),
    (datetime.date(2027, 1, 8), datetime.date(2027, 3, 17)),
    (datetime.date(2027, 3, 30), datetime.date(2027, 5, 25)),
]
GRADE_1_HOLIDAY = ("Бірінші сынып демалысы", "2027-02-08", "2027-02-14")

SURNAMES = [
    "Абаев", "Бекова", "Жұмабаев", "Қасымова", "Нұрланов", "Омарова",
    "Сәрсенов", "Төлеуова", "Үсенов", "Ысқақова",
]  # fmt: skip
NAMES = ["Әлихан", "Айгерім", "Дәулет", "Мадина", "Ерасыл", "Әсел"]
BAD_IIN = "850808310731"
STUDENT_COUNT = 30
# Rows of the sheet (1-based, as in Excel: the headings are row 1).
BAD_IIN_ROW = 5
NO_SURNAME_ROW = 12


# Earlier steps, through the services


def _year(demo) -> SchoolYear:
    return services.year_create(
        actor=demo.memberships["deputy"],
        starts_on=YEAR_STARTS,
        ends_on=YEAR_ENDS,
        quarters=QUARTERS,
    )


def _first_shift(demo) -> Shift:
    return Shift.objects.get(school=demo.organisations["urban"], number=1)


def _class(demo, year) -> SchoolClass:
    return services.class_create(
        actor=demo.memberships["deputy"],
        year=year,
        grade=5,
        letter="Ә",
        language=InstructionLanguage.KAZAKH,
        shift=_first_shift(demo),
    )


def _student_rows() -> list[dict]:
    rows = []
    for number in range(STUDENT_COUNT):
        sex = "male" if number % 2 == 0 else "female"
        surname = SURNAMES[number % len(SURNAMES)]
        if sex == "female" and not surname.endswith("а"):
            surname += "а"
        elif sex == "male" and surname.endswith("а"):
            surname = surname[:-1]
        birth = datetime.date(2015, 1 + number % 12, 1 + number)
        rows.append(
            {
                "iin": iin_build(birth, sex, 700 + number),
                "surname": surname,
                "name": NAMES[number % len(NAMES)],
                "class": "5 Ә",
            }
        )
    return rows


def _sheet(headers: list[str], rows: list[dict]) -> bytes:
    """An .xlsx filled in from the template, as a school office would."""
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    where = {
        "iin": headers.index("ЖСН / ИИН"),
        "surname": headers.index("Тегі / Фамилия"),
        "name": headers.index("Аты / Имя"),
        "class": headers.index("Сынып / Класс"),
    }
    for row in rows:
        cells = [None] * len(headers)
        for key, column in where.items():
            cells[column] = row[key]
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _import_students(demo) -> None:
    report = imports.students_import(
        actor=demo.memberships["deputy"],
        data=_sheet(imports.template_headers("students"), _student_rows()),
        dry_run=False,
    )
    assert report.saved, report.problems


def _students_of(school_class) -> list[User]:
    return [
        e.student
        for e in Enrolment.objects.filter(school_class=school_class, ends_on=None)
        .select_related("student")
        .order_by("student__surname", "student__name")
    ]


def _english(demo) -> Subject:
    return Subject.objects.get(school=None, code="english")


def _split(demo, school_class) -> list[Subgroup]:
    deputy = demo.memberships["deputy"]
    groups = services.subgroups_split(
        actor=deputy,
        school_class=school_class,
        subject=_english(demo),
        groups=2,
        on_date=schools_selectors.day_in_year(school_class.year),
    )
    for group, teacher in zip(
        groups, ["teacher_ru", "teacher_two_schools"], strict=True
    ):
        services.subgroup_update(
            actor=deputy, subgroup=group, teacher=demo.people[teacher]
        )
    return groups


def _field(page, name: str):
    return page.locator("main .field", has=page.locator(f'[name="{name}"]'))


# 1. The school year


def test_deputy_head_creates_a_school_year_with_a_grade_1_holiday(page, demo):
    log_in(page, "omarov")
    page.goto(reverse("schools:year_list"))
    page.locator(f'main a[href="{reverse("schools:year_create")}"]').first.click()
    expect_at(page, "schools:year_create")

    form = page.locator("main form", has=page.locator('input[name="q4_ends_on"]'))
    form.locator('input[name="starts_on"]').fill(YEAR_STARTS.isoformat())
    form.locator('input[name="ends_on"]').fill(YEAR_ENDS.isoformat())
    for number, (first, last) in enumerate(QUARTERS, start=1):
        form.locator(f'input[name="q{number}_starts_on"]').fill(first.isoformat())
        form.locator(f'input[name="q{number}_ends_on"]').fill(last.isoformat())
    form.locator('button[type="submit"]').click()

    year = SchoolYear.objects.get(
        school=demo.organisations["urban"], starts_on=YEAR_STARTS
    )
    expect_at(page, "schools:year_detail", year_id=year.pk)
    assert year.ends_on == YEAR_ENDS
    assert [(q.starts_on, q.ends_on) for q in year.quarters.order_by("number")] == (
        QUARTERS
    )

    # Add a holiday for first-graders only.
    holiday_url = reverse("schools:holiday_create", args=[year.pk])
    page.locator(f'main a[href="{holiday_url}"]').click()
    expect_at(page, "schools:holiday_create", year_id=year.pk)
    name, first, last = GRADE_1_HOLIDAY
    form = page.locator("main form", has=page.locator('input[name="starts_on"]'))
    form.locator('select[name="kind"]').select_option("extra")
    form.locator('input[name="name"]').fill(name)
    form.locator('input[name="starts_on"]').fill(first)
    form.locator('input[name="ends_on"]').fill(last)
    form.locator('input[name="grades"][value="1"]').check()
    form.locator('button[type="submit"]').click()

    expect_at(page, "schools:year_detail", year_id=year.pk)
    holiday = Holiday.objects.get(year=year)
    assert holiday.name == name
    assert list(holiday.grades) == [1]

    # The year page shows the four quarters and the holiday.
    tables = page.locator("main table")
    quarter_rows = tables.nth(0).locator("tbody tr")
    expect(quarter_rows).to_have_count(4)
    for row, (first_day, last_day) in zip(quarter_rows.all(), QUARTERS, strict=True):
        expect(row).to_contain_text(first_day.strftime("%d.%m.%Y"))
        expect(row).to_contain_text(last_day.strftime("%d.%m.%Y"))
    holiday_row = tables.nth(1).locator("tbody tr")
    expect(holiday_row).to_have_count(1)
    expect(holiday_row).to_contain_text(name)
    expect(holiday_row).to_contain_text("08.02.2027")
    expect(holiday_row).to_contain_text("14.02.2027")
    expect(holiday_row.locator(".badge")).to_have_text(["1"])
    save_screen(page, "school-setup-year")


# 2. The class


def test_deputy_head_creates_a_class_and_a_duplicate_is_refused(page, demo):
    year = _year(demo)
    shift = _first_shift(demo)

    log_in(page, "omarov")
    page.goto(f"{reverse('schools:class_list')}?year={year.pk}")
    new_class_url = f"{reverse('schools:class_create')}?year={year.pk}"

    def fill_class_form():
        page.locator(f'main a[href="{new_class_url}"]').click()
        expect_at(page, "schools:class_create")
        form = page.locator("main form", has=page.locator('input[name="letter"]'))
        form.locator('select[name="grade"]').select_option("5")
        form.locator('input[name="letter"]').fill("Ә")
        form.locator('select[name="language"]').select_option("kk")
        form.locator('select[name="shift"]').select_option(str(shift.pk))
        form.locator('button[type="submit"]').click()

    fill_class_form()
    school_class = SchoolClass.objects.get(year=year, grade=5, letter="Ә")
    expect_at(page, "schools:class_detail", class_id=school_class.pk)
    assert school_class.language == InstructionLanguage.KAZAKH
    assert school_class.shift == shift
    expect(page.locator("main h1")).to_contain_text("5")
    expect(page.locator("main h1")).to_contain_text("Ә")

    # The same class again: refused next to the letter, nothing added.
    page.goto(f"{reverse('schools:class_list')}?year={year.pk}")
    fill_class_form()
    expect_at(page, "schools:class_create")
    with translation.override(demo.people["deputy"].language):
        message = "The class %(class)s already exists in %(year)s."
        message = translation.gettext(message) % {
            "class": school_class,
            "year": year,
        }
    letter = _field(page, "letter")
    expect(letter).to_have_class(re.compile(r"\bfield--invalid\b"))
    expect(letter.locator(".errorlist")).to_have_text(message)
    assert SchoolClass.objects.filter(year=year, grade=5, letter="Ә").count() == 1


# 3. Students from Excel


def test_deputy_head_imports_thirty_students_after_a_dry_run(page, demo, tmp_path):
    year = _year(demo)
    school_class = _class(demo, year)
    people_before = User.objects.count()

    log_in(page, "omarov")
    page.goto(reverse("people:student_list"))
    page.locator(f'main a[href="{reverse("people:students_import")}"]').click()
    expect_at(page, "people:students_import")

    # The template, downloaded from the page, gives the headings.
    template_url = reverse("people:students_import_template")
    with page.expect_download() as download_info:
        page.locator(f'main a[href="{template_url}"]').click()
    template = tmp_path / "template.xlsx"
    download_info.value.save_as(template)
    headers = [cell.value for cell in next(load_workbook(template).active.rows)]
    assert headers == imports.template_headers("students")

    rows = _student_rows()
    wrong = [dict(row) for row in rows]
    wrong[BAD_IIN_ROW - 2]["iin"] = BAD_IIN
    wrong[NO_SURNAME_ROW - 2]["surname"] = None
    wrong_file = tmp_path / "students-wrong.xlsx"
    wrong_file.write_bytes(_sheet(headers, wrong))

    form = page.locator("main form", has=page.locator('input[name="file"]'))
    form.locator('input[name="file"]').set_input_files(wrong_file)
    form.locator('button[name="action"][value="check"]').click()

    problems = page.locator("main section.notice--bad tbody tr")
    expect(problems).to_have_count(2)
    expect(problems.nth(0).locator("td").nth(0)).to_have_text(str(BAD_IIN_ROW))
    expect(problems.nth(0).locator("td").nth(1)).to_contain_text("ЖСН")
    expect(problems.nth(1).locator("td").nth(0)).to_have_text(str(NO_SURNAME_ROW))
    expect(problems.nth(1).locator("td").nth(1)).to_contain_text("Тегі")
    save_screen(page, "school-setup-import-check")
    assert User.objects.count() == people_before
    assert not Enrolment.objects.filter(school_class=school_class).exists()

    # The two rows corrected, the same sheet is imported.
    right_file = tmp_path / "students.xlsx"
    right_file.write_bytes(_sheet(headers, rows))
    form = page.locator("main form", has=page.locator('input[name="file"]'))
    form.locator('input[name="file"]').set_input_files(right_file)
    form.locator('button[name="action"][value="import"]').click()

    expect(page.locator("main section.notice--good")).to_be_visible()
    expect(page.locator("main section.notice--bad")).to_have_count(0)
    assert User.objects.count() == people_before + STUDENT_COUNT
    students = _students_of(school_class)
    assert len(students) == STUDENT_COUNT
    assert {s.iin for s in students} == {row["iin"] for row in rows}


# 4. Subgroups for English


def test_deputy_head_splits_the_class_for_english_with_two_teachers(page, demo):
    year = _year(demo)
    school_class = _class(demo, year)
    _import_students(demo)
    english = _english(demo)
    teachers = [demo.people["teacher_ru"], demo.people["teacher_two_schools"]]

    log_in(page, "omarov")
    class_url = reverse("schools:class_detail", args=[school_class.pk])
    page.goto(class_url)
    split_url = reverse("schools:class_split", args=[school_class.pk])
    suggestion = page.locator(
        f'main form[action="{split_url}"]',
        has=page.locator(f'input[name="subject"][value="{english.pk}"]'),
    )
    suggestion.locator('button[type="submit"]').click()
    expect_at(
        page, "schools:subgroup_split", class_id=school_class.pk, subject_id=english.pk
    )

    groups = list(
        Subgroup.objects.filter(school_class=school_class, subject=english).order_by(
            "number"
        )
    )
    assert len(groups) == 2
    form = page.locator("main form", has=page.locator('input[value="teachers"]'))
    for group, teacher in zip(groups, teachers, strict=True):
        form.locator(f'select[name="teacher_{group.pk}"]').select_option(
            str(teacher.pk)
        )
    form.locator('button[type="submit"]').click()
    expect_at(
        page, "schools:subgroup_split", class_id=school_class.pk, subject_id=english.pk
    )
    for group, teacher in zip(groups, teachers, strict=True):
        group.refresh_from_db()
        assert group.teacher == teacher
        expect(page.locator(f'main select[name="teacher_{group.pk}"]')).to_have_value(
            str(teacher.pk)
        )
    members = SubgroupMember.objects.filter(subgroup__in=groups)
    assert members.count() == STUDENT_COUNT
    assert members.values("student").distinct().count() == STUDENT_COUNT
    save_screen(page, "school-setup-subgroups")

    # The class page shows both groups, each with its teacher and members.
    page.locator(f'main a[href="{class_url}"]').first.click()
    expect_at(page, "schools:class_detail", class_id=school_class.pk)
    split = page.locator("main section.card", has=page.locator("h3")).filter(
        has_text=english.name
    )
    cards = split.locator(".grid > div")
    expect(cards).to_have_count(2)
    for card, teacher in zip(cards.all(), teachers, strict=True):
        expect(card.locator("h4")).to_contain_text(teacher.full_name)
        expect(card.locator("ol li")).to_have_count(STUDENT_COUNT // 2)
    expect(split.locator(".message--warning")).to_have_count(0)
    save_screen(page, "school-setup-class")


@pytest.mark.browser_context_args(viewport=PHONE)
def test_class_page_fits_a_phone(page, demo):
    year = _year(demo)
    school_class = _class(demo, year)
    _import_students(demo)
    _split(demo, school_class)

    log_in(page, "omarov")
    page.goto(reverse("schools:class_detail", args=[school_class.pk]))
    expect(page.locator("main .grid > div ol li")).to_have_count(STUDENT_COUNT)
    save_screen(page, "school-setup-class-360")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the class page is {width}px wide at 360px"


# 5. A parent linked from the student's file


def test_deputy_head_links_a_new_parent_and_prints_the_login(page, demo, tmp_path):
    year = _year(demo)
    school_class = _class(demo, year)
    _import_students(demo)
    child = _students_of(school_class)[0]
    parent_iin = iin_build(datetime.date(1986, 3, 14), "female", 4321)
    questions = []

    def accept(dialog):
        questions.append(dialog.type)
        dialog.accept()

    page.on("dialog", accept)
    log_in(page, "omarov")
    page.goto(f"{reverse('people:student_list')}?q={child.surname}")
    detail_url = reverse("people:student_detail", args=[child.pk])
    page.locator(f'main a[href="{detail_url}"]').first.click()
    expect_at(page, "people:student_detail", student_id=child.pk)

    add_url = reverse("people:guardian_add", args=[child.pk])
    page.locator(f'main a[href="{add_url}"]').click()
    expect_at(page, "people:guardian_add", student_id=child.pk)
    form = page.locator("main form", has=page.locator('input[name="iin"]'))
    form.locator('select[name="relation"]').select_option("mother")
    form.locator('input[name="iin"]').fill(parent_iin)
    form.locator('input[name="surname"]').fill("Сейітова")
    form.locator('input[name="name"]').fill("Гүлнар")
    form.locator('button[type="submit"]').click()

    expect_at(page, "people:student_detail", student_id=child.pk)
    parent = User.objects.get(iin=parent_iin)
    assert Guardianship.objects.filter(guardian=parent, child=child).exists()
    guardians = page.locator("main section[aria-labelledby='guardians-title']")
    expect(guardians.locator("tbody tr")).to_have_count(1)
    expect(guardians.locator("tbody tr")).to_contain_text(parent.full_name)

    # The login slip gives the parent's login and first password.
    slip = guardians.locator(
        f'form[action="{reverse("accounts:login_slips")}"]',
        has=page.locator(f'input[name="person"][value="{parent.pk}"]'),
    )
    with page.expect_download() as download_info:
        slip.locator('button[type="submit"]').click()
    assert questions == ["confirm"]
    path = tmp_path / "slip.pdf"
    download_info.value.save_as(path)
    text = "\n".join(p.extract_text() for p in PdfReader(path).pages)
    parent.refresh_from_db()
    assert parent.login
    assert parent.login in text
    passwords = FIRST_PASSWORD.findall(text)
    assert len(passwords) == 1
    assert parent.check_password(passwords[0])
    assert parent.must_change_password


# 6. The parent at home


def test_new_parent_changes_the_first_password_and_sees_the_child(page, demo):
    deputy = demo.memberships["deputy"]
    year = _year(demo)
    school_class = _class(demo, year)
    _import_students(demo)
    child = _students_of(school_class)[3]
    link = guardian_add(
        actor=deputy,
        child=child,
        relation="father",
        iin=iin_build(datetime.date(1984, 7, 2), "male", 1234),
        surname="Сейітов",
        name="Нұржан",
    )
    parent = link.guardian
    first_password = password_reset(actor=deputy, person=parent)

    log_in(page, parent.login, first_password)
    expect_at(page, "accounts:password_change")
    form = page.locator("main form")
    form.locator('input[name="old_password"]').fill(first_password)
    form.locator('input[name="new_password"]').fill("baiterek-2026")
    form.locator('input[name="new_password_again"]').fill("baiterek-2026")
    form.locator('button[type="submit"]').click()

    expect_at(page, "accounts:home")
    expect(page.locator("main section.card h2")).to_have_text([child.full_name])
    parent.refresh_from_db()
    assert not parent.must_change_password


# 7. Other people cannot open the class


@pytest.mark.parametrize(
    ("login", "status"),
    [("abdirakhmanova", 404), ("sarsenova", 403)],
    ids=["other-school-deputy-head", "teacher-of-the-school"],
)
def test_others_cannot_open_the_new_class(
    browser, browser_context_args, demo, login, status
):
    year = _year(demo)
    school_class = _class(demo, year)

    # Chromium reports every 403 and 404 page as a console error, which the
    # watched contexts of conftest take for a broken page; the refusal is
    # what this test expects, so it uses a plain context.
    context = browser.new_context(**browser_context_args)
    try:
        page = context.new_page()
        log_in(page, login)
        expect_at(page, "accounts:home")
        class_url = reverse("schools:class_detail", args=[school_class.pk])
        response = page.goto(class_url)
        assert response.status == status
        expect(page.locator("main")).not_to_contain_text(str(school_class))
        expect(
            page.locator(
                f'a[href="{reverse("schools:class_split", args=[school_class.pk])}"]'
            )
        ).to_have_count(0)
    finally:
        context.close()
