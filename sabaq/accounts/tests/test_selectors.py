"""Reading people and memberships, narrowed to what the actor may see."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.http import Http404

from sabaq.accounts.models import Role
from sabaq.accounts.selectors import (
    API_HEADER,
    SESSION_KEY,
    can_manage_people,
    is_platform_admin,
    membership_for_api_request,
    membership_for_session,
    membership_get_for_user,
    memberships_of,
    school_people,
    school_person_get,
    school_role_counts,
)
from sabaq.core.tests.factories import MembershipFactory

URBAN_STUDENTS = {"alikhan", "aruzhan", "maksim"}


def session_request(user, session=None):
    return SimpleNamespace(user=user, session=session if session is not None else {})


def logins(people) -> set[str]:
    return {person.login for person in people}


def test_memberships_of_a_person_are_only_their_own_active_ones(demo):
    person = demo.people["teacher_parent"]
    MembershipFactory(
        user=person,
        organisation=demo.organisations["rural"],
        role=Role.PARENT,
        is_active=False,
    )

    memberships = list(memberships_of(person))

    assert {(m.organisation.name_kk, m.role) for m in memberships} == {
        (demo.organisations["urban"].name_kk, Role.TEACHER),
        (demo.organisations["urban"].name_kk, Role.PARENT),
    }


@pytest.mark.parametrize("given", ["not-a-number", None, "", "1.5"])
def test_membership_id_that_is_not_a_number_finds_nothing(demo, given):
    assert membership_get_for_user(demo.people["director"], given) is None


def test_membership_of_someone_else_is_not_found_by_its_id(demo):
    others = demo.membership("deputy")

    assert membership_get_for_user(demo.people["director"], others.pk) is None
    assert membership_get_for_user(demo.people["deputy"], str(others.pk)) == others


def test_only_membership_of_a_person_becomes_the_active_one(demo):
    request = session_request(demo.people["director"])

    assert membership_for_session(request) == demo.membership("director")
    assert request.session[SESSION_KEY] == demo.membership("director").pk


def test_person_with_several_roles_has_none_active_until_they_choose(demo):
    request = session_request(demo.people["teacher_two_schools"])

    assert membership_for_session(request) is None
    assert SESSION_KEY not in request.session


def test_chosen_membership_in_the_session_is_the_active_one(demo):
    rural = demo.membership("teacher_two_schools", "rural")
    request = session_request(
        demo.people["teacher_two_schools"], {SESSION_KEY: rural.pk}
    )

    assert membership_for_session(request) == rural


def test_session_pointing_at_a_role_taken_away_is_cleared(demo):
    person = demo.people["teacher_two_schools"]
    rural = demo.membership("teacher_two_schools", "rural")
    rural.is_active = False
    rural.save()
    request = session_request(person, {SESSION_KEY: rural.pk})

    # The one role left becomes the active one.
    assert membership_for_session(request) == demo.membership("teacher_two_schools")
    assert request.session[SESSION_KEY] != rural.pk


def test_session_pointing_at_another_persons_membership_is_not_used(demo):
    request = session_request(
        demo.people["teacher_two_schools"],
        {SESSION_KEY: demo.membership("director").pk},
    )

    assert membership_for_session(request) is None


def test_anonymous_visitor_has_no_active_membership():
    request = session_request(SimpleNamespace(is_authenticated=False))

    assert membership_for_session(request) is None


def _api_request(user, header=None, session_membership=None):
    meta = {API_HEADER: str(header)} if header is not None else {}
    return SimpleNamespace(
        user=user,
        META=meta,
        _request=SimpleNamespace(membership=session_membership),
    )


def test_api_caller_acts_in_the_membership_named_in_the_header(demo):
    parent = demo.people["teacher_parent"].memberships.get(role=Role.PARENT)

    request = _api_request(demo.people["teacher_parent"], header=parent.pk)

    assert membership_for_api_request(request) == parent


def test_api_caller_naming_someone_elses_membership_gets_none(demo):
    request = _api_request(
        demo.people["teacher_parent"], header=demo.membership("director").pk
    )

    assert membership_for_api_request(request) is None


def test_api_caller_with_one_role_acts_in_it_without_a_header(demo):
    request = _api_request(demo.people["student_aruzhan"])

    assert membership_for_api_request(request) == demo.membership("student_aruzhan")


def test_api_caller_with_several_roles_and_no_header_has_none(demo):
    request = _api_request(demo.people["teacher_two_schools"])

    assert membership_for_api_request(request) is None


def test_school_people_are_everyone_with_a_role_in_the_actors_school(demo):
    people = school_people(actor=demo.membership("director"))

    found = logins(people)
    assert found >= URBAN_STUDENTS | {"bekova", "omarov", "kim", "gulmira", "petrova"}
    assert not found & {"yerasyl", "aisha", "kasymov", "tursynov", "toktarov"}


def test_school_people_filtered_by_role_are_only_that_role(demo):
    people = school_people(actor=demo.membership("deputy"), role=Role.STUDENT)

    assert logins(people) == URBAN_STUDENTS


def test_school_people_carry_only_their_roles_in_this_school(demo):
    kim = school_people(actor=demo.membership("rural_director")).get(login="kim")

    assert [m.organisation_id for m in kim.school_memberships] == [
        demo.organisations["rural"].pk
    ]


def test_person_whose_role_was_taken_away_leaves_the_school_list(demo):
    membership = demo.membership("student_maksim")
    membership.is_active = False
    membership.save()

    assert "maksim" not in logins(school_people(actor=demo.membership("director")))


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("Ахметова", {"aruzhan", "gulmira"}),
        ("Ахметова Аружан", {"aruzhan"}),
        ("ZHUMABAY", {"zhumabayev"}),
    ],
)
def test_school_people_are_found_by_name_or_login(demo, search, expected):
    people = school_people(actor=demo.membership("director"), search=search)

    assert logins(people) == expected


# TODO: SQLite compares only ASCII letters without case, so on the demo
# database a name typed in lower-case Cyrillic finds nobody; PostgreSQL finds
# it. Fixing it needs a case-folded search column or an SQLite function.
@pytest.mark.xfail(
    condition=connection.vendor == "sqlite",
    reason="SQLite LIKE ignores case for ASCII letters only",
    strict=True,
)
def test_school_people_are_found_by_a_cyrillic_name_typed_in_lower_case(demo):
    people = school_people(actor=demo.membership("director"), search="ахметова")

    assert logins(people) == {"aruzhan", "gulmira"}


def test_school_people_are_found_by_the_start_of_the_iin(demo):
    iin = demo.people["student_maksim"].iin

    people = school_people(actor=demo.membership("director"), search=iin[:8])

    assert "maksim" in logins(people)
    assert logins(school_people(actor=demo.membership("director"), search=iin[4:])) == (
        set()
    )


def test_search_never_reaches_people_of_another_school(demo):
    assert not school_people(actor=demo.membership("director"), search="yerasyl")


def test_person_of_the_school_is_fetched_by_id(demo):
    student = demo.people["student_aruzhan"]

    assert school_person_get(
        actor=demo.membership("director"), person_id=student.pk
    ) == (student)


@pytest.mark.parametrize("person_id", ["abc", "999999999"])
def test_unknown_person_id_is_missing(demo, person_id):
    with pytest.raises(Http404):
        school_person_get(actor=demo.membership("director"), person_id=person_id)


def test_person_of_another_school_is_reported_as_missing(demo):
    with pytest.raises(Http404):
        school_person_get(
            actor=demo.membership("director"),
            person_id=demo.people["student_yerasyl"].pk,
        )


def test_role_counts_of_the_urban_school(demo):
    assert school_role_counts(actor=demo.membership("director")) == {
        Role.DIRECTOR: 1,
        Role.DEPUTY_HEAD: 1,
        Role.TEACHER: 4,
        Role.STUDENT: 3,
        Role.PARENT: 3,
    }


def test_role_counts_leave_out_roles_taken_away(demo):
    membership = demo.membership("student_yerasyl")
    membership.is_active = False
    membership.save()

    assert (
        school_role_counts(actor=demo.membership("rural_director"))[Role.STUDENT] == 1
    )


def test_only_directors_and_deputy_heads_manage_people(demo):
    assert can_manage_people(demo.membership("director"))
    assert can_manage_people(demo.membership("deputy"))
    assert not can_manage_people(demo.membership("class_teacher"))
    assert not can_manage_people(demo.membership("admin"))
    assert not can_manage_people(None)


def test_platform_admin_is_recognised_by_role(demo):
    assert is_platform_admin(demo.membership("admin"))
    assert not is_platform_admin(demo.membership("region_officer"))
    assert not is_platform_admin(None)
