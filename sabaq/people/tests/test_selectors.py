"""Reads about students, staff and guardians, scoped to the actor's school."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from sabaq.accounts.models import Membership, Role
from sabaq.people import selectors
from sabaq.people.models import StaffRecord
from sabaq.people.tests.factories import current_year, person_in
from sabaq.schools.models import SchoolYear, YearStatus


def _staff(school, due, left_on=None):
    return StaffRecord.objects.create(
        school=school,
        person=person_in(school, Role.TEACHER),
        position="Мұғалім",
        attestation_due_on=due,
        left_on=left_on,
    )


def test_attestations_due_lists_the_next_six_months_and_the_overdue(demo):
    urban = demo.organisations["urban"]
    today = timezone.localdate()
    StaffRecord.objects.filter(school=urban).update(attestation_due_on=None)
    overdue = _staff(urban, today - datetime.timedelta(days=10))
    soon = _staff(urban, today + datetime.timedelta(days=183))
    _staff(urban, today + datetime.timedelta(days=184))
    _staff(urban, today, left_on=today)
    _staff(demo.organisations["rural"], today)

    due = selectors.attestations_due(actor=demo.membership("deputy"))

    assert list(due) == [overdue, soon]


def test_attestations_due_skips_people_whose_staff_role_ended(demo):
    urban = demo.organisations["urban"]
    StaffRecord.objects.filter(school=urban).update(attestation_due_on=None)
    record = _staff(urban, timezone.localdate())
    Membership.objects.filter(user=record.person).update(is_active=False)

    assert list(selectors.attestations_due(actor=demo.membership("deputy"))) == []


def test_attestations_due_within_a_shorter_window(demo):
    urban = demo.organisations["urban"]
    StaffRecord.objects.filter(school=urban).update(attestation_due_on=None)
    today = timezone.localdate()
    near = _staff(urban, today + datetime.timedelta(days=20))
    _staff(urban, today + datetime.timedelta(days=40))

    due = selectors.attestations_due(actor=demo.membership("director"), within_days=30)

    assert list(due) == [near]


def test_parent_sees_only_their_children_in_the_school_of_the_active_role(demo):
    father_as_parent = Membership.objects.get(
        user=demo.people["teacher_parent"],
        organisation=demo.organisations["urban"],
        role=Role.PARENT,
    )

    children = selectors.children_in_school(actor=father_as_parent)

    assert list(children) == [demo.people["student_alikhan"]]


def test_school_students_are_only_those_studying_in_the_actors_school(demo):
    students = selectors.school_students(actor=demo.membership("rural_deputy"))

    assert set(students) == {
        demo.people["student_aisha"],
        demo.people["student_yerasyl"],
    }


def test_student_get_treats_another_schools_student_as_missing(demo):
    with pytest.raises(Http404):
        selectors.student_get(
            actor=demo.membership("deputy"), student_id=demo.people["student_aisha"].pk
        )
    with pytest.raises(Http404):
        selectors.student_get(actor=demo.membership("deputy"), student_id="x")


def test_platform_admin_has_no_school_to_read_students_of(demo):
    with pytest.raises(PermissionDenied):
        selectors.school_students(actor=demo.membership("admin"))


def test_current_school_year_is_the_one_including_today(demo):
    urban = demo.organisations["urban"]
    year = current_year(urban)
    SchoolYear.objects.create(
        school=urban,
        starts_on=year.starts_on.replace(year=year.starts_on.year + 1),
        ends_on=year.ends_on.replace(year=year.ends_on.year + 1),
    )

    assert selectors.current_school_year(school_id=urban.pk) == year


def test_without_a_year_including_today_the_latest_open_one_is_current(demo):
    urban = demo.organisations["urban"]
    old = SchoolYear.objects.create(
        school=urban,
        starts_on=datetime.date(2027, 9, 1),
        ends_on=datetime.date(2028, 5, 25),
        status=YearStatus.CLOSED,
    )
    open_year = SchoolYear.objects.create(
        school=urban,
        starts_on=datetime.date(2028, 9, 1),
        ends_on=datetime.date(2029, 5, 25),
    )

    assert (
        selectors.current_school_year(
            school_id=urban.pk, today=datetime.date(2030, 1, 1)
        )
        == open_year
    )
    assert old.pk != open_year.pk


def test_search_finds_cyrillic_names_typed_in_small_letters(demo):
    found = selectors.school_students(
        actor=demo.membership("deputy"), search="ахметова"
    )

    assert list(found) == [demo.people["student_aruzhan"]]
