"""The organisations API: each caller sees their part of the tree."""

from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from sabaq.orgs.models import Organisation

ORGANISATIONS = reverse("api:organisations")


def api_as(user, **headers) -> APIClient:
    token, _created = Token.objects.get_or_create(user=user)
    return APIClient(HTTP_AUTHORIZATION=f"Token {token.key}", **headers)


def listed(demo, persona) -> set[int]:
    response = api_as(demo.people[persona]).get(ORGANISATIONS)
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


def ids(demo, *keys) -> set[int]:
    return {demo.organisations[key].pk for key in keys}


def test_student_sees_only_their_school(demo):
    assert listed(demo, "student_maksim") == ids(demo, "urban")


def test_director_of_the_rural_school_sees_only_that_school(demo):
    assert listed(demo, "rural_director") == ids(demo, "rural")


def test_district_officer_sees_the_district_and_its_schools(demo):
    assert listed(demo, "district_officer") == ids(demo, "district", "urban", "rural")


def test_region_officer_sees_the_whole_region(demo):
    assert listed(demo, "region_officer") == ids(
        demo, "region", "district", "urban", "rural"
    )


def test_platform_admin_sees_every_organisation(demo):
    assert listed(demo, "admin") == set(
        Organisation.objects.values_list("pk", flat=True)
    )


def test_organisation_names_follow_the_callers_language(demo):
    client = api_as(demo.people["student_maksim"], HTTP_ACCEPT_LANGUAGE="ru")

    (row,) = client.get(ORGANISATIONS).json()["results"]

    school = demo.organisations["urban"]
    assert row["name"] == school.name_ru
    assert (row["name_kk"], row["name_ru"]) == (school.name_kk, school.name_ru)
    assert row["parent"] == demo.organisations["district"].pk
