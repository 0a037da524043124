"""Writes to personal files: students, guardians, transfers, staff, exports.

Messages are compared with what `gettext` gives for their English source, so
the tests hold whether or not a translation is compiled.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import load_workbook

from sabaq.accounts.models import Membership, Role, User
from sabaq.core.errors import ApplicationError
from sabaq.core.models import AuditEntry
from sabaq.core.validators import iin_build
from sabaq.people import services
from sabaq.people.models import (
    Enrolment,
    Guardianship,
    HealthGroup,
    QualificationCategory,
    Relation,
    StaffRecord,
    StudentRecord,
)
from sabaq.people.selectors import children_in_school, school_students
from sabaq.people.tests.factories import new_iin, person_in, school_class
from sabaq.schools.models import Subgroup, SubgroupMember, Subject

BORN = datetime.date(2013, 3, 14)


def refused(call, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value


def counts() -> tuple[int, int, int, int]:
    return (
        User.objects.count(),
        Membership.objects.count(),
        StudentRecord.objects.count(),
        AuditEntry.objects.count(),
    )


def add_student(demo, actor="deputy", **fields) -> StudentRecord:
    values = {"surname": "Сейтқали", "name": "Нұрлан", "iin": new_iin(BORN), **fields}
    return services.student_add(actor=demo.membership(actor), **values)


# Adding a student


def test_deputy_adds_a_student_with_account_file_and_class_in_one_step(demo):
    urban = demo.organisations["urban"]
    five_a = school_class(urban)

    record = add_student(demo, school_class=five_a, address="Қосшы, Абай 3")

    student = record.student
    assert record.school == urban
    assert record.address == "Қосшы, Абай 3"
    assert Membership.objects.filter(
        user=student, organisation=urban, role=Role.STUDENT, is_active=True
    ).exists()
    assert Enrolment.objects.get(student=student, ends_on=None).school_class == five_a
    assert student.must_change_password


def test_new_students_date_of_birth_and_sex_come_from_the_iin(demo):
    iin = iin_build(datetime.date(2012, 10, 19), "female", 901)

    record = add_student(demo, iin=iin)

    assert record.birth_date == datetime.date(2012, 10, 19)
    assert record.sex == "female"


def test_birth_date_contradicting_the_iin_is_refused_naming_both_and_saving_nothing(
    demo,
):
    before = counts()

    error = refused(
        add_student,
        demo=demo,
        iin=iin_build(datetime.date(2012, 10, 19), "female", 902),
        birth_date=datetime.date(2012, 10, 20),
    )

    message = error.message_dict["birth_date"][0]
    assert "20.10.2012" in message
    assert "19.10.2012" in message
    assert message == gettext(
        "The date of birth %(typed)s contradicts the IIN, which gives "
        "%(derived)s. Correct the date of birth or the IIN."
    ) % {"typed": "20.10.2012", "derived": "19.10.2012"}
    assert counts() == before


def test_sex_contradicting_the_iin_is_refused(demo):
    error = refused(add_student, demo=demo, iin=new_iin(BORN, "male"), sex="female")

    assert set(error.message_dict) == {"sex"}


def test_matching_birth_date_and_sex_typed_with_the_iin_are_accepted(demo):
    record = add_student(demo, iin=new_iin(BORN, "male"), birth_date=BORN, sex="male")

    assert (record.birth_date, record.sex) == (BORN, "male")


def test_student_who_studies_at_another_school_is_not_added_but_transferred(demo):
    aisha = demo.people["student_aisha"]
    before = counts()

    error = refused(add_student, demo=demo, iin=aisha.iin)

    assert error.message_dict["iin"] == [
        gettext(
            "A student with this IIN studies at another school on Sabaq. Ask "
            "that school to transfer them to yours."
        )
    ]
    assert counts() == before


def test_teacher_cannot_add_a_student(demo):
    with pytest.raises(PermissionDenied):
        add_student(demo, actor="class_teacher")


def test_class_of_another_school_cannot_be_given(demo):
    rural_class = school_class(demo.organisations["rural"])
    before = counts()

    with pytest.raises(PermissionDenied):
        add_student(demo, school_class=rural_class)

    assert counts() == before


# Editing a file


def file_fields(record: StudentRecord, **changes) -> dict:
    student = record.student
    values = {
        "surname": student.surname,
        "name": student.name,
        "patronymic": student.patronymic,
        "iin": student.iin or "",
        "phone": student.phone,
        **{field: getattr(record, field) for field in services.STUDENT_RECORD_FIELDS},
    }
    return values | changes


def aruzhans_file(demo) -> StudentRecord:
    return StudentRecord.objects.get(
        student=demo.people["student_aruzhan"], is_archived=False
    )


def test_deputy_edits_a_file_and_the_audit_log_keeps_before_and_after(demo):
    record = aruzhans_file(demo)

    services.student_record_update(
        actor=demo.membership("deputy"),
        record=record,
        **file_fields(record, health_group=HealthGroup.SPECIAL),
    )

    entry = AuditEntry.objects.filter(action="people.student_record_update").latest(
        "id"
    )
    assert entry.target_id == str(record.pk)
    assert entry.school == demo.organisations["urban"]
    assert entry.actor == demo.people["deputy"]
    assert entry.before["health_group"] == HealthGroup.BASIC
    assert entry.after["health_group"] == HealthGroup.SPECIAL


def test_saving_an_unchanged_file_writes_nothing_to_the_audit_log(demo):
    record = aruzhans_file(demo)
    before = AuditEntry.objects.count()

    services.student_record_update(
        actor=demo.membership("deputy"), record=record, **file_fields(record)
    )

    assert AuditEntry.objects.count() == before


def test_file_with_one_bad_field_changes_nothing_at_all(demo):
    record = aruzhans_file(demo)
    before = counts()

    error = refused(
        services.student_record_update,
        actor=demo.membership("deputy"),
        record=record,
        **file_fields(record, address="Жаңа мекенжай", phone="8 727 123 45 67"),
    )

    assert "phone" in error.message_dict
    record.refresh_from_db()
    assert record.address != "Жаңа мекенжай"
    assert counts() == before


def test_changing_the_surname_in_the_file_changes_the_account(demo):
    record = aruzhans_file(demo)

    services.student_record_update(
        actor=demo.membership("deputy"),
        record=record,
        **file_fields(record, surname="Ахметқызы"),
    )

    assert User.objects.get(pk=record.student_id).surname == "Ахметқызы"


def test_deputy_of_another_school_cannot_edit_the_file(demo):
    record = aruzhans_file(demo)

    with pytest.raises(PermissionDenied):
        services.student_record_update(
            actor=demo.membership("rural_deputy"),
            record=record,
            **file_fields(record, address="Ақмол"),
        )


def test_file_is_opened_for_a_student_who_had_none(demo):
    student = person_in(demo.organisations["urban"])

    record = services.student_record_create(
        actor=demo.membership("deputy"),
        student=student,
        surname=student.surname,
        name=student.name,
        iin=student.iin,
        file_number="Қ-500",
    )

    assert record.file_number == "Қ-500"
    assert AuditEntry.objects.filter(
        action="people.student_record_create", target_id=str(record.pk)
    ).exists()


# Transfers


def transfer(demo, student_key="student_aruzhan", **fields):
    values = {
        "transferred_on": timezone.localdate(),
        "order_number": "45-Ж",
        "destination": demo.organisations["rural"],
        **fields,
    }
    return services.student_transfer(
        actor=demo.membership("deputy"), student=demo.people[student_key], **values
    )


def test_transfer_keeps_one_identity_and_archives_the_old_file(demo):
    urban, rural = demo.organisations["urban"], demo.organisations["rural"]
    aruzhan = demo.people["student_aruzhan"]
    assert Enrolment.objects.get(student=aruzhan).ends_on is None
    users_before = User.objects.count()

    old = transfer(demo)

    old.refresh_from_db()
    assert User.objects.count() == users_before
    assert old.is_archived
    assert old.withdrawal_order == "45-Ж"
    assert old.transferred_to == rural
    new = StudentRecord.objects.get(school=rural, student=aruzhan)
    assert not new.is_archived
    assert new.address == old.address
    assert new.birth_date == old.birth_date
    assert new.admitted_on == timezone.localdate()
    assert new.file_number == ""
    assert not Membership.objects.get(
        user=aruzhan, organisation=urban, role=Role.STUDENT
    ).is_active
    assert Membership.objects.get(
        user=aruzhan, organisation=rural, role=Role.STUDENT
    ).is_active
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assert Enrolment.objects.get(student=aruzhan).ends_on == yesterday
    actions = set(
        AuditEntry.objects.filter(
            action__startswith="people.student_transfer"
        ).values_list("action", "school_id")
    )
    assert actions == {
        ("people.student_transfer_out", urban.pk),
        ("people.student_transfer_in", rural.pk),
    }


def test_transfer_takes_the_student_out_of_the_old_classs_subgroups(demo):
    aruzhan = demo.people["student_aruzhan"]
    # A class of the year including today (the demo's 2025-2026 may be over):
    # she moved into it a month ago, after her demo class.
    five_a = school_class(demo.organisations["urban"])
    month_ago = timezone.localdate() - datetime.timedelta(days=30)
    Enrolment.objects.filter(student=aruzhan, ends_on=None).update(
        ends_on=month_ago - datetime.timedelta(days=1)
    )
    Enrolment.objects.create(student=aruzhan, school_class=five_a, starts_on=month_ago)
    english = Subgroup.objects.create(
        school_class=five_a, subject=Subject.objects.get(code="english"), number=1
    )
    member = SubgroupMember.objects.create(
        subgroup=english, student=aruzhan, starts_on=month_ago
    )

    transfer(demo)

    member.refresh_from_db()
    assert member.ends_on == timezone.localdate() - datetime.timedelta(days=1)


def test_leaving_date_must_come_after_the_student_joined_the_class(demo):
    aruzhan = demo.people["student_aruzhan"]
    today = timezone.localdate()
    # She joined her class (the demo's 7 «А») only today.
    Enrolment.objects.filter(student=aruzhan).update(starts_on=today)

    error = refused(transfer, demo=demo, transferred_on=today)

    assert set(error.message_dict) == {"transferred_on"}
    assert Enrolment.objects.get(student=aruzhan).ends_on is None


def test_archived_file_refuses_any_edit_with_a_clear_message(demo):
    old = transfer(demo)
    before = counts()

    error = refused(
        services.student_record_update,
        actor=demo.membership("deputy"),
        record=old,
        **file_fields(old, address="Басқа"),
    )

    assert error.messages == [
        gettext(
            "This personal file is archived: the student left the school on "
            "%(date)s. It can no longer be changed."
        )
        % {"date": timezone.localdate().strftime("%d.%m.%Y")}
    ]
    assert counts() == before


def test_transferred_student_waits_without_a_class_in_the_new_school(demo):
    transfer(demo)
    rural_deputy = demo.membership("rural_deputy")
    aruzhan = demo.people["student_aruzhan"]

    waiting = school_students(actor=rural_deputy, without_class=True)

    assert aruzhan in waiting
    enrolment = services.enrolment_add(
        actor=rural_deputy,
        student=aruzhan,
        school_class=school_class(demo.organisations["rural"], 6, "А"),
        starts_on=timezone.localdate() + datetime.timedelta(days=1),
    )
    assert enrolment.school_class.year.school == demo.organisations["rural"]
    assert aruzhan not in school_students(actor=rural_deputy, without_class=True)
    assert aruzhan not in school_students(actor=demo.membership("deputy"))


def test_guardians_follow_a_transferred_child_to_the_new_school(demo):
    maksim = demo.people["student_maksim"]
    mother = demo.people["parent_ru"]

    transfer(demo, "student_maksim")

    rural_role = Membership.objects.get(
        user=mother, organisation=demo.organisations["rural"], role=Role.PARENT
    )
    assert rural_role.is_active
    assert list(children_in_school(actor=rural_role)) == [maksim]
    # No other child of hers studies in the urban school any more.
    assert not Membership.objects.get(
        user=mother, organisation=demo.organisations["urban"], role=Role.PARENT
    ).is_active


def test_transfer_outside_sabaq_archives_the_file_and_ends_the_role(demo):
    urban = demo.organisations["urban"]
    aruzhan = demo.people["student_aruzhan"]

    old = transfer(demo, destination=None, destination_name="Мәскеу, № 57 мектеп")

    assert old.is_archived
    assert old.withdrawal_destination == "Мәскеу, № 57 мектеп"
    assert StudentRecord.objects.filter(student=aruzhan).count() == 1
    assert not Membership.objects.filter(
        user=aruzhan, role=Role.STUDENT, is_active=True
    ).exists()
    assert aruzhan not in school_students(actor=demo.membership("deputy"))
    assert urban.pk not in Membership.objects.filter(
        user=demo.people["parent_both"], is_active=True, role=Role.PARENT
    ).values_list("organisation_id", flat=True)


def test_transfer_without_order_or_destination_names_both_and_changes_nothing(demo):
    before = counts()

    error = refused(transfer, demo=demo, order_number=" ", destination=None)

    assert set(error.message_dict) == {"order_number", "destination"}
    assert counts() == before


def test_student_who_left_cannot_be_transferred_again(demo):
    transfer(demo)

    error = refused(transfer, demo=demo)

    assert error.code == "archived"


# Guardians


def test_parent_of_another_school_found_by_iin_gets_the_parent_role_here(demo):
    aisha_mother = person_in(demo.organisations["rural"], Role.PARENT)
    alikhan = demo.people["student_alikhan"]
    users_before = User.objects.count()

    link = services.guardian_add(
        actor=demo.membership("deputy"),
        child=alikhan,
        relation=Relation.MOTHER,
        iin=aisha_mother.iin,
        surname="Басқа",
        name="Есім",
    )

    assert link.guardian == aisha_mother
    assert User.objects.count() == users_before
    aisha_mother.refresh_from_db()
    assert aisha_mother.surname != "Басқа"
    urban_role = Membership.objects.get(
        user=aisha_mother,
        organisation=demo.organisations["urban"],
        role=Role.PARENT,
    )
    assert list(children_in_school(actor=urban_role)) == [alikhan]


def test_parent_linked_in_two_schools_sees_each_child_under_that_schools_role(demo):
    mother = demo.people["parent_both"]

    urban = children_in_school(actor=demo.membership("parent_both", "urban"))
    rural = children_in_school(actor=demo.membership("parent_both", "rural"))

    assert list(urban) == [demo.people["student_aruzhan"]]
    assert list(rural) == [demo.people["student_aisha"]]
    assert mother.memberships.filter(role=Role.PARENT).count() == 2


def test_new_guardian_is_created_with_the_parent_role(demo):
    iin = new_iin(datetime.date(1985, 1, 2), "female")

    link = services.guardian_add(
        actor=demo.membership("deputy"),
        child=demo.people["student_alikhan"],
        relation=Relation.MOTHER,
        iin=iin,
        surname="Жұмабаева",
        name="Сәуле",
    )

    guardian = link.guardian
    assert guardian.iin == iin
    assert guardian.memberships.get().role == Role.PARENT


def test_guardian_without_a_name_or_relation_is_refused_and_nothing_is_made(demo):
    before = counts()

    error = refused(
        services.guardian_add,
        actor=demo.membership("deputy"),
        child=demo.people["student_alikhan"],
        relation="aunt",
        iin=new_iin(datetime.date(1985, 1, 2)),
    )

    assert set(error.message_dict) == {"relation", "surname", "name"}
    assert counts() == before


def test_unlinking_a_guardian_is_audited_and_ends_a_parent_role_left_empty(demo):
    link = Guardianship.objects.get(
        guardian=demo.people["parent_ru"], child=demo.people["student_maksim"]
    )

    services.guardian_unlink(actor=demo.membership("deputy"), guardianship=link)

    assert not Guardianship.objects.filter(pk=link.pk).exists()
    entry = AuditEntry.objects.get(action="people.guardian_unlink")
    assert entry.before == {
        "guardian": demo.people["parent_ru"].pk,
        "relation": Relation.MOTHER,
    }
    assert entry.target_id == str(demo.people["student_maksim"].pk)
    assert not Membership.objects.get(pk=demo.membership("parent_ru").pk).is_active


def test_unlinking_keeps_the_parent_role_while_another_child_studies_here(demo):
    mother = demo.people["parent_ru"]
    services.guardian_add(
        actor=demo.membership("deputy"),
        child=demo.people["student_alikhan"],
        relation=Relation.GUARDIAN,
        iin=mother.iin,
    )
    link = Guardianship.objects.get(
        guardian=mother, child=demo.people["student_maksim"]
    )

    services.guardian_unlink(actor=demo.membership("deputy"), guardianship=link)

    assert Membership.objects.get(pk=demo.membership("parent_ru").pk).is_active


def test_teacher_cannot_link_a_guardian(demo):
    with pytest.raises(PermissionDenied):
        services.guardian_add(
            actor=demo.membership("class_teacher"),
            child=demo.people["student_alikhan"],
            relation=Relation.FATHER,
            iin=demo.people["teacher_ru"].iin,
        )


# Staff files


def staff_file(demo, person_key="class_teacher", **fields) -> StaffRecord:
    record = StaffRecord.objects.get(person=demo.people[person_key])
    values = {
        "position": record.position,
        "category": record.category,
        "category_given_on": record.category_given_on,
        "attestation_due_on": None,
        "education": record.education,
        "subjects": list(record.subjects.all()),
        "hired_on": record.hired_on,
        "load_rate": record.load_rate,
        **fields,
    }
    return services.staff_record_update(
        actor=demo.membership("deputy"), record=record, **values
    )


def test_teachers_next_attestation_defaults_to_five_years_after_the_category(demo):
    record = staff_file(demo, category_given_on=datetime.date(2024, 2, 29))

    assert record.attestation_due_on == datetime.date(2029, 2, 28)


def test_deputy_heads_next_attestation_defaults_to_three_years(demo):
    record = staff_file(demo, "deputy", category_given_on=datetime.date(2023, 5, 10))

    assert record.attestation_due_on == datetime.date(2026, 5, 10)


def test_an_earlier_attestation_date_may_be_set_but_not_a_later_one(demo):
    given = datetime.date(2022, 9, 1)
    earlier = staff_file(
        demo, category_given_on=given, attestation_due_on=datetime.date(2025, 9, 1)
    )
    assert earlier.attestation_due_on == datetime.date(2025, 9, 1)

    error = refused(
        staff_file,
        demo=demo,
        category_given_on=given,
        attestation_due_on=datetime.date(2027, 9, 2),
    )

    assert set(error.message_dict) == {"attestation_due_on"}
    assert "01.09.2027" in error.message_dict["attestation_due_on"][0]


def test_staff_file_change_is_audited_with_subjects_as_codes(demo):
    maths = Subject.objects.get(school=None, code="mathematics")

    record = staff_file(demo, subjects=[maths], load_rate=Decimal("18"))

    entry = AuditEntry.objects.filter(action="people.staff_record_update").latest("id")
    assert entry.target_id == str(record.pk)
    assert entry.before["subjects"] == []
    assert entry.after["subjects"] == ["mathematics"]
    assert entry.after["load_rate"] == "18"


def test_load_outside_half_an_hour_to_forty_hours_is_refused(demo):
    error = refused(staff_file, demo=demo, load_rate=Decimal("0"))

    assert set(error.message_dict) == {"load_rate"}


def test_deputy_adds_a_teacher_with_account_and_staff_file(demo):
    record = services.staff_add(
        actor=demo.membership("deputy"),
        surname="Оспанова",
        name="Гүлжан",
        iin=new_iin(datetime.date(1990, 4, 4), "female"),
        position="Химия мұғалімі",
        category=QualificationCategory.MODERATOR,
        category_given_on=datetime.date(2024, 1, 15),
    )

    assert record.person.memberships.get().role == Role.TEACHER
    assert record.attestation_due_on == datetime.date(2029, 1, 15)


def test_staff_file_of_a_student_cannot_be_opened(demo):
    with pytest.raises(PermissionDenied):
        services.staff_record_create(
            actor=demo.membership("deputy"),
            person=demo.people["student_aruzhan"],
            position="Мұғалім",
        )


# Exports


def test_export_of_students_writes_the_row_count_to_the_audit_log(demo):
    export = services.personal_data_export(
        actor=demo.membership("deputy"), kind="students"
    )

    sheet = load_workbook(io.BytesIO(export.content)).active
    assert export.rows == 3
    assert sheet.max_row == 1 + export.rows
    assert sheet["A1"].value == "ЖСН / ИИН"
    entry = AuditEntry.objects.get(action="people.personal_data_export")
    assert entry.after == {"kind": "students", "rows": 3}
    assert entry.actor == demo.people["deputy"]
    assert entry.school == demo.organisations["urban"]


def test_teacher_cannot_export_personal_data(demo):
    with pytest.raises(PermissionDenied):
        services.personal_data_export(actor=demo.membership("teacher_ru"), kind="staff")

    assert not AuditEntry.objects.filter(action="people.personal_data_export").exists()


def test_exports_are_limited_per_hour(demo):
    actor = demo.membership("director")
    for _time in range(services.EXPORTS_PER_HOUR):
        services.personal_data_export(actor=actor, kind="staff")

    with pytest.raises(ApplicationError):
        services.personal_data_export(actor=actor, kind="staff")

    assert (
        AuditEntry.objects.filter(action="people.personal_data_export").count()
        == services.EXPORTS_PER_HOUR
    )
