"""Walk every URL as anonymous, as each role of one school and of another.

The walk fails on any access that the rule book does not grant: a role
opening a page it has no rule for, a person of school B reaching an object of
school A, an anonymous visitor getting anything but the login page. Denied
requests must also change nothing.
"""

import pytest
from django.urls import reverse

from sabaq.accounts.selectors import SESSION_KEY
from sabaq.core.models import AuditEntry
from sabaq.core.rules import rules
from sabaq.core.tests.walk import routes, sample_kwargs, sample_makers

# (persona key, organisation key of the role) for each role in each school.
SCHOOL_A = [
    ("director", "urban"),
    ("deputy", "urban"),
    ("class_teacher", "urban"),
    ("student_aruzhan", "urban"),
    ("parent_ru", "urban"),
]
SCHOOL_B = [
    ("rural_director", "rural"),
    ("rural_deputy", "rural"),
    ("rural_teacher", "rural"),
    ("student_yerasyl", "rural"),
    ("parent_both", "rural"),
]
AUTHORITIES = [("district_officer", None), ("region_officer", None), ("admin", None)]


def _client_for(client_factory, membership):
    client = client_factory()
    client.force_login(
        membership.user, backend="sabaq.accounts.backends.LoginOrIINBackend"
    )
    session = client.session
    session[SESSION_KEY] = membership.pk
    session.save()
    return client


def _is_api(name: str) -> bool:
    return name.startswith("api:")


@pytest.fixture
def walk(demo):
    makers = sample_makers()
    table = []
    for route in routes():
        rule = rules.get(route.name)
        assert rule is not None, f"{route.name} has no access rule"
        url = reverse(route.name, kwargs=sample_kwargs(route, demo, "urban", makers))
        table.append((route, rule, url))
    return table


@pytest.mark.django_db
def test_anonymous_reaches_only_public_urls(client, walk):
    audit_before = AuditEntry.objects.count()
    problems = []
    for route, rule, url in walk:
        if rule.public:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if _is_api(route.name):
                denied = response.status_code in (401, 403)
            else:
                denied = response.status_code == 302 and response[
                    "Location"
                ].startswith(reverse("accounts:login"))
            if not denied:
                problems.append(f"{method.upper()} {url}: {response.status_code}")

    assert problems == []
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "organisation"), SCHOOL_A + SCHOOL_B + AUTHORITIES)
def test_each_role_reaches_only_what_rules_grant(
    client_class, demo, walk, persona, organisation
):
    membership = demo.membership(persona, organisation)
    school_a = demo.organisations["urban"]
    # School A's objects are "own" to its roles, to the officers above it and
    # to the platform admin.
    own_school = membership.organisation_id in (
        None,
        school_a.pk,
        school_a.parent_id,
        school_a.parent.parent_id,
    )
    audit_before = AuditEntry.objects.count()
    problems = []

    for route, rule, url in walk:
        if rule.public:
            continue
        client = _client_for(client_class, membership)
        granted = rule.grants(authenticated=True, role=membership.role)
        has_objects = bool(route.arguments)

        if not granted:
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                if response.status_code != 403:
                    problems.append(
                        f"{membership.role} {method.upper()} {url}: "
                        f"{response.status_code}, expected 403"
                    )
            continue

        response = client.get(url)
        if has_objects and not own_school and not rule.signed_in:
            # Someone of school B asking for school A's object: as if missing.
            if response.status_code not in (404, 405):
                problems.append(
                    f"{membership.role} of another school GET {url}: "
                    f"{response.status_code}, expected 404"
                )
            if response.status_code == 405:
                response = client.post(url)
                if response.status_code != 404:
                    problems.append(
                        f"{membership.role} of another school POST {url}: "
                        f"{response.status_code}, expected 404"
                    )
        elif response.status_code in (403, 500) or (
            response.status_code == 404 and not has_objects
        ):
            problems.append(f"{membership.role} GET {url}: {response.status_code}")

    assert problems == []
    assert AuditEntry.objects.count() == audit_before


@pytest.fixture
def client_class():
    from django.test import Client

    return Client
