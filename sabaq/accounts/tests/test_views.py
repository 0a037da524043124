"""Accounts pages through the test client: logging in, passwords, languages,
roles and the people of a school.

Translated messages are compared with what `gettext` gives for the page's
language, so the tests hold whether or not a translation is compiled yet.
"""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from pypdf import PdfReader

from sabaq.accounts import services
from sabaq.accounts.models import Role, User
from sabaq.accounts.selectors import SESSION_KEY
from sabaq.accounts.tests import messages
from sabaq.core.demo import DEMO_PASSWORD
from sabaq.core.tests.factories import MembershipFactory

LOGIN = reverse("accounts:login")
HOME = reverse("accounts:home")
PASSWORD = reverse("accounts:password_change")
PROFILE = reverse("accounts:profile")
LANGUAGE = reverse("accounts:language_set")
ROLE = reverse("accounts:role_choose")
PEOPLE = reverse("accounts:person_list")
PERSON_CREATE = reverse("accounts:person_create")
LOGIN_SLIPS = reverse("accounts:login_slips")

WRONG_CURRENT_PASSWORD = "The current password is not correct."
PASSWORD_CHANGED = "Your password has been changed."
IIN_CHECK_DIGIT = "The last digit of this IIN does not match; check it for a typo."
PHONE_NOT_MOBILE = (
    "%(code)s is not a Kazakh mobile operator code; enter a mobile "
    "number such as +7 701 234 56 78."
)
NEW_PASSWORD = "kazakh-steppe-42"


def message(source: str, **params):
    """A message to look for: its source text through `gettext`."""

    def make() -> str:
        text = gettext(source)
        return text % params if params else text

    return make


def translated(language: str, make) -> str:
    with translation.override(language):
        return make()


def has_compiled_translations(language: str) -> bool:
    locale = Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.mo"
    return locale.is_file()


def assert_shows(response, language: str, make) -> None:
    """The page shows the message in `language`, and not in English if translated."""
    content = response.content.decode()
    expected = translated(language, make)
    assert escape(expected) in content
    english = translated("en", make)
    if has_compiled_translations(language) and expected != english:
        assert escape(english) not in content


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def log_in(client, identifier: str, password: str):
    return client.post(LOGIN, {"identifier": identifier, "password": password})


def new_teacher(demo, **fields):
    values = {
        "actor": demo.membership("director"),
        "organisation": demo.organisations["urban"],
        "role": Role.TEACHER,
        "surname": "Әбенова",
        "name": "Жанар",
        **fields,
    }
    return services.person_create(**values)


# Logging in


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
@pytest.mark.parametrize(
    ("identifier", "password"),
    [("bekova", "not-the-password"), ("nobody-has-this-login", DEMO_PASSWORD)],
)
def test_bad_credentials_show_one_generic_message_and_do_not_log_in(
    demo, client, language, identifier, password
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = log_in(client, identifier, password)

    assert response.status_code == 200
    assert_shows(response, language, messages.wrong_login)
    assert logged_in_user_id(client) is None


def test_lockout_shows_how_many_minutes_the_account_is_locked(demo, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    for _attempt in range(settings.LOGIN_LOCK_ATTEMPTS - 1):
        log_in(client, "bekova", "not-the-password")

    locking = log_in(client, "bekova", "not-the-password")
    right_password = log_in(client, "bekova", DEMO_PASSWORD)

    def locked():
        return messages.locked(settings.LOGIN_LOCK_MINUTES)

    assert_shows(locking, "ru", locked)
    assert_shows(right_password, "ru", locked)
    assert logged_in_user_id(client) is None


def test_person_logs_in_by_iin_and_gets_the_site_in_their_language(demo, client):
    teacher = demo.people["teacher_ru"]

    response = log_in(client, teacher.iin, DEMO_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == HOME
    assert logged_in_user_id(client) == str(teacher.pk)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"


def test_login_goes_on_to_the_page_asked_for(demo, client):
    response = client.post(
        LOGIN,
        {"identifier": "bekova", "password": DEMO_PASSWORD, "next": PEOPLE},
    )

    assert response["Location"] == PEOPLE


def test_login_never_sends_a_person_to_another_site(demo, client):
    response = client.post(
        LOGIN,
        {
            "identifier": "bekova",
            "password": DEMO_PASSWORD,
            "next": "https://evil.example/",
        },
    )

    assert response["Location"] == HOME


def test_logged_in_person_opening_the_login_page_goes_home(demo, client_as):
    response = client_as(demo.membership("director")).get(LOGIN)

    assert response.status_code == 302
    assert response["Location"] == HOME


def test_logout_needs_a_post_and_then_ends_the_session(demo, client_as):
    client = client_as(demo.membership("director"))

    assert client.get(reverse("accounts:logout")).status_code == 405
    assert logged_in_user_id(client) is not None

    response = client.post(reverse("accounts:logout"))

    assert response["Location"] == LOGIN
    assert logged_in_user_id(client) is None


# First password


def test_person_with_a_first_password_is_sent_to_change_it_from_any_page(demo, client):
    created = new_teacher(demo)
    log_in(client, created.person.login, created.password)

    for page in (HOME, PROFILE, PEOPLE, reverse("core:audit_log")):
        response = client.get(page)

        assert response.status_code == 302, page
        assert response["Location"] == PASSWORD, page


def test_person_with_a_first_password_may_still_switch_language_and_log_out(
    demo, client
):
    created = new_teacher(demo)
    log_in(client, created.person.login, created.password)

    assert client.get(PASSWORD).status_code == 200
    assert client.post(LANGUAGE, {"language": "ru"})["Location"] == HOME
    assert client.post(reverse("accounts:logout"))["Location"] == LOGIN


def test_person_goes_on_after_changing_the_first_password(demo, client):
    created = new_teacher(demo)
    log_in(client, created.person.login, created.password)

    response = client.post(
        PASSWORD,
        {
            "old_password": created.password,
            "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD,
        },
    )

    assert response["Location"] == HOME
    # The session survives the new password.
    assert logged_in_user_id(client) == str(created.person.pk)
    home = client.get(HOME)
    assert home.status_code == 200
    assert "accounts/home_teacher.html" in [t.name for t in home.templates]
    assert_shows(home, "kk", message(PASSWORD_CHANGED))


def test_two_different_new_passwords_are_refused(demo, client):
    created = new_teacher(demo)
    log_in(client, created.person.login, created.password)

    response = client.post(
        PASSWORD,
        {
            "old_password": created.password,
            "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD + "x",
        },
    )

    assert response.status_code == 200
    assert "new_password_again" in response.context["form"].errors
    created.person.refresh_from_db()
    assert created.person.must_change_password


# Languages


def test_language_switch_saves_the_persons_language_and_sets_the_cookie(
    demo, client_as
):
    client = client_as(demo.membership("class_teacher"))

    response = client.post(LANGUAGE, {"language": "ru", "next": PROFILE})

    assert response["Location"] == PROFILE
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    assert User.objects.get(login="sarsenova").language == "ru"
    assert '<html lang="ru">' in client.get(PROFILE).content.decode()


def test_visitor_switches_the_login_page_language_with_a_cookie_only(demo, client):
    response = client.post(LANGUAGE, {"language": "en", "next": LOGIN})

    assert response["Location"] == LOGIN
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get(LOGIN).content.decode()


def test_unknown_language_changes_nothing(demo, client_as):
    client = client_as(demo.membership("class_teacher"))

    response = client.post(LANGUAGE, {"language": "de", "next": PROFILE})

    assert response["Location"] == HOME
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert User.objects.get(login="sarsenova").language == "kk"


def test_language_switch_never_sends_a_person_to_another_site(demo, client):
    response = client.post(
        LANGUAGE, {"language": "ru", "next": "https://evil.example/"}
    )

    assert response["Location"] == HOME


@pytest.mark.parametrize(
    ("persona", "language"),
    [("teacher_ru", "ru"), ("class_teacher", "kk"), ("parent_ru", "ru")],
)
def test_messages_appear_in_the_persons_language(demo, client_as, persona, language):
    client = client_as(demo.membership(persona))
    # A cookie for another language must not win over the person's choice.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.post(
        PASSWORD,
        {
            "old_password": "not-the-password",
            "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD,
        },
    )

    assert f'<html lang="{language}">' in response.content.decode()
    assert_shows(response, language, message(WRONG_CURRENT_PASSWORD))


def test_success_message_appears_in_the_persons_language(demo, client_as):
    client = client_as(demo.membership("teacher_ru"))

    response = client.post(
        PASSWORD,
        {
            "old_password": DEMO_PASSWORD,
            "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD,
        },
        follow=True,
    )

    assert_shows(response, "ru", message(PASSWORD_CHANGED))


# Roles


def test_teacher_who_is_a_parent_switches_to_parent_and_sees_their_child(
    demo, client_as
):
    client = client_as(demo.membership("teacher_parent"))
    parent = demo.people["teacher_parent"].memberships.get(role=Role.PARENT)

    response = client.post(ROLE, {"membership": parent.pk})

    assert response["Location"] == HOME
    assert client.session[SESSION_KEY] == parent.pk
    home = client.get(HOME)
    assert "accounts/home_parent.html" in [t.name for t in home.templates]
    assert home.context["membership"] == parent
    assert demo.people["student_alikhan"].full_name in home.content.decode()


def test_parent_switches_back_to_teacher_and_lands_on_the_teacher_home(demo, client_as):
    parent = demo.people["teacher_parent"].memberships.get(role=Role.PARENT)
    client = client_as(parent)

    client.post(ROLE, {"membership": demo.membership("teacher_parent").pk})

    home = client.get(HOME)
    assert "accounts/home_teacher.html" in [t.name for t in home.templates]


def test_teacher_of_two_schools_switches_to_the_other_school(demo, client_as):
    rural = demo.membership("teacher_two_schools", "rural")
    client = client_as(demo.membership("teacher_two_schools"))

    client.post(ROLE, {"membership": rural.pk})

    home = client.get(HOME)
    assert home.context["membership"] == rural
    assert "accounts/home_teacher.html" in [t.name for t in home.templates]
    # The teacher reads Sabaq in Russian, so the school is named in Russian.
    assert demo.organisations["rural"].name_ru in home.content.decode()


def test_choosing_someone_elses_role_keeps_the_active_role(demo, client_as):
    client = client_as(demo.membership("teacher_parent"))

    response = client.post(
        ROLE, {"membership": demo.membership("director").pk}, follow=True
    )

    assert client.session[SESSION_KEY] == demo.membership("teacher_parent").pk
    assert_shows(response, "kk", message("Choose one of your roles."))


def test_person_with_several_roles_is_asked_to_choose_one_first(demo, client):
    client.force_login(demo.people["teacher_two_schools"])

    response = client.get(HOME)

    assert response["Location"] == ROLE
    page = client.get(ROLE)
    assert set(page.context["memberships"]) == {
        demo.membership("teacher_two_schools"),
        demo.membership("teacher_two_schools", "rural"),
    }


def test_role_menu_offers_only_the_persons_other_roles(demo, client_as):
    response = client_as(demo.membership("parent_both")).get(PROFILE)

    others = response.context["other_memberships"]()
    assert others == [demo.membership("parent_both", "rural")]


# Homes


def test_parent_sees_only_the_children_in_the_school_of_the_active_role(
    demo, client_as
):
    response = client_as(demo.membership("parent_both", "rural")).get(HOME)

    content = response.content.decode()
    assert demo.people["student_aisha"].full_name in content
    assert demo.people["student_aruzhan"].full_name not in content


def test_district_officer_sees_both_schools_with_head_counts(demo, client_as):
    response = client_as(demo.membership("district_officer")).get(HOME)

    schools = {
        s.name_kk: (s.student_count, s.teacher_count)
        for s in response.context["schools"]
    }
    assert schools == {
        demo.organisations["urban"].name_kk: (3, 4),
        demo.organisations["rural"].name_kk: (2, 2),
    }


def test_school_admin_home_counts_the_schools_people(demo, client_as):
    response = client_as(demo.membership("rural_deputy")).get(HOME)

    counts = response.context["counts"]
    assert (counts[Role.TEACHER], counts[Role.STUDENT], counts[Role.PARENT]) == (
        2,
        2,
        1,
    )


def test_person_without_any_role_is_told_so(demo, client):
    person = User.objects.create_user("lonely", "x", surname="Жалғыз", name="Адам")
    client.force_login(person)

    response = client.get(HOME)

    assert response.status_code == 200
    assert "accounts/home_no_role.html" in [t.name for t in response.templates]


# People of a school


def test_director_sees_the_people_of_their_school_only(demo, client_as):
    response = client_as(demo.membership("director")).get(PEOPLE)

    shown = {person.login for person in response.context["people"]}
    assert {"aruzhan", "maksim", "kim"} <= shown
    assert not shown & {"yerasyl", "aisha", "kasymov"}


def _person_list_queries(client, school, count: int) -> int:
    for membership in MembershipFactory.create_batch(
        count, organisation=school, role=Role.STUDENT
    ):
        MembershipFactory(user=membership.user, organisation=school, role=Role.PARENT)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(PEOPLE)
    assert response.status_code == 200
    return len(queries)


def test_person_list_query_count_does_not_grow_with_the_number_of_people(
    demo, client_as
):
    client = client_as(demo.membership("deputy"))
    urban = demo.organisations["urban"]

    few = _person_list_queries(client, urban, 5)
    many = _person_list_queries(client, urban, 15)

    assert many == few


def test_person_create_with_a_bad_iin_shows_the_message_under_the_iin_field(
    demo, client_as
):
    users_before = User.objects.count()

    response = client_as(demo.membership("director")).post(
        PERSON_CREATE,
        {
            "role": Role.STUDENT,
            "surname": "Серікова",
            "name": "Алма",
            "iin": "850808310731",
            "language": "kk",
        },
    )

    assert response.status_code == 200
    expected = escape(translated("kk", message(IIN_CHECK_DIGIT)))
    under_iin = re.search(
        r'id="id_iin_error">(.*?)</ul>', response.content.decode(), re.S
    )
    assert under_iin is not None
    assert expected in under_iin.group(1)
    assert User.objects.count() == users_before


def test_person_create_with_a_landline_names_the_operator_code(demo, client_as):
    response = client_as(demo.membership("deputy")).post(
        PERSON_CREATE,
        {
            "role": Role.PARENT,
            "surname": "Серікова",
            "name": "Алма",
            "phone": "+7 7172 123456",
            "language": "kk",
        },
    )

    assert response.context["form"].errors["phone"] == [
        translated("kk", message(PHONE_NOT_MOBILE, code="717"))
    ]


def test_person_create_shows_the_new_login_and_first_password_once(demo, client_as):
    response = client_as(demo.membership("director")).post(
        PERSON_CREATE,
        {"role": Role.STUDENT, "surname": "Серікова", "name": "Алма", "language": "kk"},
    )

    person = User.objects.get(login="serikova.alma")
    password = response.context["password"]
    assert password in response.content.decode()
    assert person.must_change_password
    assert services.login_verify(identifier=person.login, password=password) == person


def test_person_create_with_a_known_iin_adds_the_role_and_shows_no_password(
    demo, client_as
):
    teacher = demo.people["class_teacher"]

    response = client_as(demo.membership("director")).post(
        PERSON_CREATE,
        {
            "role": Role.PARENT,
            "surname": teacher.surname,
            "name": teacher.name,
            "iin": teacher.iin,
            "language": "kk",
        },
    )

    assert response.context["password"] is None
    assert teacher.memberships.filter(role=Role.PARENT).exists()
    assert teacher.check_password(DEMO_PASSWORD)


def test_person_of_another_school_is_missing_for_the_director(demo, client_as):
    client = client_as(demo.membership("director"))
    student = demo.people["student_yerasyl"]

    detail = client.get(reverse("accounts:person_detail", args=[student.pk]))
    edit = client.post(
        reverse("accounts:person_edit", args=[student.pk]),
        {"surname": "X", "name": "Y", "language": "kk"},
    )
    reset = client.post(reverse("accounts:person_password_reset", args=[student.pk]))

    assert (detail.status_code, edit.status_code, reset.status_code) == (404, 404, 404)
    student.refresh_from_db()
    assert student.surname == "Серікбай"
    assert student.check_password(DEMO_PASSWORD)


def test_director_edits_a_phone_and_returns_to_the_person(demo, client_as):
    student = demo.people["student_aruzhan"]

    response = client_as(demo.membership("director")).post(
        reverse("accounts:person_edit", args=[student.pk]),
        {
            "surname": student.surname,
            "name": student.name,
            "iin": student.iin,
            "phone": "8 701 234 56 78",
            "language": "kk",
        },
    )

    assert response["Location"] == reverse("accounts:person_detail", args=[student.pk])
    student.refresh_from_db()
    assert student.phone == "+77012345678"


def test_password_reset_page_shows_the_new_password_and_is_not_cached(demo, client_as):
    student = demo.people["student_aruzhan"]

    response = client_as(demo.membership("deputy")).post(
        reverse("accounts:person_password_reset", args=[student.pk])
    )

    password = response.context["password"]
    assert response["Cache-Control"] == "no-store"
    assert password in response.content.decode()
    assert services.login_verify(identifier="aruzhan", password=password) == student


# Login slips


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_login_slips_are_a_pdf_with_each_ticked_persons_login(demo, client_as):
    ticked = [demo.people["student_aruzhan"], demo.people["student_maksim"]]

    response = client_as(demo.membership("director")).post(
        LOGIN_SLIPS, {"person": [person.pk for person in ticked]}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"%PDF")
    text = _pdf_text(response.content)
    for person in ticked:
        assert person.login in text


def test_login_slip_passwords_work_and_the_old_ones_do_not(demo, client_as):
    ticked = [demo.people["student_aruzhan"], demo.people["student_maksim"]]

    response = client_as(demo.membership("director")).post(
        LOGIN_SLIPS, {"person": [person.pk for person in ticked]}
    )

    printed = re.findall(r"\b[a-z2-9]{4}-[a-z2-9]{4}\b", _pdf_text(response.content))
    assert len(printed) == len(ticked)
    for person in ticked:
        with pytest.raises(services.LoginError):
            services.login_verify(identifier=person.login, password=DEMO_PASSWORD)
        assert any(
            User.objects.get(pk=person.pk).check_password(password)
            for password in printed
        )
    # Nobody unticked lost their password.
    assert services.login_verify(identifier="alikhan", password=DEMO_PASSWORD)


def test_login_slips_for_people_of_another_school_print_nothing(demo, client_as):
    client = client_as(demo.membership("director"))

    response = client.post(
        LOGIN_SLIPS,
        {"person": [demo.people["student_yerasyl"].pk], "next": PEOPLE},
    )

    assert response.status_code == 302
    assert response["Location"] == PEOPLE
    assert services.login_verify(identifier="yerasyl", password=DEMO_PASSWORD)


def test_login_slips_with_nobody_ticked_ask_to_tick_someone(demo, client_as):
    response = client_as(demo.membership("director")).post(
        LOGIN_SLIPS, {"next": PEOPLE}, follow=True
    )

    tick_someone = message("Tick the people whose login slips you want to print.")
    assert_shows(response, "kk", tick_someone)
