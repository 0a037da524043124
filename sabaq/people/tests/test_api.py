"""The API's students and staff of the active school."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sabaq.accounts.models import Role
from sabaq.people.models import Enrolment, StudentRecord
from sabaq.people.tests.factories import person_in

STUDENTS = reverse("api:school_students")
STAFF = reverse("api:school_staff")


def student_url(student) -> str:
    return reverse("api:school_student", kwargs={"student_id": student.pk})


def staff_url(person) -> str:
    return reverse("api:school_staff_member", kwargs={"staff_id": person.pk})


def by_id(response) -> dict[int, dict]:
    return {row["id"]: row for row in response.json()["results"]}


def test_teacher_gets_the_schools_students_with_masked_iins_and_no_files(
    demo, client_as
):
    aruzhan = demo.people["student_aruzhan"]

    response = client_as(demo.membership("class_teacher")).get(STUDENTS)

    rows = by_id(response)
    assert response.status_code == 200
    assert set(rows) == {
        demo.people[key].pk
        for key in ("student_alikhan", "student_aruzhan", "student_maksim")
    }
    assert rows[aruzhan.pk]["iin"] == aruzhan.iin_masked
    assert aruzhan.iin not in response.content.decode()
    assert rows[aruzhan.pk]["file"] is None


def test_deputy_gets_whole_iins_and_the_file(demo, client_as):
    aruzhan = demo.people["student_aruzhan"]

    response = client_as(demo.membership("deputy")).get(student_url(aruzhan))

    data = response.json()
    assert data["iin"] == aruzhan.iin
    assert data["file"]["file_number"] == "Қ-087"
    assert data["file"]["birth_date"] == "2012-10-19"


def test_students_class_is_given_by_id_and_name(demo, client_as):
    maksim = demo.people["student_maksim"]
    seven_b = Enrolment.objects.get(student=maksim, ends_on=None).school_class

    response = client_as(demo.membership("teacher_ru")).get(student_url(maksim))

    assert response.json()["school_class"] == {"id": seven_b.pk, "name": "7 «Б»"}


def test_student_of_another_school_answers_404_like_a_missing_one(demo, client_as):
    client = client_as(demo.membership("rural_teacher"))

    other = client.get(student_url(demo.people["student_aruzhan"]))
    missing = client.get(reverse("api:school_student", kwargs={"student_id": 999999}))

    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json()


def test_parents_and_students_are_refused(demo, client_as):
    for persona in ("parent_ru", "student_aruzhan"):
        response = client_as(demo.membership(persona)).get(STUDENTS)

        assert response.status_code == 403, persona


def test_staff_list_masks_iins_and_hides_files_for_teachers(demo, client_as):
    teacher = demo.people["teacher_ru"]

    response = client_as(demo.membership("class_teacher")).get(STAFF)

    row = by_id(response)[teacher.pk]
    assert row["iin"] == teacher.iin_masked
    assert row["position"] == "Орыс тілі мұғалімі"
    assert row["roles"] == [Role.TEACHER]
    assert row["file"] is None
    assert demo.people["rural_teacher"].pk not in by_id(response)


def test_director_sees_the_staff_file_with_the_attestation_date(demo, client_as):
    teacher = demo.people["teacher_ru"]

    response = client_as(demo.membership("director")).get(staff_url(teacher))

    data = response.json()
    assert data["iin"] == teacher.iin
    assert data["file"]["category"] == "moderator"
    assert data["file"]["attestation_due_on"]


def test_student_list_query_count_does_not_grow_with_students(demo, client_as):
    urban = demo.organisations["urban"]
    client = client_as(demo.membership("deputy"))

    def queries(count):
        for _n in range(count):
            StudentRecord.objects.create(school=urban, student=person_in(urban))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(STUDENTS).status_code == 200
        return len(captured)

    assert queries(2) == queries(20)
