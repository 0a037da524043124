"""Accounts: logging in, passwords, creating people and giving them roles."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sabaq.accounts.models import Membership, Role, User
from sabaq.accounts.services import (
    LoginError,
    login_slips_issue,
    login_suggest,
    login_verify,
    membership_add,
    password_change,
    password_generate,
    password_reset,
    person_create,
    person_set_language,
    person_update,
)
from sabaq.accounts.tests import messages
from sabaq.core.demo import DEMO_PASSWORD
from sabaq.core.models import AuditEntry
from sabaq.core.tests.factories import MembershipFactory, UserFactory
from sabaq.core.validators import iin_build, parse_iin


def login_error(identifier: str, password: str) -> LoginError:
    with pytest.raises(LoginError) as caught:
        login_verify(identifier=identifier, password=password)
    return caught.value


def fail_logins(login: str, times: int) -> LoginError:
    error = None
    for _attempt in range(times):
        error = login_error(login, "not-the-password")
    return error


def validation_error(call, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value


def row_counts() -> tuple[int, int, int]:
    return (
        User.objects.count(),
        Membership.objects.count(),
        AuditEntry.objects.count(),
    )


def new_student(demo, **fields):
    values = {
        "actor": demo.membership("director"),
        "organisation": demo.organisations["urban"],
        "role": Role.STUDENT,
        "surname": "Серікова",
        "name": "Алма",
        **fields,
    }
    return person_create(**values)


# Logging in


def test_person_logs_in_with_their_login_in_any_letter_case(demo):
    assert (
        login_verify(identifier="BeKoVa", password=DEMO_PASSWORD)
        == (demo.people["director"])
    )


def test_person_logs_in_with_their_iin(demo):
    director = demo.people["director"]

    assert login_verify(identifier=director.iin, password=DEMO_PASSWORD) == director


def test_login_typed_with_spaces_around_it_is_found(demo):
    assert (
        login_verify(identifier="  omarov ", password=DEMO_PASSWORD)
        == (demo.people["deputy"])
    )


def test_wrong_password_and_unknown_login_give_the_identical_message(demo):
    wrong_password = login_error("bekova", "not-the-password")
    unknown_login = login_error("nobody-has-this-login", DEMO_PASSWORD)
    unknown_iin = login_error(iin_build(timezone.localdate(), "male", 9), "x")

    assert wrong_password.message == messages.wrong_login()
    assert unknown_login.message == wrong_password.message
    assert unknown_iin.message == wrong_password.message
    assert not wrong_password.locked
    assert not unknown_login.locked
    assert not unknown_iin.locked


def test_empty_login_gives_the_same_message(demo):
    assert login_error("   ", DEMO_PASSWORD).message == messages.wrong_login()


def test_deactivated_person_cannot_log_in_with_the_right_password(demo):
    person = demo.people["teacher_ru"]
    person.is_active = False
    person.save()

    assert login_error("ivanova", DEMO_PASSWORD).message == messages.wrong_login()


def test_successful_login_forgets_earlier_failures(demo, settings):
    fail_logins("bekova", settings.LOGIN_LOCK_ATTEMPTS - 1)

    login_verify(identifier="bekova", password=DEMO_PASSWORD)

    # A full series of failures is needed again before the lock.
    error = fail_logins("bekova", settings.LOGIN_LOCK_ATTEMPTS - 1)
    assert not error.locked


def test_account_is_locked_after_the_set_number_of_failures(demo, settings):
    error = fail_logins("bekova", settings.LOGIN_LOCK_ATTEMPTS - 1)
    assert not error.locked

    error = login_error("bekova", "not-the-password")

    assert error.locked
    assert error.message == messages.locked(settings.LOGIN_LOCK_MINUTES)
    director = User.objects.get(login="bekova")
    assert director.locked_until > timezone.now() + timedelta(
        minutes=settings.LOGIN_LOCK_MINUTES - 1
    )
    assert AuditEntry.objects.filter(
        action="accounts.login_locked", target_id=str(director.pk)
    ).exists()


def test_lock_follows_the_attempts_setting(demo, settings):
    settings.LOGIN_LOCK_ATTEMPTS = 2

    assert not login_error("omarov", "wrong").locked
    assert login_error("omarov", "wrong").locked


def test_right_password_is_refused_while_the_account_is_locked(demo, settings):
    fail_logins("bekova", settings.LOGIN_LOCK_ATTEMPTS)

    error = login_error("bekova", DEMO_PASSWORD)

    assert error.locked


def test_locked_account_cannot_be_reached_by_its_iin_either(demo, settings):
    fail_logins("bekova", settings.LOGIN_LOCK_ATTEMPTS)

    assert login_error(demo.people["director"].iin, DEMO_PASSWORD).locked


def test_lock_message_counts_the_minutes_left_rounded_up(demo):
    User.objects.filter(login="bekova").update(
        locked_until=timezone.now() + timedelta(minutes=4, seconds=30)
    )

    error = login_error("bekova", DEMO_PASSWORD)

    assert error.message == messages.locked(5)


def test_right_password_works_again_once_the_lock_has_passed(demo, settings):
    fail_logins("bekova", settings.LOGIN_LOCK_ATTEMPTS)
    User.objects.filter(login="bekova").update(
        locked_until=timezone.now() - timedelta(seconds=1)
    )

    person = login_verify(identifier="bekova", password=DEMO_PASSWORD)

    person.refresh_from_db()
    assert person.locked_until is None
    assert person.failed_login_count == 0


def test_wrong_password_after_the_lock_has_passed_is_an_ordinary_failure(
    demo, settings
):
    fail_logins("bekova", settings.LOGIN_LOCK_ATTEMPTS)
    User.objects.filter(login="bekova").update(
        locked_until=timezone.now() - timedelta(seconds=1)
    )

    error = login_error("bekova", "not-the-password")

    assert not error.locked
    assert error.message == messages.wrong_login()


def test_lock_of_one_person_leaves_others_able_to_log_in(demo, settings):
    fail_logins("bekova", settings.LOGIN_LOCK_ATTEMPTS)

    assert (
        login_verify(identifier="omarov", password=DEMO_PASSWORD)
        == (demo.people["deputy"])
    )


# Passwords


def test_generated_password_is_two_groups_of_four_unambiguous_characters():
    for _attempt in range(50):
        password = password_generate()

        assert re.fullmatch(r"[a-km-np-z2-9]{4}-[a-km-np-z2-9]{4}", password)
        assert not set(password) & set("01ilo")


def test_person_changes_their_password_and_the_old_one_stops_working(demo):
    person = demo.people["teacher_ru"]

    password_change(
        user=person, old_password=DEMO_PASSWORD, new_password="kazakh-steppe-42"
    )

    assert login_verify(identifier="ivanova", password="kazakh-steppe-42") == person
    assert not login_error("ivanova", DEMO_PASSWORD).locked
    assert AuditEntry.objects.filter(
        action="accounts.password_change", target_id=str(person.pk)
    ).exists()


def test_changing_the_first_password_lifts_the_must_change_flag(demo):
    created = new_student(demo)

    password_change(
        user=created.person,
        old_password=created.password,
        new_password="kazakh-steppe-42",
    )

    created.person.refresh_from_db()
    assert not created.person.must_change_password


def test_password_change_with_a_wrong_current_password_is_refused(demo):
    person = demo.people["teacher_ru"]

    error = validation_error(
        password_change,
        user=person,
        old_password="not-the-password",
        new_password="kazakh-steppe-42",
    )

    assert set(error.message_dict) == {"old_password"}
    person.refresh_from_db()
    assert person.check_password(DEMO_PASSWORD)


@pytest.mark.parametrize(
    "new_password",
    [
        "k7-x4",  # too short
        "8402917365",  # digits only
        "password123",  # common
        "ivanova2024",  # like the login
        DEMO_PASSWORD,  # the same as now
    ],
)
def test_weak_or_unchanged_new_password_is_refused(demo, new_password):
    person = demo.people["teacher_ru"]

    error = validation_error(
        password_change,
        user=person,
        old_password=DEMO_PASSWORD,
        new_password=new_password,
    )

    assert set(error.message_dict) == {"new_password"}
    person.refresh_from_db()
    assert person.check_password(DEMO_PASSWORD)


def test_director_issues_a_new_first_password_to_a_student(demo):
    student = demo.people["student_aruzhan"]

    password = password_reset(actor=demo.membership("director"), person=student)

    student.refresh_from_db()
    assert student.must_change_password
    assert login_verify(identifier="aruzhan", password=password) == student
    assert login_error("aruzhan", DEMO_PASSWORD).message == messages.wrong_login()
    assert AuditEntry.objects.filter(
        action="accounts.password_reset",
        school=demo.organisations["urban"],
        target_id=str(student.pk),
    ).exists()


def test_new_first_password_also_unlocks_the_account(demo, settings):
    fail_logins("aruzhan", settings.LOGIN_LOCK_ATTEMPTS)

    password = password_reset(
        actor=demo.membership("deputy"), person=demo.people["student_aruzhan"]
    )

    assert login_verify(identifier="aruzhan", password=password)


def test_director_cannot_reset_the_password_of_another_schools_student(demo):
    student = demo.people["student_yerasyl"]

    with pytest.raises(PermissionDenied):
        password_reset(actor=demo.membership("director"), person=student)

    student.refresh_from_db()
    assert student.check_password(DEMO_PASSWORD)


def test_teacher_cannot_reset_a_students_password(demo):
    with pytest.raises(PermissionDenied):
        password_reset(
            actor=demo.membership("class_teacher"),
            person=demo.people["student_aruzhan"],
        )


def test_deputy_head_cannot_reset_the_directors_password(demo):
    with pytest.raises(PermissionDenied):
        password_reset(actor=demo.membership("deputy"), person=demo.people["director"])


def test_director_resets_the_deputy_heads_password(demo):
    deputy = demo.people["deputy"]

    password = password_reset(actor=demo.membership("director"), person=deputy)

    assert User.objects.get(pk=deputy.pk).check_password(password)


def test_deputy_head_cannot_name_a_director(demo):
    with pytest.raises(PermissionDenied):
        new_student(demo, actor=demo.membership("deputy"), role=Role.DIRECTOR)


def test_school_cannot_reset_the_password_of_an_officer_who_is_a_parent_there(demo):
    officer = demo.people["district_officer"]
    MembershipFactory(
        user=officer, organisation=demo.organisations["urban"], role=Role.PARENT
    )

    with pytest.raises(PermissionDenied):
        password_reset(actor=demo.membership("director"), person=officer)

    officer.refresh_from_db()
    assert officer.check_password(DEMO_PASSWORD)


def test_login_slips_give_each_person_a_new_password_that_works(demo):
    people = [demo.people["student_aruzhan"], demo.people["student_maksim"]]

    issued = login_slips_issue(actor=demo.membership("deputy"), people=people)

    assert [item.person for item in issued] == people
    assert len({item.password for item in issued}) == 2
    for item in issued:
        assert login_verify(identifier=item.person.login, password=item.password) == (
            item.person
        )
        item.person.refresh_from_db()
        assert item.person.must_change_password


def test_login_slips_with_someone_of_another_school_change_nobodys_password(demo):
    people = [demo.people["student_aruzhan"], demo.people["student_yerasyl"]]

    with pytest.raises(PermissionDenied):
        login_slips_issue(actor=demo.membership("director"), people=people)

    assert login_verify(identifier="aruzhan", password=DEMO_PASSWORD)


# Creating people


def test_director_creates_a_student_with_a_login_and_a_first_password(demo):
    created = new_student(demo, iin=" 061211600012 ", phone="8 701 234 56 78")

    person = User.objects.get(pk=created.person.pk)
    assert person.login == "serikova.alma"
    assert person.iin == "061211600012"
    assert person.phone == "+77012345678"
    assert person.must_change_password
    assert login_verify(identifier="serikova.alma", password=created.password) == (
        person
    )
    assert Membership.objects.filter(
        user=person,
        organisation=demo.organisations["urban"],
        role=Role.STUDENT,
        is_active=True,
    ).exists()


def test_creating_a_person_writes_the_audit_log(demo):
    created = new_student(demo)

    entry = AuditEntry.objects.get(
        action="accounts.person_create", target_id=str(created.person.pk)
    )
    assert entry.actor == demo.people["director"]
    assert entry.school == demo.organisations["urban"]
    assert entry.after["login"] == "serikova.alma"
    assert AuditEntry.objects.filter(
        action="accounts.membership_add", target_id=str(created.person.pk)
    ).exists()


def test_login_is_made_from_the_name_in_latin_letters(demo):
    created = new_student(demo, surname="Жұмабаева", name="Әлия")

    assert created.person.login == "zhumabaeva.aliya"


def test_second_person_of_the_same_name_gets_a_numbered_login(demo):
    first = new_student(demo)
    second = new_student(demo)

    assert first.person.login == "serikova.alma"
    assert second.person.login == "serikova.alma2"


def test_login_suggestion_for_a_name_without_latin_equivalents_is_user(db):
    assert login_suggest(surname="李", name="明") == "user"


def test_chosen_login_is_kept_in_lower_case(demo):
    assert new_student(demo, login="Alma.S").person.login == "alma.s"


@pytest.mark.parametrize(
    ("login", "field"),
    [("BEKOVA", "login"), ("a b", "login"), ("123456789012", "login")],
)
def test_taken_or_malformed_chosen_login_is_refused(demo, login, field):
    before = row_counts()

    error = validation_error(new_student, demo=demo, login=login)

    assert set(error.message_dict) == {field}
    assert row_counts() == before


def test_person_with_a_known_iin_gets_a_role_instead_of_a_second_account(demo):
    teacher = demo.people["class_teacher"]
    users_before = User.objects.count()

    created = person_create(
        actor=demo.membership("director"),
        organisation=demo.organisations["urban"],
        role=Role.PARENT,
        surname="Other",
        name="Spelling",
        iin=teacher.iin,
    )

    assert created.person == teacher
    assert created.password is None
    assert User.objects.count() == users_before
    assert set(teacher.memberships.values_list("role", flat=True)) == {
        Role.TEACHER,
        Role.PARENT,
    }
    teacher.refresh_from_db()
    assert teacher.surname == "Сәрсенова"
    assert teacher.check_password(DEMO_PASSWORD)


def test_person_with_a_known_iin_and_the_same_role_is_refused(demo):
    teacher = demo.people["class_teacher"]

    error = validation_error(new_student, demo=demo, role=Role.TEACHER, iin=teacher.iin)

    assert set(error.message_dict) == {"iin"}


def test_director_of_one_school_cannot_create_people_in_another(demo):
    before = row_counts()

    with pytest.raises(PermissionDenied):
        new_student(demo, actor=demo.membership("rural_director"))

    assert row_counts() == before


def test_teacher_cannot_create_people(demo):
    with pytest.raises(PermissionDenied):
        new_student(demo, actor=demo.membership("class_teacher"))


def test_director_cannot_give_an_officers_role_in_their_school(demo):
    error = validation_error(new_student, demo=demo, role=Role.DISTRICT_OFFICER)

    assert set(error.message_dict) == {"role"}


def test_director_cannot_create_an_officer_in_the_district(demo):
    with pytest.raises(PermissionDenied):
        new_student(
            demo,
            organisation=demo.organisations["district"],
            role=Role.DISTRICT_OFFICER,
        )


def test_platform_admin_creates_the_first_director_of_a_school(demo):
    created = new_student(
        demo,
        actor=demo.membership("admin"),
        organisation=demo.organisations["rural"],
        role=Role.DIRECTOR,
    )

    assert created.person.memberships.get().role == Role.DIRECTOR


def test_bad_iin_and_phone_are_refused_by_field_and_nothing_is_saved(demo):
    before = row_counts()

    error = validation_error(
        new_student, demo=demo, iin="850808310731", phone="+7 7172 123456"
    )

    assert set(error.message_dict) == {"iin", "phone"}
    assert row_counts() == before


def test_bin_given_as_an_iin_is_refused_with_the_bin_message(demo):
    with pytest.raises(ValidationError) as bin_rule:
        parse_iin("080440001234")
    assert bin_rule.value.code == "iin_is_bin"

    error = validation_error(new_student, demo=demo, iin="080440001234")

    assert error.message_dict["iin"] == bin_rule.value.messages


def test_blank_surname_and_name_are_refused_by_field(demo):
    error = validation_error(new_student, demo=demo, surname="  ", name="")

    assert set(error.message_dict) == {"surname", "name"}


def test_unknown_language_is_refused(demo):
    error = validation_error(new_student, demo=demo, language="de")

    assert set(error.message_dict) == {"language"}


# Changing people and roles


def test_director_changes_a_students_phone_and_the_log_keeps_both(demo):
    student = demo.people["student_aruzhan"]

    person_update(
        actor=demo.membership("director"),
        person=student,
        surname=student.surname,
        name=student.name,
        patronymic=student.patronymic,
        iin=student.iin,
        phone="8 (747) 123-45-67",
        email="",
        language="kk",
    )

    student.refresh_from_db()
    assert student.phone == "+77471234567"
    entry = AuditEntry.objects.get(
        action="accounts.person_update", target_id=str(student.pk)
    )
    assert entry.before["phone"] == ""
    assert entry.after["phone"] == "+77471234567"


def test_iin_of_another_person_is_refused_on_update(demo):
    student = demo.people["student_aruzhan"]

    error = validation_error(
        person_update,
        actor=demo.membership("director"),
        person=student,
        surname=student.surname,
        name=student.name,
        patronymic="",
        iin=demo.people["student_maksim"].iin,
        phone="",
        email="",
        language="kk",
    )

    assert set(error.message_dict) == {"iin"}
    student.refresh_from_db()
    assert student.iin != demo.people["student_maksim"].iin


def test_director_cannot_update_a_person_of_another_school(demo):
    student = demo.people["student_yerasyl"]

    with pytest.raises(PermissionDenied):
        person_update(
            actor=demo.membership("director"),
            person=student,
            surname="Changed",
            name=student.name,
            patronymic="",
            iin="",
            phone="",
            email="",
            language="kk",
        )


def test_giving_the_same_role_twice_keeps_one_membership_and_one_log_entry(demo):
    person = UserFactory()
    actor = demo.membership("director")
    urban = demo.organisations["urban"]

    first = membership_add(
        actor=actor, person=person, organisation=urban, role="parent"
    )
    second = membership_add(
        actor=actor, person=person, organisation=urban, role="parent"
    )

    assert first == second
    assert (
        AuditEntry.objects.filter(
            action="accounts.membership_add", target_id=str(person.pk)
        ).count()
        == 1
    )


def test_giving_back_a_role_that_was_taken_away_makes_it_active_again(demo):
    membership = MembershipFactory(
        organisation=demo.organisations["urban"], role=Role.PARENT, is_active=False
    )

    again = membership_add(
        actor=demo.membership("deputy"),
        person=membership.user,
        organisation=demo.organisations["urban"],
        role=Role.PARENT,
    )

    assert again.pk == membership.pk
    assert again.is_active


def test_role_that_does_not_fit_the_organisation_is_refused(demo):
    error = validation_error(
        membership_add,
        actor=demo.membership("admin"),
        person=UserFactory(),
        organisation=demo.organisations["district"],
        role=Role.TEACHER,
    )

    assert set(error.message_dict) == {"role"}


def test_person_chooses_their_language(demo):
    person = demo.people["class_teacher"]

    person_set_language(user=person, language="ru")

    person.refresh_from_db()
    assert person.language == "ru"


def test_language_outside_the_three_is_refused(demo):
    error = validation_error(
        person_set_language, user=demo.people["class_teacher"], language="de"
    )

    assert set(error.message_dict) == {"language"}
