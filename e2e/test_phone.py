"""Pages on a phone: nothing wider than the screen, every control in reach."""

import pytest
from django.urls import reverse
from playwright.sync_api import Locator, expect

from e2e.helpers import expect_at, log_in, open_account_menu, save_screen

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser_context_args(viewport={"width": 360, "height": 740}),
]

PHONE_WIDTH = 360

# (who, page, review screenshot): one persona of every role on their home,
# and the two widest pages of a deputy head.
PAGES = [
    (None, "accounts:login", "login-360"),
    ("admin", "accounts:home", "home-platform-admin-360"),
    ("bekova", "accounts:home", "home-director-360"),
    ("omarov", "accounts:home", "home-deputy-head-360"),
    ("sarsenova", "accounts:home", "home-teacher-360"),
    ("aruzhan", "accounts:home", "home-student-360"),
    ("petrova", "accounts:home", "home-parent-360"),
    ("toktarov", "accounts:home", "home-district-officer-360"),
    ("zhaksylykova", "accounts:home", "home-region-officer-360"),
    ("omarov", "accounts:person_list", "people-list-360"),
    ("omarov", "core:audit_log", "audit-log-360"),
]


def _expect_in_reach(control: Locator) -> None:
    """Visible, inside the screen's width and not covered by anything."""
    expect(control).to_be_visible()
    box = control.bounding_box()
    assert box is not None
    assert box["x"] >= 0, f"{control} starts left of the screen"
    assert box["x"] + box["width"] <= PHONE_WIDTH, f"{control} ends off the screen"
    control.click(trial=True)


@pytest.mark.parametrize(
    ("login", "url_name", "screen"), PAGES, ids=[screen for *_, screen in PAGES]
)
def test_page_fits_a_phone_screen(page, demo, login, url_name, screen):
    if login is not None:
        log_in(page, login)
    page.goto(reverse(url_name))
    expect_at(page, url_name)

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"the page is {width}px wide on a 360px screen"
    languages = page.locator("form.language-switch button")
    expect(languages).to_have_count(3)
    for button in languages.all():
        _expect_in_reach(button)
    save_screen(page, screen)

    if login is None:
        return
    # On a phone the main menu folds behind the "Menu" button.
    links = page.locator("nav.mainnav a")
    expect(links.first).to_be_hidden()
    toggle = page.locator("button.menu-toggle")
    _expect_in_reach(toggle)
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    assert links.count() >= 1
    for link in links.all():
        _expect_in_reach(link)
    menu = open_account_menu(page)
    logout = menu.locator(f'form[action="{reverse("accounts:logout")}"] button')
    _expect_in_reach(logout)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"the open account menu makes the page {width}px"
