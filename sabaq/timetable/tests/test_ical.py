"""Personal calendar feeds, read back by a real calendar library."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from sabaq.timetable import ical, services
from sabaq.timetable.tests.factories import (
    A_MONDAY,
    FIRST_DAY,
    TimetableSchool,
    cast,
    enrol,
    new_school,
)

ALMATY = "Asia/Almaty"


@pytest.fixture
def school(demo):
    return TimetableSchool.build(new_school(demo), classes=2)


@pytest.fixture
def people(school):
    return cast(school)


@pytest.fixture
def published(school, people):
    """5 «А» has mathematics with Сәрсенова on Mondays, lesson 2."""
    a, _b = school.classes
    line = school.line(a, "mathematics", 1, people.teacher.user)
    version = school.draft()
    services.entry_place(
        actor=school.actor, version=version, line=line, day=0, period=2
    )
    services.timetable_publish(
        actor=school.actor, version=version, takes_effect_on=FIRST_DAY
    )
    return version


def events(feed, today) -> list:
    with translation.override("en"):
        body = ical.feed_ics(feed, today=today)
    calendar = Calendar.from_ical(body)
    return sorted(calendar.walk("VEVENT"), key=lambda event: event.decoded("dtstart"))


def test_a_student_feed_holds_dated_lessons_in_almaty_time(people, published):
    feed = services.calendar_feed_renew(actor=people.student)

    found = events(feed, today=A_MONDAY)

    # From last Monday to six weeks ahead; the timetable takes effect on
    # Tuesday 2 September, so the Mondays from 8 September to 13 October.
    starts = [event.decoded("dtstart") for event in found]
    assert [start.date() for start in starts] == [
        A_MONDAY + datetime.timedelta(weeks=n) for n in range(6)
    ]
    assert str(starts[0].tzinfo) == ALMATY
    assert (starts[0].hour, starts[0].minute) == (8, 55)
    assert found[0].decoded("dtend") - starts[0] == datetime.timedelta(minutes=45)
    assert str(found[0]["summary"]) == "Mathematics"
    assert "Room" in str(found[0]["location"])
    assert len({str(event["uid"]) for event in found}) == len(found)


def test_holidays_have_no_lessons_in_the_feed(people, published):
    feed = services.calendar_feed_renew(actor=people.student)

    found = events(feed, today=datetime.date(2025, 10, 22))

    days = [event.decoded("dtstart").date() for event in found]
    assert datetime.date(2025, 10, 20) in days
    # The autumn holidays run from 27 October to 2 November 2025.
    assert datetime.date(2025, 10, 27) not in days
    assert datetime.date(2025, 11, 3) in days


def test_substitutions_and_cancellations_reach_the_feed(school, people, published):
    entry = published.entries.get()
    substitute = school.teacher("Бекова", "mathematics")
    services.lesson_change_set(
        actor=school.actor, entry=entry, on_date=A_MONDAY, substitute=substitute
    )
    services.lesson_change_set(
        actor=school.actor,
        entry=entry,
        on_date=A_MONDAY + datetime.timedelta(weeks=1),
        is_cancelled=True,
    )
    feed = services.calendar_feed_renew(actor=people.student)

    found = {event.decoded("dtstart").date(): event for event in events(feed, A_MONDAY)}

    changed = found[A_MONDAY]
    assert substitute.full_name in str(changed["description"])
    assert str(changed["status"]) == "CONFIRMED"
    cancelled = found[A_MONDAY + datetime.timedelta(weeks=1)]
    assert str(cancelled["status"]) == "CANCELLED"
    assert str(cancelled["summary"]).startswith("Cancelled")


def test_a_teacher_feed_carries_the_lessons_taught_for_a_colleague(
    school, people, published
):
    substitute = people.colleague.user
    services.lesson_change_set(
        actor=school.actor,
        entry=published.entries.get(),
        on_date=A_MONDAY,
        substitute=substitute,
    )
    feed = services.calendar_feed_renew(actor=people.colleague)

    found = events(feed, A_MONDAY)

    assert [event.decoded("dtstart").date() for event in found] == [A_MONDAY]
    assert str(found[0]["summary"]).startswith("Substitution")


def test_a_parent_feed_names_each_child(people, published):
    child = people.child.user
    feed = services.calendar_feed_renew(actor=people.parent)

    found = events(feed, A_MONDAY)

    assert found
    assert all(str(event["summary"]).startswith(child.name) for event in found)


def test_first_graders_lessons_are_shorter_in_september(school):
    first_grade = school.add_class(grade=1, letter="А", home_room=school.rooms["101"])
    [student] = enrol(first_grade, 1)
    line = school.line(first_grade, "music", 1)
    version = school.draft()
    services.entry_place(
        actor=school.actor, version=version, line=line, day=0, period=1
    )
    services.timetable_publish(
        actor=school.actor, version=version, takes_effect_on=FIRST_DAY
    )
    feed = services.calendar_feed_renew(actor=school.membership_of(student))

    found = events(feed, A_MONDAY)
    lengths = {
        event.decoded("dtstart").month: event.decoded("dtend")
        - event.decoded("dtstart")
        for event in found
    }

    assert lengths[9] == datetime.timedelta(minutes=35)
    assert lengths[10] == datetime.timedelta(minutes=45)


def test_the_feed_address_works_until_it_is_renewed(client, people, published):
    actor = people.student
    old = services.calendar_feed_renew(actor=actor).token

    response = client.get(reverse("timetable:calendar_feed", args=[old]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    Calendar.from_ical(response.content)

    new = services.calendar_feed_renew(actor=actor).token

    assert client.get(reverse("timetable:calendar_feed", args=[old])).status_code == 404
    assert client.get(reverse("timetable:calendar_feed", args=[new])).status_code == 200


def test_an_unknown_address_is_missing(client, db):
    response = client.get(reverse("timetable:calendar_feed", args=["x" * 43]))

    assert response.status_code == 404
