"""Logging in through the real form: every demo persona, lockout, keyboard."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from e2e.helpers import (
    account_menu,
    choose_language,
    choose_role,
    expect_at,
    log_in,
    login_form,
    save_screen,
)
from sabaq.accounts.demo import PEOPLE, SHOWN_ORDER
from sabaq.accounts.models import Role, User
from sabaq.accounts.selectors import memberships_of
from sabaq.core.demo import DEMO_PASSWORD
from sabaq.orgs.models import Organisation, OrganisationKind
from sabaq.people.demo import LINKS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

KEY_OF_LOGIN = {person.login: person.key for person in PEOPLE}
LOGIN_OF_KEY = {person.key: person.login for person in PEOPLE}

# The logins `manage.py demo_data` prints, in its order.
PRINTED_LOGINS = ["admin", *(LOGIN_OF_KEY[key] for key in SHOWN_ORDER)]

# People with several roles pick one on the role chooser: (organisation, role).
ROLE_TO_CHOOSE = {
    "kim": ("rural", Role.TEACHER),
    "zhumabayev": ("urban", Role.PARENT),
    "gulmira": ("rural", Role.PARENT),
}


def _children_shown(demo, login: str, membership) -> list[str]:
    """Full names of the persona's children who study in the role's school."""
    guardian_key = KEY_OF_LOGIN[login]
    return [
        demo.people[child_key].full_name
        for guardian, child_key, *_rest in LINKS
        if guardian == guardian_key
        and demo.memberships[child_key].organisation_id == membership.organisation_id
    ]


@pytest.mark.parametrize("login", PRINTED_LOGINS)
def test_demo_persona_logs_in_and_lands_on_their_home(page, demo, login):
    person = User.objects.get(login=login)
    memberships = list(memberships_of(person))

    log_in(page, login)

    if login in ROLE_TO_CHOOSE:
        organisation_key, role = ROLE_TO_CHOOSE[login]
        expect(page.locator('main button[name="membership"]')).to_have_count(
            len(memberships)
        )
        organisation = demo.organisations[organisation_key]
        membership = next(
            m
            for m in memberships
            if m.role == role and m.organisation_id == organisation.pk
        )
        choose_role(page, membership)
    else:
        assert len(memberships) == 1, "only people with several roles choose one"
        membership = memberships[0]

    expect_at(page, "accounts:home")
    expect(page.locator("html")).to_have_attribute("lang", person.language)
    expect(account_menu(page).locator(".account-menu__name")).to_have_text(
        person.short_name
    )
    main = page.locator("main")
    if membership.organisation is None:
        # The platform admin sees regions, districts, schools and people.
        counts = [
            Organisation.objects.filter(kind=kind).count() for kind in OrganisationKind
        ]
        counts.append(User.objects.count())
        expect(main.locator(".stat")).to_have_text([str(n) for n in counts])
    else:
        with translation.override(person.language):
            where = membership.organisation.name
        expect(account_menu(page).locator(".account-menu__role")).to_contain_text(where)
        expect(main).to_contain_text(where)
    if membership.role in (Role.TEACHER, Role.STUDENT):
        expect(main.locator("h1")).to_contain_text(person.name)
    if membership.role == Role.PARENT:
        children = _children_shown(demo, login, membership)
        assert children, "every demo parent has a child in each of their schools"
        expect(main.locator("section.card h2")).to_have_text(children)
    save_screen(page, f"home-{login}")


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(page, demo):
    page.goto(reverse("accounts:login"))
    choose_language(page, "en")
    errors = login_form(page).locator(".form-errors")

    for attempt in range(1, settings.LOGIN_LOCK_ATTEMPTS):
        log_in(page, "maksim", f"wrong-{attempt}")
        expect(errors).to_have_text("The login or the password is not correct.")
    log_in(page, "maksim", "wrong-again")
    expect(errors).to_contain_text("locked")
    log_in(page, "maksim", DEMO_PASSWORD)

    minutes = settings.LOGIN_LOCK_MINUTES
    expect(errors).to_contain_text(re.compile(rf"locked for {minutes} min"))
    expect_at(page, "accounts:login")
    expect(account_menu(page)).to_have_count(0)
    maksim = User.objects.get(login="maksim")
    assert maksim.locked_until > timezone.now()

    # Nothing behind the login opens.
    page.goto(reverse("accounts:home"))
    expect_at(page, "accounts:login")
    expect(login_form(page)).to_be_visible()


def test_login_form_works_from_the_keyboard(page, demo):
    page.goto(reverse("accounts:login"))
    form = login_form(page)
    save_screen(page, "login-1280")

    expect(form.locator('input[name="identifier"]')).to_be_focused()
    page.keyboard.type("bekova")
    page.keyboard.press("Tab")
    expect(form.locator('input[name="password"]')).to_be_focused()
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Tab")
    expect(form.locator('button[type="submit"]')).to_be_focused()
    page.keyboard.press("Enter")

    expect_at(page, "accounts:home")
    expect(account_menu(page)).to_be_visible()
