"""People pages through the test client: lists, files, imports, exports."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext
from openpyxl import load_workbook

from sabaq.accounts.models import Membership, Role, User
from sabaq.core.models import AuditEntry
from sabaq.core.tests.factories import UserFactory
from sabaq.people.models import Enrolment, StaffRecord, StudentRecord
from sabaq.people.tests.factories import new_iin, person_in, school_class, xlsx

STUDENTS = reverse("people:student_list")
STAFF = reverse("people:staff_list")
STUDENT_ADD = reverse("people:student_add")
STUDENTS_IMPORT = reverse("people:students_import")
STUDENTS_EXPORT = reverse("people:students_export")
ATTESTATIONS = reverse("people:attestation_list")


def file_url(student, name="people:student_detail") -> str:
    return reverse(name, kwargs={"student_id": student.pk})


def upload(data: bytes, name: str = "students.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


# Lists


def test_deputy_sees_the_schools_students_with_their_classes(demo, client_as):
    aruzhan = demo.people["student_aruzhan"]
    assert str(Enrolment.objects.get(student=aruzhan).school_class) == "7 «А»"

    response = client_as(demo.membership("deputy")).get(STUDENTS)

    content = response.content.decode()
    assert response.status_code == 200
    assert aruzhan.full_name in content
    assert "7 «А»" in content
    assert demo.people["student_aisha"].full_name not in content


def test_student_list_filters_by_class_and_finds_those_without_one(demo, client_as):
    urban = demo.organisations["urban"]
    seven_a = Enrolment.objects.get(student=demo.people["student_aruzhan"]).school_class
    newcomer = person_in(urban)
    client = client_as(demo.membership("deputy"))

    in_class = client.get(STUDENTS, {"class": seven_a.pk}).context["page"]
    without = client.get(STUDENTS, {"status": "no_class"}).context["page"]

    assert list(in_class) == [demo.people["student_aruzhan"]]
    assert demo.people["student_aruzhan"] not in list(without)
    assert demo.people["student_maksim"] not in list(without)
    assert newcomer in list(without)


def test_student_list_search_finds_by_surname_and_iin_start(demo, client_as):
    client = client_as(demo.membership("deputy"))
    maksim = demo.people["student_maksim"]

    by_name = client.get(STUDENTS, {"q": "петров"}).context["page"]
    by_iin = client.get(STUDENTS, {"q": maksim.iin[:8]}).context["page"]

    assert list(by_name) == [maksim]
    assert maksim in list(by_iin)


def _list_queries(client, url, make, count) -> int:
    make(count)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_student_list_query_count_does_not_grow_with_students(demo, client_as):
    urban = demo.organisations["urban"]
    five_a = school_class(urban)

    def make(count):
        for _n in range(count):
            student = person_in(urban)
            StudentRecord.objects.create(school=urban, student=student)
            Enrolment.objects.create(
                student=student, school_class=five_a, starts_on=five_a.year.starts_on
            )

    client = client_as(demo.membership("deputy"))
    few = _list_queries(client, STUDENTS, make, 2)
    many = _list_queries(client, STUDENTS, make, 20)

    assert many == few


def test_staff_list_query_count_does_not_grow_with_staff(demo, client_as):
    urban = demo.organisations["urban"]

    def make(count):
        for _n in range(count):
            teacher = person_in(urban, Role.TEACHER)
            StaffRecord.objects.create(
                school=urban,
                person=teacher,
                position="Мұғалім",
                attestation_due_on=timezone.localdate(),
            )

    client = client_as(demo.membership("deputy"))
    few = _list_queries(client, STAFF, make, 2)
    many = _list_queries(client, STAFF, make, 20)

    assert many == few


def test_attestation_list_query_count_does_not_grow(demo, client_as):
    urban = demo.organisations["urban"]

    def make(count):
        for _n in range(count):
            StaffRecord.objects.create(
                school=urban,
                person=person_in(urban, Role.TEACHER),
                position="Мұғалім",
                attestation_due_on=timezone.localdate(),
            )

    client = client_as(demo.membership("deputy"))
    few = _list_queries(client, ATTESTATIONS, make, 2)
    many = _list_queries(client, ATTESTATIONS, make, 20)

    assert many == few


def test_teacher_student_and_parent_cannot_open_the_student_list(demo, client_as):
    for persona in ("class_teacher", "student_aruzhan", "parent_ru"):
        response = client_as(demo.membership(persona)).get(STUDENTS)

        assert response.status_code == 403, persona


# A student's file


def test_student_of_another_school_is_missing_for_the_deputy(demo, client_as):
    response = client_as(demo.membership("deputy")).get(
        file_url(demo.people["student_aisha"])
    )

    assert response.status_code == 404


def test_file_page_shows_the_whole_iin_guardians_and_history(demo, client_as):
    aruzhan = demo.people["student_aruzhan"]

    response = client_as(demo.membership("deputy")).get(file_url(aruzhan))

    content = response.content.decode()
    assert aruzhan.iin in content
    assert demo.people["parent_both"].full_name in content
    assert "Қ-087" in content
    assert len(response.context["history"]) >= 1


def test_file_history_names_fields_and_values_in_the_viewers_language(demo, client_as):
    client = client_as(demo.membership("deputy"))
    aruzhan = demo.people["student_aruzhan"]
    form = client.get(file_url(aruzhan, "people:student_edit")).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["health_group"] = "special"
    data["birth_date"] = ""
    client.post(file_url(aruzhan, "people:student_edit"), data)
    deputy = demo.people["deputy"]
    deputy.language = "ru"
    deputy.save(update_fields=["language"])

    response = client.get(file_url(aruzhan))

    newest = response.context["history"][0]
    with translation.override("ru"):
        expected = {
            "field": str(
                StudentRecord._meta.get_field("health_group").verbose_name
            ).capitalize(),
            "before": gettext("Basic"),
            "after": gettext("Special"),
        }
    assert newest["changes"] == [expected]
    assert newest["entry"].actor == deputy


def test_edit_with_a_birth_date_contradicting_the_iin_shows_it_under_the_field(
    demo, client_as
):
    client = client_as(demo.membership("deputy"))
    aruzhan = demo.people["student_aruzhan"]
    url = file_url(aruzhan, "people:student_edit")
    data = {
        k: v
        for k, v in client.get(url).context["form"].initial.items()
        if v is not None
    }
    data["birth_date"] = "2012-10-20"

    response = client.post(url, data)

    assert response.status_code == 200
    errors = response.context["form"].errors["birth_date"]
    assert "19.10.2012" in errors[0]
    assert escape(errors[0]) in response.content.decode()


def test_deputy_adds_a_student_and_lands_on_the_new_file(demo, client_as):
    urban = demo.organisations["urban"]
    five_a = school_class(urban)
    iin = new_iin()

    response = client_as(demo.membership("deputy")).post(
        STUDENT_ADD,
        {
            "surname": "Сейтқали",
            "name": "Нұрлан",
            "iin": iin,
            "health_group": "basic",
            "school_class": five_a.pk,
        },
    )

    record = StudentRecord.objects.get(student__iin=iin)
    assert response.status_code == 302
    assert response["Location"] == file_url(record.student)
    assert Enrolment.objects.get(student=record.student).school_class == five_a


def test_archived_file_shows_no_edit_buttons_and_the_edit_page_sends_back(
    demo, client_as
):
    from sabaq.people.services import student_transfer

    aruzhan = demo.people["student_aruzhan"]
    student_transfer(
        actor=demo.membership("deputy"),
        student=aruzhan,
        transferred_on=timezone.localdate(),
        order_number="12",
        destination=demo.organisations["rural"],
    )
    client = client_as(demo.membership("deputy"))

    page = client.get(file_url(aruzhan))
    edit = client.get(file_url(aruzhan, "people:student_edit"))

    assert page.status_code == 200
    assert file_url(aruzhan, "people:student_edit") not in page.content.decode()
    assert edit.status_code == 302


def test_transfer_page_moves_the_student_to_the_chosen_school(demo, client_as):
    aruzhan = demo.people["student_aruzhan"]
    rural = demo.organisations["rural"]

    response = client_as(demo.membership("deputy")).post(
        file_url(aruzhan, "people:student_transfer"),
        {
            "transferred_on": timezone.localdate().isoformat(),
            "order_number": "77-Ж",
            "destination": rural.pk,
        },
    )

    assert response.status_code == 302
    assert Membership.objects.get(
        user=aruzhan, organisation=rural, role=Role.STUDENT
    ).is_active


def test_transfer_page_finds_schools_by_name(demo, client_as):
    response = client_as(demo.membership("deputy")).get(
        file_url(demo.people["student_aruzhan"], "people:student_transfer"),
        {"q": "Ақмол"},
    )

    schools = list(response.context["form"].fields["destination"].queryset)
    assert schools == [demo.organisations["rural"]]


def test_guardian_link_page_links_a_new_parent(demo, client_as):
    alikhan = demo.people["student_alikhan"]
    iin = new_iin(datetime.date(1986, 5, 5), "female")

    response = client_as(demo.membership("deputy")).post(
        file_url(alikhan, "people:guardian_add"),
        {"relation": "mother", "iin": iin, "surname": "Жұмабаева", "name": "Сәуле"},
    )

    assert response.status_code == 302
    assert alikhan.guardians.filter(guardian__iin=iin).exists()


def test_guardian_unlink_asks_first_and_unlinks_on_post(demo, client_as):
    maksim = demo.people["student_maksim"]
    mother = demo.people["parent_ru"]
    url = reverse(
        "people:guardian_remove",
        kwargs={"student_id": maksim.pk, "guardian_id": mother.pk},
    )
    client = client_as(demo.membership("deputy"))

    question = client.get(url)
    assert maksim.guardians.exists()
    done = client.post(url)

    assert question.status_code == 200
    assert done.status_code == 302
    assert not maksim.guardians.exists()


# Exports


def test_export_page_asks_first_then_downloads_and_audits_the_row_count(
    demo, client_as
):
    client = client_as(demo.membership("deputy"))

    question = client.get(STUDENTS_EXPORT)
    assert not AuditEntry.objects.filter(action="people.personal_data_export").exists()
    response = client.post(STUDENTS_EXPORT)

    assert question.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Cache-Control"] == "no-store"
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 4
    entry = AuditEntry.objects.get(action="people.personal_data_export")
    assert entry.after == {"kind": "students", "rows": 3}


# Imports


def test_import_template_has_kazakh_and_russian_headings(demo, client_as):
    response = client_as(demo.membership("deputy")).get(
        reverse("people:students_import_template")
    )

    sheet = load_workbook(io.BytesIO(response.content)).active
    headings = [cell.value for cell in sheet[1]]
    assert headings[:3] == ["ЖСН / ИИН", "Тегі / Фамилия", "Аты / Имя"]


def test_import_page_check_lists_the_problems_and_saves_nothing(demo, client_as):
    data = xlsx(["ЖСН / ИИН", "Тегі / Фамилия", "Аты / Имя"], [["1234", "А", "Б"]])
    users = Membership.objects.count()

    response = client_as(demo.membership("deputy")).post(
        STUDENTS_IMPORT, {"file": upload(data), "action": "check"}
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "A · ЖСН / ИИН" in content
    assert escape(gettext("An IIN has exactly 12 digits.")) in content
    assert Membership.objects.count() == users


def test_import_page_saves_and_offers_login_slips_for_the_new_accounts(demo, client_as):
    iin = new_iin()
    data = xlsx(
        ["ЖСН / ИИН", "Тегі / Фамилия", "Аты / Имя"], [[iin, "Сейтқали", "Нұр"]]
    )

    response = client_as(demo.membership("deputy")).post(
        STUDENTS_IMPORT, {"file": upload(data), "action": "import"}
    )

    content = response.content.decode()
    report = response.context["report"]
    assert report.saved
    assert reverse("accounts:login_slips") in content
    assert f'name="person" value="{report.new_people[0]}"' in content


def test_import_refuses_an_old_excel_file_with_a_clear_message(demo, client_as):
    response = client_as(demo.membership("deputy")).post(
        STUDENTS_IMPORT, {"file": upload(b"\xd0\xcf\x11\xe0", "pupils.xls")}
    )

    errors = response.context["form"].errors["file"]
    assert errors == [
        gettext(
            "This is not an .xlsx file. Open it in Excel, save it as “Excel "
            "Workbook (.xlsx)” and choose it again."
        )
    ]


def test_import_refuses_a_file_over_five_megabytes(demo, client_as):
    big = b"PK" + b"0" * (5 * 1024 * 1024)

    response = client_as(demo.membership("deputy")).post(
        STUDENTS_IMPORT, {"file": upload(big)}
    )

    assert "file" in response.context["form"].errors


# Staff and attestations


def test_deputy_edits_a_staff_file_and_the_due_date_is_filled(demo, client_as):
    teacher = demo.people["class_teacher"]
    url = reverse("people:staff_edit", kwargs={"staff_id": teacher.pk})

    response = client_as(demo.membership("deputy")).post(
        url,
        {
            "position": "Бастауыш сынып мұғалімі",
            "category": "expert",
            "category_given_on": "2025-01-20",
            "load_rate": "18",
        },
    )

    assert response.status_code == 302
    record = StaffRecord.objects.get(person=teacher)
    assert record.attestation_due_on == datetime.date(2030, 1, 20)


def test_staff_file_of_a_teacher_of_another_school_is_missing(demo, client_as):
    response = client_as(demo.membership("deputy")).get(
        reverse(
            "people:staff_detail", kwargs={"staff_id": demo.people["rural_teacher"].pk}
        )
    )

    assert response.status_code == 404


def test_deputy_home_warns_of_attestations_due_within_six_months(demo, client_as):
    response = client_as(demo.membership("deputy")).get(reverse("accounts:home"))

    content = response.content.decode()
    assert 'id="attestation-alert-title"' in content
    assert demo.people["teacher_ru"].full_name in content
    assert ATTESTATIONS in content


def test_home_has_no_attestation_alert_when_nothing_is_due(demo, client_as):
    StaffRecord.objects.update(attestation_due_on=datetime.date(2099, 1, 1))

    response = client_as(demo.membership("director")).get(reverse("accounts:home"))

    assert 'id="attestation-alert-title"' not in response.content.decode()


def test_a_new_teacher_added_by_the_deputy_appears_in_the_staff_list(demo, client_as):
    client = client_as(demo.membership("deputy"))
    iin = new_iin(datetime.date(1991, 3, 3), "female")

    client.post(
        reverse("people:staff_add"),
        {
            "surname": "Оспанова",
            "name": "Гүлжан",
            "iin": iin,
            "position": "Мұғалім",
            "load_rate": "16",
        },
    )

    response = client.get(STAFF)
    assert "Оспанова Гүлжан" in response.content.decode()


def test_person_without_a_staff_role_is_not_staff(demo, client_as):
    outsider = UserFactory()

    response = client_as(demo.membership("deputy")).get(
        reverse("people:staff_detail", kwargs={"staff_id": outsider.pk})
    )

    assert response.status_code == 404


def test_parent_linked_by_two_schools_sees_each_child_on_that_schools_home(
    demo, client_as
):
    from sabaq.people.services import guardian_add

    iin = new_iin(datetime.date(1984, 8, 8), "female")
    yerasyl, alikhan = demo.people["student_yerasyl"], demo.people["student_alikhan"]
    mother = guardian_add(
        actor=demo.membership("rural_deputy"),
        child=yerasyl,
        relation="mother",
        iin=iin,
        surname="Серікбай",
        name="Гүлнұр",
    ).guardian
    guardian_add(
        actor=demo.membership("deputy"), child=alikhan, relation="mother", iin=iin
    )
    User.objects.filter(pk=mother.pk).update(must_change_password=False)
    roles = {m.organisation_id: m for m in mother.memberships.filter(is_active=True)}

    urban_home = client_as(roles[demo.organisations["urban"].pk]).get("/")
    rural_home = client_as(roles[demo.organisations["rural"].pk]).get("/")

    assert list(urban_home.context["children"]) == [alikhan]
    assert list(rural_home.context["children"]) == [yerasyl]
    assert User.objects.filter(iin=iin).count() == 1


def test_school_a_student_left_no_longer_sees_their_new_class(demo, client_as):
    from sabaq.people.services import enrolment_add, student_transfer

    aruzhan = demo.people["student_aruzhan"]
    seven_a = Enrolment.objects.get(student=aruzhan).school_class
    today = timezone.localdate()
    student_transfer(
        actor=demo.membership("deputy"),
        student=aruzhan,
        transferred_on=today,
        order_number="3",
        destination=demo.organisations["rural"],
    )
    rural_class = school_class(demo.organisations["rural"], 6, "А")
    enrolment_add(
        actor=demo.membership("rural_deputy"),
        student=aruzhan,
        school_class=rural_class,
        starts_on=today,
    )

    old = client_as(demo.membership("deputy")).get(file_url(aruzhan)).context
    new = client_as(demo.membership("rural_deputy")).get(file_url(aruzhan)).context

    assert [e.school_class for e in old["enrolments"]] == [seven_a]
    assert [r.school for r in old["schools"]] == [demo.organisations["urban"]]
    assert [e.school_class for e in new["enrolments"]] == [seven_a, rural_class]
    assert [r.school for r in new["schools"]] == [
        demo.organisations["urban"],
        demo.organisations["rural"],
    ]
    assert new["is_current"]
    assert not old["is_current"]
