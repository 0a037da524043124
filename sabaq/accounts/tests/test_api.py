"""The API for the current person: tokens, who am I, my roles."""

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from sabaq.accounts import services
from sabaq.accounts.models import Role
from sabaq.accounts.selectors import API_HEADER
from sabaq.accounts.tests import messages
from sabaq.core.demo import DEMO_PASSWORD

TOKEN = reverse("api:token")
ME = reverse("api:me")
MEMBERSHIPS = reverse("api:memberships")


@pytest.fixture
def api():
    return APIClient()


def token_for(api, login: str, password: str):
    return api.post(TOKEN, {"login": login, "password": password}, format="json")


def with_token(user) -> APIClient:
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def assert_error_shape(response) -> None:
    assert set(response.json()) == {"message", "details"}
    assert isinstance(response.json()["message"], str)
    assert response.json()["message"]


# Tokens


def test_right_password_gives_a_token_that_opens_the_api(demo, api):
    response = token_for(api, "BEKOVA", DEMO_PASSWORD)

    assert response.status_code == 200
    key = response.json()["token"]
    assert Token.objects.get(key=key).user == demo.people["director"]
    me = APIClient(HTTP_AUTHORIZATION=f"Token {key}").get(ME)
    assert me.json()["login"] == "bekova"


def test_iin_and_password_give_a_token_too(demo, api):
    response = token_for(api, demo.people["deputy"].iin, DEMO_PASSWORD)

    assert response.status_code == 200


def test_asking_twice_gives_the_same_token(demo, api):
    first = token_for(api, "bekova", DEMO_PASSWORD).json()["token"]

    assert token_for(api, "bekova", DEMO_PASSWORD).json()["token"] == first


def test_wrong_password_gives_the_login_pages_message_and_no_token(demo, api):
    response = token_for(api, "bekova", "not-the-password")
    unknown = token_for(api, "nobody-has-this-login", DEMO_PASSWORD)

    assert response.status_code == 400
    assert_error_shape(response)
    assert response.json()["message"] == messages.wrong_login()
    assert unknown.json() == response.json()
    assert not Token.objects.filter(user=demo.people["director"]).exists()


def test_token_endpoint_locks_the_account_like_the_login_page(demo, api):
    for _attempt in range(settings.LOGIN_LOCK_ATTEMPTS):
        response = token_for(api, "omarov", "not-the-password")

    right_password = token_for(api, "omarov", DEMO_PASSWORD)

    locked = messages.locked(settings.LOGIN_LOCK_MINUTES)
    assert response.json()["message"] == locked
    assert right_password.status_code == 400
    assert right_password.json()["message"] == locked
    with pytest.raises(services.LoginError) as caught:
        services.login_verify(identifier="omarov", password=DEMO_PASSWORD)
    assert caught.value.locked


def test_person_with_a_first_password_gets_no_token(demo, api):
    created = services.person_create(
        actor=demo.membership("director"),
        organisation=demo.organisations["urban"],
        role=Role.TEACHER,
        surname="Әбенова",
        name="Жанар",
    )

    response = token_for(api, created.person.login, created.password)

    assert response.status_code == 400
    assert_error_shape(response)
    assert "token" not in response.json()
    assert not Token.objects.filter(user=created.person).exists()


def test_token_request_without_fields_names_the_missing_fields(db, api):
    response = api.post(TOKEN, {}, format="json")

    assert response.status_code == 400
    assert_error_shape(response)
    assert set(response.json()["details"]) == {"login", "password"}


# Who am I


def test_me_with_a_session_tells_who_is_asking_and_in_which_role(demo, client_as):
    response = client_as(demo.membership("teacher_parent")).get(ME)

    data = response.json()
    assert response.status_code == 200
    assert data["login"] == "zhumabayev"
    assert data["full_name"] == demo.people["teacher_parent"].full_name
    assert data["must_change_password"] is False
    assert data["active_membership"]["id"] == demo.membership("teacher_parent").pk
    assert data["active_membership"]["role"] == Role.TEACHER


def test_me_with_a_token_acts_in_the_only_role(demo):
    response = with_token(demo.people["student_aruzhan"]).get(ME)

    data = response.json()
    assert data["login"] == "aruzhan"
    assert data["active_membership"]["organisation"]["id"] == (
        demo.organisations["urban"].pk
    )


def test_me_with_a_token_and_several_roles_acts_in_the_role_named_in_the_header(
    demo,
):
    rural = demo.membership("teacher_two_schools", "rural")
    client = with_token(demo.people["teacher_two_schools"])

    without_header = client.get(ME).json()
    with_header = client.get(ME, **{API_HEADER: str(rural.pk)}).json()

    assert without_header["active_membership"] is None
    assert with_header["active_membership"]["id"] == rural.pk


def test_me_shows_the_phone_as_people_read_it(demo):
    person = demo.people["parent_ru"]
    person.phone = "+77012345678"
    person.save()

    data = with_token(person).get(ME).json()

    assert data["phone"] == "+7 (701) 234-56-78"
    assert "iin" not in data
    assert "password" not in data


def test_wrong_token_is_refused_in_the_error_shape(db):
    client = APIClient(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = client.get(ME)

    assert response.status_code in (401, 403)
    assert_error_shape(response)


def test_anonymous_caller_is_refused_in_the_error_shape(db, api):
    for url in (ME, MEMBERSHIPS, reverse("api:organisations")):
        response = api.get(url)

        assert response.status_code in (401, 403), url
        assert_error_shape(response)


# My roles


def test_memberships_lists_only_the_callers_own_roles(demo):
    response = with_token(demo.people["teacher_parent"]).get(MEMBERSHIPS)

    rows = response.json()["results"]
    assert {row["id"] for row in rows} == set(
        demo.people["teacher_parent"].memberships.values_list("pk", flat=True)
    )
    assert {row["role"] for row in rows} == {Role.TEACHER, Role.PARENT}
    assert {row["organisation"]["id"] for row in rows} == {
        demo.organisations["urban"].pk
    }


def test_platform_admins_membership_has_no_organisation(demo):
    rows = with_token(demo.people["admin"]).get(MEMBERSHIPS).json()["results"]

    assert [(row["role"], row["organisation"]) for row in rows] == [
        (Role.PLATFORM_ADMIN, None)
    ]


def test_person_with_a_first_password_may_read_me_but_not_use_pages(demo, client):
    created = services.person_create(
        actor=demo.membership("director"),
        organisation=demo.organisations["urban"],
        role=Role.TEACHER,
        surname="Әбенова",
        name="Жанар",
    )
    client.post(
        reverse("accounts:login"),
        {"identifier": created.person.login, "password": created.password},
    )

    assert client.get(reverse("accounts:profile")).status_code == 302
    response = client.get(ME)
    assert response.status_code == 200
    assert response.json()["must_change_password"] is True
