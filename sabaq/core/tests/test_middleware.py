"""Headers on every page and the rule book applied before a view runs."""

from django.urls import reverse

from sabaq.accounts.models import Role
from sabaq.core.tests.factories import MembershipFactory

PEOPLE = reverse("accounts:person_list")


def test_every_page_forbids_scripts_and_styles_from_elsewhere(client):
    response = client.get(reverse("accounts:login"))

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_anonymous_visitor_is_sent_to_log_in_and_back(client, db):
    response = client.get(PEOPLE)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={PEOPLE}"


def test_person_with_several_roles_and_none_chosen_is_asked_to_choose(demo, client):
    client.force_login(demo.people["teacher_parent"])

    response = client.get(PEOPLE)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:role_choose")


def test_teacher_opening_a_school_admin_page_is_forbidden(demo, client_as):
    response = client_as(demo.membership("class_teacher")).get(PEOPLE)

    assert response.status_code == 403


def test_director_with_a_second_role_acts_in_the_role_chosen(demo, client_as):
    # Rules follow the active role, not the best role a person has.
    teacher = MembershipFactory(
        user=demo.people["director"],
        organisation=demo.organisations["rural"],
        role=Role.TEACHER,
    )

    assert client_as(teacher).get(PEOPLE).status_code == 403
    assert client_as(demo.membership("director")).get(PEOPLE).status_code == 200
