"""What each role sees of the organisation tree."""

from django.utils import translation

from sabaq.accounts.models import Role
from sabaq.core.tests.factories import MembershipFactory, OrganisationFactory
from sabaq.orgs.models import Organisation
from sabaq.orgs.selectors import (
    organisation_tree,
    organisations_visible_to,
    platform_overview,
    school_admins,
    schools_overview,
)


def visible(demo, persona) -> set[str]:
    keys = {org.pk: key for key, org in demo.organisations.items()}
    return {
        keys.get(org.pk, org.name_kk)
        for org in organisations_visible_to(demo.people[persona])
    }


def test_school_role_sees_only_its_school(demo):
    assert visible(demo, "student_aruzhan") == {"urban"}
    assert visible(demo, "rural_teacher") == {"rural"}


def test_person_with_roles_in_two_schools_sees_both(demo):
    assert visible(demo, "parent_both") == {"urban", "rural"}


def test_district_officer_sees_the_district_and_its_schools(demo):
    assert visible(demo, "district_officer") == {"district", "urban", "rural"}


def test_region_officer_sees_the_region_its_districts_and_their_schools(demo):
    assert visible(demo, "region_officer") == {"region", "district", "urban", "rural"}


def test_platform_admin_sees_every_organisation(demo):
    OrganisationFactory(parent=demo.organisations["district"], name_kk="Басқа")

    assert set(organisations_visible_to(demo.people["admin"])) == set(
        Organisation.objects.all()
    )


def test_district_officer_does_not_see_a_school_of_another_district(demo):
    other_district = OrganisationFactory(
        kind="district", parent=demo.organisations["region"], name_kk="Басқа аудан"
    )
    OrganisationFactory(parent=other_district, name_kk="Басқа мектеп")

    assert visible(demo, "district_officer") == {"district", "urban", "rural"}
    assert {"Басқа аудан", "Басқа мектеп"} <= visible(demo, "region_officer")


def test_role_taken_away_no_longer_shows_its_school(demo):
    membership = demo.membership("parent_both", "rural")
    membership.is_active = False
    membership.save()

    assert visible(demo, "parent_both") == {"urban"}


def test_schools_overview_counts_active_students_and_teachers_of_each_school(demo):
    counts = {
        school.pk: (school.student_count, school.teacher_count)
        for school in schools_overview(actor=demo.membership("district_officer"))
    }

    assert counts == {
        demo.organisations["urban"].pk: (3, 4),
        demo.organisations["rural"].pk: (2, 2),
    }


def test_schools_overview_leaves_out_roles_taken_away_and_other_roles(demo):
    urban = demo.organisations["urban"]
    MembershipFactory(organisation=urban, role=Role.STUDENT, is_active=False)
    MembershipFactory(organisation=urban, role=Role.PARENT)
    MembershipFactory(organisation=urban, role=Role.STUDENT)

    overview = schools_overview(actor=demo.membership("region_officer"))

    assert overview.get(pk=urban.pk).student_count == 4
    assert overview.get(pk=urban.pk).teacher_count == 4


def test_schools_overview_of_a_region_reaches_schools_through_districts(demo):
    other_district = OrganisationFactory(
        kind="district", parent=demo.organisations["region"], name_kk="Басқа аудан"
    )
    far_school = OrganisationFactory(parent=other_district)

    district = schools_overview(actor=demo.membership("district_officer"))
    region = schools_overview(actor=demo.membership("region_officer"))

    assert far_school not in district
    assert far_school in region
    assert region.get(pk=far_school.pk).student_count == 0


def test_platform_overview_counts_every_kind_and_every_person(demo):
    overview = platform_overview(actor=demo.membership("admin"))

    assert overview["regions"] == 1
    assert overview["districts"] == 1
    assert overview["schools"] == 2
    assert overview["people"] == len(demo.people)


def test_organisation_tree_nests_schools_under_districts_under_regions(demo):
    tree = organisation_tree()

    region = next(b for b in tree if b["organisation"] == demo.organisations["region"])
    (district,) = region["children"]
    assert district["organisation"] == demo.organisations["district"]
    assert {b["organisation"] for b in district["children"]} == {
        demo.organisations["urban"],
        demo.organisations["rural"],
    }


def test_school_admins_are_the_active_director_and_deputy_heads(demo):
    admins = school_admins(school=demo.organisations["urban"])

    assert {m.user.login for m in admins} == {"bekova", "omarov"}


def test_organisation_name_follows_the_active_language(demo):
    school = demo.organisations["urban"]

    with translation.override("ru"):
        assert school.name == school.name_ru
    with translation.override("en"):
        assert school.name == school.name_en
    with translation.override("kk"):
        assert school.name == school.name_kk


def test_organisation_without_an_english_name_shows_the_kazakh_one(demo):
    school = OrganisationFactory(parent=demo.organisations["district"], name_en="")

    with translation.override("en"):
        assert school.name == school.name_kk
