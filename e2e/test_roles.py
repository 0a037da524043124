"""Switching between the roles one person holds in two schools."""

import pytest
from playwright.sync_api import expect

from e2e.helpers import account_menu, choose_role, expect_at, log_in, open_account_menu

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_parent_in_two_schools_switches_school_from_the_account_menu(page, demo):
    urban = demo.membership("parent_both", "urban")
    rural = demo.membership("parent_both", "rural")
    aruzhan = demo.people["student_aruzhan"].full_name
    aisha = demo.people["student_aisha"].full_name
    children = page.locator("main section.card h2")

    log_in(page, "gulmira")
    choose_role(page, urban)
    expect_at(page, "accounts:home")
    expect(children).to_have_text([aruzhan])

    menu = open_account_menu(page)
    expect(menu.locator("summary")).to_contain_text(urban.user.short_name)
    switch = menu.locator('.role-switch button[name="membership"]')
    expect(switch).to_have_count(1)
    expect(switch).to_contain_text(rural.organisation.name_kk)
    switch.click()

    expect_at(page, "accounts:home")
    expect(children).to_have_text([aisha])
    expect(account_menu(page).locator(".account-menu__role")).to_contain_text(
        rural.organisation.name_kk
    )

    # The choice is kept in the session: the next page is still the rural one.
    page.reload()
    expect(children).to_have_text([aisha])
