"""The language switch: for visitors by cookie, for people in their account."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import choose_language, expect_at, log_in, log_out, login_form
from sabaq.accounts.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_visitor_switches_the_login_page_between_three_languages(page, demo):
    page.goto(reverse("accounts:login"))
    html = page.locator("html")
    current = page.locator('form.language-switch button[aria-current="true"]')
    expect(html).to_have_attribute("lang", "kk")
    expect(current).to_have_text("KK")
    kazakh_heading = page.locator("main h1").inner_text()

    choose_language(page, "en")
    expect_at(page, "accounts:login")
    expect(current).to_have_text("EN")
    expect(page.locator("main h1")).to_have_text("Log in to Sabaq")
    expect(login_form(page).locator('label[for="id_identifier"]')).to_have_text(
        "Login or IIN"
    )
    assert kazakh_heading != "Log in to Sabaq", "the default page must be in Kazakh"

    choose_language(page, "ru")
    expect(current).to_have_text("RU")
    expect(page.locator("main h1")).not_to_have_text("Log in to Sabaq")

    # The visitor's choice is kept by the browser.
    page.goto(reverse("accounts:login"))
    expect(html).to_have_attribute("lang", "ru")


def test_language_chosen_by_a_person_follows_them_to_the_next_login(
    page, new_context, demo
):
    bekova = demo.people["director"]
    school = demo.organisations["urban"]
    heading = page.locator("main h1")

    log_in(page, "bekova")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(heading).to_have_text(school.name_kk)
    choose_language(page, "ru")
    expect_at(page, "accounts:home")
    expect(heading).to_have_text(school.name_ru)
    bekova.refresh_from_db()
    assert bekova.language == "ru"
    log_out(page)

    # Another browser, with no language cookie: the account decides.
    other = new_context().new_page()
    other.goto(reverse("accounts:login"))
    expect(other.locator("html")).to_have_attribute("lang", "kk")
    log_in(other, "bekova")
    expect_at(other, "accounts:home")
    expect(other.locator("html")).to_have_attribute("lang", "ru")
    expect(other.locator("main h1")).to_have_text(school.name_ru)

    choose_language(other, "en")
    expect(other.locator("main h1")).to_have_text(school.name_en)
    expect(other.locator("main")).to_contain_text("What you can do")
    expect(other.locator("nav.mainnav")).to_contain_text("People")
    assert User.objects.get(pk=bekova.pk).language == "en"
