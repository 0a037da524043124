"""The timetable API: versions with clashes for the heads, dated weeks for
everyone else, each within their school."""

import pytest
from django.urls import reverse

from sabaq.timetable import services
from sabaq.timetable.tests.factories import (
    A_MONDAY,
    FIRST_DAY,
    TimetableSchool,
    cast,
    new_school,
)


@pytest.fixture
def school(demo):
    return TimetableSchool.build(new_school(demo), classes=2)


@pytest.fixture
def people(school):
    return cast(school)


@pytest.fixture
def published(school, people):
    a, _b = school.classes
    line = school.line(a, "mathematics", 2, people.teacher.user)
    version = school.draft()
    for day in (0, 2):
        services.entry_place(
            actor=school.actor, version=version, line=line, day=day, period=1
        )
    services.timetable_publish(
        actor=school.actor, version=version, takes_effect_on=FIRST_DAY
    )
    return version


def test_the_deputy_reads_a_draft_with_every_clash_explained(client_as, school):
    teacher = school.teacher("Ахметова", "mathematics")
    a, b = school.classes
    version = school.draft()
    for school_class in (a, b):
        services.entry_place(
            actor=school.actor,
            version=version,
            line=school.line(school_class, "mathematics", 1, teacher),
            day=0,
            period=1,
        )
    client = client_as(school.actor)

    data = client.get(reverse("api:timetable_version_detail", args=[version.pk])).json()

    assert data["entry_count"] == 2
    hard = [clash for clash in data["clashes"] if clash["is_hard"]]
    assert [clash["kind"] for clash in hard] == ["teacher_busy"]
    assert "Ахметова А." in hard[0]["message"]
    assert {hard[0]["entry"], hard[0]["other_entry"]} == {
        entry["id"] for entry in data["entries"]
    }


def test_the_version_list_shows_drafts_to_the_heads(
    client_as, school, people, published
):
    school.draft("Second")
    client = client_as(people.director)

    data = client.get(reverse("api:timetable_version_list")).json()

    assert sorted(item["status"] for item in data["results"]) == ["draft", "published"]


def test_a_parent_reads_each_child_week_with_its_cancellations(
    client_as, school, people, published
):
    services.lesson_change_set(
        actor=school.actor,
        entry=published.entries.get(day=0),
        on_date=A_MONDAY,
        is_cancelled=True,
    )
    client = client_as(people.parent)

    data = client.get(f"{reverse('api:timetable_my_week')}?week=2025-09-10").json()

    [week] = data["weeks"]
    assert week["person"]["id"] == people.child.user_id
    assert week["school_class"]["name"] == "5 «А»"
    monday, _tuesday, wednesday, *_rest = week["days"]
    assert monday["date"] == "2025-09-08"
    assert [lesson["is_cancelled"] for lesson in monday["lessons"]] == [True]
    assert [lesson["starts_at"] for lesson in wednesday["lessons"]] == ["08:00"]


def test_a_teacher_reads_their_own_week_only(client_as, people, published):
    client = client_as(people.teacher)

    mine = client.get(
        reverse("api:timetable_teacher_week", args=[people.teacher.user_id])
        + "?week=2025-09-08"
    )
    theirs = client.get(
        reverse("api:timetable_teacher_week", args=[people.colleague.user_id])
    )

    assert len(mine.json()["days"][0]["lessons"]) == 1
    assert theirs.status_code == 404
    assert theirs.json()["message"]


def test_another_school_gets_404_for_a_class_week(client_as, demo, school, published):
    client = client_as(demo.membership("rural_deputy"))

    response = client.get(
        reverse("api:timetable_class_week", args=[school.classes[0].pk])
    )

    assert response.status_code == 404


def test_students_cannot_read_versions(client_as, people, published):
    client = client_as(people.student)

    assert client.get(reverse("api:timetable_version_list")).status_code == 403
