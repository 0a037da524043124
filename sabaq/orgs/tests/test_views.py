"""The platform admin's pages: the tree, new organisations, a school's heads."""

import pytest
from django.urls import reverse

from sabaq.accounts.models import Role, User
from sabaq.orgs.models import Organisation, OrganisationKind

TREE = reverse("orgs:organisation_list")


@pytest.fixture
def admin(demo, client_as):
    return client_as(demo.membership("admin"))


def school_create_url(demo):
    return reverse("orgs:school_create", args=[demo.organisations["district"].pk])


def test_platform_admin_sees_every_school_in_the_tree(demo, admin):
    response = admin.get(TREE)

    content = response.content.decode()
    assert demo.organisations["urban"].name_kk in content
    assert demo.organisations["rural"].name_kk in content


def test_platform_admin_creates_a_school_and_lands_on_its_page(demo, admin):
    response = admin.post(
        school_create_url(demo),
        {"name_kk": "Қосшы № 5 мектебі", "name_ru": "Школа № 5 Косшы"},
    )

    school = Organisation.objects.get(name_kk="Қосшы № 5 мектебі")
    assert school.kind == OrganisationKind.SCHOOL
    assert school.parent == demo.organisations["district"]
    assert response["Location"] == reverse("orgs:school_detail", args=[school.pk])


def test_platform_admin_creates_a_district_and_returns_to_the_tree(demo, admin):
    response = admin.post(
        reverse("orgs:district_create", args=[demo.organisations["region"].pk]),
        {"name_kk": "Аршалы ауданы", "name_ru": "Аршалынский район"},
    )

    assert response["Location"] == TREE
    assert (
        Organisation.objects.get(name_kk="Аршалы ауданы").parent
        == (demo.organisations["region"])
    )


def test_new_school_under_a_region_instead_of_a_district_is_missing(demo, admin):
    count = Organisation.objects.count()

    response = admin.post(
        reverse("orgs:school_create", args=[demo.organisations["region"].pk]),
        {"name_kk": "Қате", "name_ru": "Ошибка"},
    )

    assert response.status_code == 404
    assert Organisation.objects.count() == count


def test_school_with_a_name_taken_in_the_district_shows_the_error_by_the_name(
    demo, admin
):
    count = Organisation.objects.count()

    response = admin.post(
        school_create_url(demo),
        {"name_kk": demo.organisations["urban"].name_kk, "name_ru": "Дубль"},
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name_kk"}
    assert Organisation.objects.count() == count


def test_platform_admin_creates_the_first_director_of_a_school(demo, admin):
    school = demo.organisations["rural"]

    response = admin.post(
        reverse("orgs:school_detail", args=[school.pk]),
        {
            "role": Role.DEPUTY_HEAD,
            "surname": "Мұратова",
            "name": "Әсел",
            "language": "kk",
        },
    )

    person = User.objects.get(login="muratova.asel")
    assert response.context["password"] in response.content.decode()
    assert person.memberships.get().organisation == school
    assert (
        "muratova.asel"
        in admin.get(reverse("orgs:school_detail", args=[school.pk])).content.decode()
    )


def test_platform_admin_cannot_create_a_teacher_from_the_school_page(demo, admin):
    users = User.objects.count()

    response = admin.post(
        reverse("orgs:school_detail", args=[demo.organisations["rural"].pk]),
        {"role": Role.TEACHER, "surname": "Мұратова", "name": "Әсел", "language": "kk"},
    )

    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert User.objects.count() == users


def test_school_page_of_a_district_is_missing(demo, admin):
    response = admin.get(
        reverse("orgs:school_detail", args=[demo.organisations["district"].pk])
    )

    assert response.status_code == 404
