"""Steps the browser tests share: logging in and out, languages, screenshots.

Pages are found by URL names, form field names and the classes of the page
shell, never by translated text, so the steps work in every language.
"""

import re
from pathlib import Path

from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from sabaq.core.demo import DEMO_PASSWORD

SCREENS_DIR = Path(__file__).resolve().parent.parent / "test-results" / "screens"


def expect_at(page: Page, url_name: str, **kwargs) -> None:
    """Wait until the page is the one named, whatever its query string."""
    path = reverse(url_name, kwargs=kwargs or None)
    expect(page).to_have_url(re.compile(rf"^https?://[^/]+{re.escape(path)}(\?.*)?$"))


def login_form(page: Page) -> Locator:
    return page.locator("main form", has=page.locator('input[name="identifier"]'))


def log_in(page: Page, login: str, password: str = DEMO_PASSWORD) -> None:
    """Fill in and send the login form as a person would."""
    if not login_form(page).is_visible():
        page.goto(reverse("accounts:login"))
    form = login_form(page)
    form.locator('input[name="identifier"]').fill(login)
    form.locator('input[name="password"]').fill(password)
    form.locator('button[type="submit"]').click()


def choose_role(page: Page, membership) -> None:
    """Press the role chooser's button for one membership."""
    expect_at(page, "accounts:role_choose")
    page.locator(f'main button[name="membership"][value="{membership.pk}"]').click()


def account_menu(page: Page) -> Locator:
    return page.locator("details.account-menu")


def open_account_menu(page: Page) -> Locator:
    menu = account_menu(page)
    if menu.get_attribute("open") is None:
        menu.locator("summary").click()
    expect(menu).to_have_attribute("open", "")
    return menu


def log_out(page: Page) -> None:
    menu = open_account_menu(page)
    logout = reverse("accounts:logout")
    menu.locator(f'form[action="{logout}"] button[type="submit"]').click()
    expect_at(page, "accounts:login")


def choose_language(page: Page, code: str) -> None:
    page.locator(f'form.language-switch button[value="{code}"]').click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def save_screen(page: Page, name: str) -> Path:
    """Save a full-page screenshot for review in test-results/screens/."""
    SCREENS_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENS_DIR / f"{name}.png"
    page.screenshot(path=path, full_page=True)

    return path
