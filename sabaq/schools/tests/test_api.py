"""The read API of the school's frame, scoped to the caller's active school."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token

from sabaq.accounts.selectors import API_HEADER
from sabaq.schools import services
from sabaq.schools.tests.factories import FIRST_DAY, students_in, subject

date = datetime.date


def api(name: str, *args) -> str:
    return reverse(f"api:{name}", args=args)


@pytest.fixture
def browser(client_as, deputy):
    return client_as(deputy)


@pytest.fixture
def split(deputy, frame):
    students_in(frame.school_class, ["Аманов", "Бекова", "Ким"])
    return services.subgroups_split(
        actor=deputy,
        school_class=frame.school_class,
        subject=subject("english"),
        on_date=FIRST_DAY,
    )


def test_deputy_reads_the_school_years_with_quarters_and_holidays(browser, frame):
    response = browser.get(api("school_year_list"))

    assert response.status_code == 200
    (year,) = response.json()["results"]
    assert (year["name"], year["status"]) == ("2025–2026", "open")
    assert [q["starts_on"] for q in year["quarters"]] == [
        "2025-09-01",
        "2025-11-03",
        "2026-01-08",
        "2026-03-30",
    ]
    extra = [h for h in year["holidays"] if h["kind"] == "extra"]
    assert extra[0]["grades"] == [1]
    assert year["lesson_lengths"][0]["minutes"] == 35


def test_deputy_reads_one_school_year(browser, frame):
    response = browser.get(api("school_year_detail", frame.year.pk))

    assert response.json()["id"] == frame.year.pk


def test_classes_come_with_their_student_count_and_teacher(
    browser, deputy, teacher, frame
):
    services.class_update(
        actor=deputy,
        school_class=frame.school_class,
        grade=5,
        letter="А",
        language="ru",
        shift=frame.shift,
        class_teacher=teacher,
        home_room=frame.room,
    )
    students_in(frame.school_class, ["Аманов", "Бекова"])

    response = browser.get(api("class_list"), {"year": frame.year.pk})

    (school_class,) = response.json()["results"]
    assert school_class["name"] == "5 «А»"
    assert school_class["student_count"] == 2
    assert school_class["class_teacher"]["id"] == teacher.pk
    assert school_class["home_room"] == {"id": frame.room.pk, "name": "101"}
    assert school_class["shift"] == 1


def test_class_detail_answers_one_class(browser, frame):
    response = browser.get(api("class_detail", frame.school_class.pk))

    assert response.json()["letter"] == "А"


def test_subgroups_list_their_current_members(browser, frame, split):
    response = browser.get(
        api("subgroup_list"), {"school_class": frame.school_class.pk}
    )

    groups = response.json()["results"]
    assert [g["number"] for g in groups] == [1, 2]
    assert [m["student"]["full_name"][:6] for m in groups[0]["members"]] == [
        "Аманов",
        "Бекова",
    ]
    assert groups[0]["subject"]["code"] == "english"


def test_subgroup_detail_answers_one_group(browser, split):
    response = browser.get(api("subgroup_detail", split[1].pk))

    assert response.json()["number"] == 2


def test_rooms_and_subjects_are_those_of_the_school(browser, frame):
    rooms = browser.get(api("room_list")).json()["results"]
    subjects = browser.get(api("subject_list")).json()["results"]
    room = browser.get(api("room_detail", frame.room.pk)).json()
    english = browser.get(api("subject_detail", subject("english").pk)).json()

    assert [r["name"] for r in rooms] == ["101"]
    assert rooms[0]["shifts"] == [1]
    assert {s["code"] for s in subjects} == {
        "kazakh_language",
        "english",
        "informatics",
        "mathematics",
    }
    assert room["kind"] == "classroom"
    assert english["is_national"] is True


@pytest.mark.parametrize(
    ("name", "attribute"),
    [
        ("school_year_detail", "year"),
        ("class_detail", "school_class"),
        ("room_detail", "room"),
    ],
)
def test_another_schools_object_answers_404(client_as, demo, frame, name, attribute):
    browser = client_as(demo.membership("rural_deputy"))

    response = browser.get(api(name, getattr(frame, attribute).pk))

    assert response.status_code == 404
    assert response.json()["message"]


def test_another_schools_subgroup_and_own_subject_answer_404(
    client_as, demo, deputy, split
):
    chess = services.subject_create(actor=deputy, name_kk="Шахмат", name_ru="Шахматы")
    browser = client_as(demo.membership("rural_deputy"))

    assert browser.get(api("subgroup_detail", split[0].pk)).status_code == 404
    assert browser.get(api("subject_detail", chess.pk)).status_code == 404


def test_another_schools_year_as_a_filter_answers_404(client_as, demo, frame):
    browser = client_as(demo.membership("rural_deputy"))

    response = browser.get(api("class_list"), {"year": frame.year.pk})

    assert response.status_code == 404


def test_lists_of_another_school_never_show_this_schools_rows(client_as, demo, frame):
    browser = client_as(demo.membership("rural_deputy"))

    def ids(name: str) -> set[int]:
        return {row["id"] for row in browser.get(api(name)).json()["results"]}

    assert frame.year.pk not in ids("school_year_list")
    assert frame.school_class.pk not in ids("class_list")
    assert frame.room.pk not in ids("room_list")


@pytest.mark.parametrize("persona", ["class_teacher", "student_aruzhan", "parent_ru"])
def test_teachers_students_and_parents_are_refused(client_as, demo, frame, persona):
    browser = client_as(demo.membership(persona))

    assert browser.get(api("class_list")).status_code == 403


def test_token_caller_acts_in_the_school_named_by_the_header(
    deputy, client, demo, frame
):
    token, _created = Token.objects.get_or_create(user=deputy.user)

    response = client.get(
        api("room_list"),
        HTTP_AUTHORIZATION=f"Token {token.key}",
        **{API_HEADER: str(deputy.pk)},
    )

    assert response.status_code == 200
    assert response.json()["count"] == 1


def _query_count(browser, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(address)
    assert response.status_code == 200
    return len(queries)


def test_year_and_class_lists_query_counts_do_not_grow_with_rows(
    browser, deputy, frame, split
):
    in_year = f"?year={frame.year.pk}"
    years = _query_count(browser, api("school_year_list"))
    classes = _query_count(browser, api("class_list") + in_year)
    groups = _query_count(browser, api("subgroup_list") + in_year)
    services.year_create(
        actor=deputy,
        starts_on=date(2026, 9, 1),
        ends_on=date(2027, 5, 25),
        quarters=[
            (date(2026, 9, 1), date(2026, 10, 25)),
            (date(2026, 11, 2), date(2026, 12, 27)),
            (date(2027, 1, 8), date(2027, 3, 19)),
            (date(2027, 3, 30), date(2027, 5, 25)),
        ],
    )
    other = services.class_create(
        actor=deputy, year=frame.year, grade=6, letter="Б", language="kk",
        shift=frame.shift, class_teacher=None, home_room=frame.room,
    )  # fmt: skip
    students_in(other, ["Оспанов", "Серікбаев"])
    services.subgroups_split(
        actor=deputy, school_class=other, subject=subject("english"), on_date=FIRST_DAY
    )

    assert _query_count(browser, api("school_year_list")) == years
    assert _query_count(browser, api("class_list") + in_year) == classes
    assert _query_count(browser, api("subgroup_list") + in_year) == groups
