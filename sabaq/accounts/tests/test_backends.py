"""Django's `authenticate()` goes through the same login rules as the form."""

from datetime import timedelta

from django.contrib.auth import authenticate
from django.utils import timezone

from sabaq.accounts.models import User
from sabaq.core.demo import DEMO_PASSWORD


def test_authenticate_accepts_a_login_or_an_iin(demo):
    director = demo.people["director"]

    assert authenticate(username="Bekova", password=DEMO_PASSWORD) == director
    assert authenticate(username=director.iin, password=DEMO_PASSWORD) == director


def test_authenticate_with_a_wrong_password_gives_nobody_and_counts_it(demo):
    assert authenticate(username="bekova", password="not-the-password") is None
    assert User.objects.get(login="bekova").failed_login_count == 1


def test_authenticate_refuses_a_locked_account(demo):
    User.objects.filter(login="bekova").update(
        locked_until=timezone.now() + timedelta(minutes=5)
    )

    assert authenticate(username="bekova", password=DEMO_PASSWORD) is None


def test_authenticate_without_a_password_gives_nobody(demo):
    assert authenticate(username="bekova") is None
