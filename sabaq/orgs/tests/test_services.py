"""The platform admin builds the tree of regions, districts and schools."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from sabaq.core.models import AuditEntry
from sabaq.orgs.models import Organisation, OrganisationKind
from sabaq.orgs.services import organisation_create


def create(demo, *, actor="admin", kind, parent, name_kk="Жаңа", name_ru="Новая"):
    return organisation_create(
        actor=demo.membership(actor),
        kind=kind,
        parent=parent,
        name_kk=name_kk,
        name_ru=name_ru,
    )


def field_errors(demo, **kwargs) -> set[str]:
    count = Organisation.objects.count()
    with pytest.raises(ValidationError) as caught:
        create(demo, **kwargs)
    assert Organisation.objects.count() == count
    return set(caught.value.message_dict)


def test_platform_admin_creates_a_school_in_a_district_with_an_audit_entry(demo):
    school = organisation_create(
        actor=demo.membership("admin"),
        kind=OrganisationKind.SCHOOL,
        parent=demo.organisations["district"],
        name_kk="  Қосшы № 5 мектебі ",
        name_ru="Школа № 5 Косшы",
        name_en="Kosshy School No. 5",
        address="Қосшы қ.",
    )

    assert school.kind == OrganisationKind.SCHOOL
    assert school.parent == demo.organisations["district"]
    assert school.name_kk == "Қосшы № 5 мектебі"
    entry = AuditEntry.objects.get(
        action="orgs.organisation_create", target_id=str(school.pk)
    )
    assert entry.school == school
    assert entry.actor == demo.people["admin"]
    assert entry.after["parent"] == demo.organisations["district"].pk


def test_platform_admin_creates_a_region_with_no_parent(demo):
    region = create(demo, kind=OrganisationKind.REGION, parent=None)

    assert region.parent is None
    entry = AuditEntry.objects.get(
        action="orgs.organisation_create", target_id=str(region.pk)
    )
    assert entry.school is None


def test_platform_admin_creates_a_district_in_a_region(demo):
    district = create(
        demo, kind=OrganisationKind.DISTRICT, parent=demo.organisations["region"]
    )

    assert district.parent == demo.organisations["region"]


@pytest.mark.parametrize("parent", [None, "district", "urban"])
def test_district_outside_a_region_is_refused(demo, parent):
    parent = demo.organisations[parent] if parent else None

    assert field_errors(demo, kind=OrganisationKind.DISTRICT, parent=parent) == {
        "parent"
    }


@pytest.mark.parametrize("parent", [None, "region", "urban"])
def test_school_outside_a_district_is_refused(demo, parent):
    parent = demo.organisations[parent] if parent else None

    assert field_errors(demo, kind=OrganisationKind.SCHOOL, parent=parent) == {"parent"}


def test_region_inside_another_organisation_is_refused(demo):
    assert field_errors(
        demo, kind=OrganisationKind.REGION, parent=demo.organisations["region"]
    ) == {"parent"}


def test_unknown_kind_is_refused(demo):
    assert field_errors(demo, kind="village", parent=None) == {"kind"}


def test_names_in_kazakh_and_russian_are_required(demo):
    assert field_errors(
        demo,
        kind=OrganisationKind.SCHOOL,
        parent=demo.organisations["district"],
        name_kk=" ",
        name_ru="",
    ) == {"name_kk", "name_ru"}


def test_second_school_of_the_same_name_in_a_district_is_refused(demo):
    existing = demo.organisations["urban"]

    assert field_errors(
        demo,
        kind=OrganisationKind.SCHOOL,
        parent=demo.organisations["district"],
        name_kk=f" {existing.name_kk} ",
    ) == {"name_kk"}


# TODO: SQLite compares only ASCII letters without case, so on the demo
# database the same Kazakh name in capitals counts as a new school;
# PostgreSQL refuses it.
@pytest.mark.xfail(
    condition=connection.vendor == "sqlite",
    reason="SQLite LIKE ignores case for ASCII letters only",
    strict=True,
)
def test_same_school_name_in_capitals_is_refused_too(demo):
    existing = demo.organisations["urban"]

    assert field_errors(
        demo,
        kind=OrganisationKind.SCHOOL,
        parent=demo.organisations["district"],
        name_kk=existing.name_kk.upper(),
    ) == {"name_kk"}


def test_same_school_name_in_another_district_is_allowed(demo):
    other_district = create(
        demo, kind=OrganisationKind.DISTRICT, parent=demo.organisations["region"]
    )

    school = create(
        demo,
        kind=OrganisationKind.SCHOOL,
        parent=other_district,
        name_kk=demo.organisations["urban"].name_kk,
    )

    assert school.parent == other_district


@pytest.mark.parametrize(
    "persona", ["director", "district_officer", "region_officer", "class_teacher"]
)
def test_only_the_platform_admin_creates_organisations(demo, persona):
    count = Organisation.objects.count()

    with pytest.raises(PermissionDenied):
        create(
            demo,
            actor=persona,
            kind=OrganisationKind.SCHOOL,
            parent=demo.organisations["district"],
        )

    assert Organisation.objects.count() == count
