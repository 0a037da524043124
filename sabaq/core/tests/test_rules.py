"""The rule book and the menu built from it."""

import pytest

from sabaq.accounts.models import Role
from sabaq.core.menu import Menu
from sabaq.core.rules import PUBLIC, SIGNED_IN, RuleBook, allow


def test_public_rule_grants_anonymous_and_signed_in_people():
    assert PUBLIC.grants(authenticated=False, role=None)
    assert PUBLIC.grants(authenticated=True, role=Role.STUDENT)


def test_signed_in_rule_grants_anyone_logged_in_even_without_a_role():
    assert not SIGNED_IN.grants(authenticated=False, role=None)
    assert SIGNED_IN.grants(authenticated=True, role=None)


def test_role_rule_grants_only_its_roles_and_only_when_logged_in():
    rule = allow(Role.DIRECTOR, Role.DEPUTY_HEAD)

    assert rule.grants(authenticated=True, role=Role.DEPUTY_HEAD)
    assert not rule.grants(authenticated=True, role=Role.TEACHER)
    assert not rule.grants(authenticated=True, role=None)
    assert not rule.grants(authenticated=False, role=Role.DIRECTOR)


def test_rule_book_accepts_the_same_rule_twice_for_one_url_name():
    book = RuleBook()
    book.register("accounts", {"login": PUBLIC})
    book.register("accounts", {"login": PUBLIC})

    assert book.get("accounts:login") == PUBLIC


def test_rule_book_refuses_two_different_rules_for_one_url_name():
    book = RuleBook()
    book.register("accounts", {"person_list": allow(Role.DIRECTOR)})

    with pytest.raises(ValueError, match="accounts:person_list"):
        book.register("accounts", {"person_list": SIGNED_IN})


def test_rule_book_has_no_rule_for_an_unknown_url_name():
    assert RuleBook().get("accounts:nowhere") is None


def test_menu_shows_a_role_only_the_entries_its_rules_grant():
    menu = Menu()
    menu.register("core:audit_log", "Audit log", order=90)
    menu.register("accounts:person_list", "People", order=20)
    menu.register("orgs:organisation_list", "Organisations", order=10)

    director = [entry["url_name"] for entry in menu.for_role(Role.DIRECTOR)]
    admin = [entry["url_name"] for entry in menu.for_role(Role.PLATFORM_ADMIN)]

    assert director == ["accounts:person_list", "core:audit_log"]
    assert admin == ["orgs:organisation_list"]
    assert menu.for_role(Role.STUDENT) == []
    assert menu.for_role(None) == []


def test_menu_leaves_out_pages_open_to_everyone():
    menu = Menu()
    menu.register("accounts:profile", "Profile")
    menu.register("accounts:login", "Log in")

    assert menu.for_role(Role.TEACHER) == []
