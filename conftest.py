"""Fixtures shared by every test: the demo district with its named personas.

The demo district is built once per test session through the services (as
`make run` builds it) and every test runs inside a transaction that is rolled
back, so tests see the same personas and cannot disturb each other. Tests that
need other shapes of data use the factories in `sabaq/core/tests/factories.py`.
"""

from dataclasses import dataclass
from importlib import import_module

import pytest


@dataclass
class Demo:
    people: dict
    memberships: dict
    organisations: dict

    def membership(self, key: str, organisation: str | None = None):
        """A persona's membership, in a given organisation when they have several."""
        from sabaq.accounts.models import Membership

        person = self.people[key]
        if organisation is None:
            return self.memberships[key]
        return Membership.objects.get(
            user=person, organisation=self.organisations[organisation]
        )


def build_demo():
    from sabaq.core.demo import DEMO_STEPS, DemoWorld

    world = DemoWorld()
    for step in DEMO_STEPS:
        import_module(step).build(world)
    return world


def load_demo() -> Demo:
    from sabaq.accounts.demo import PEOPLE
    from sabaq.accounts.models import Membership, User
    from sabaq.orgs.demo import REGION_NAME_KK
    from sabaq.orgs.models import Organisation

    region = Organisation.objects.get(kind="region", name_kk=REGION_NAME_KK)
    district = Organisation.objects.get(parent=region)
    schools = {s.name_kk: s for s in Organisation.objects.filter(parent=district)}
    organisations = {
        "region": region,
        "district": district,
        "urban": schools["Қосшы қаласының № 3 мектеп-лицейі"],
        "rural": schools["Ақмол ауылының № 2 орта мектебі"],
    }
    people = {p.key: User.objects.get(login=p.login) for p in PEOPLE}
    people["admin"] = User.objects.get(login="admin")
    memberships = {
        p.key: Membership.objects.get(
            user=people[p.key], organisation=organisations[p.organisation], role=p.role
        )
        for p in PEOPLE
    }
    memberships["admin"] = Membership.objects.get(user=people["admin"])
    return Demo(people=people, memberships=memberships, organisations=organisations)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        build_demo()


@pytest.fixture
def demo(db) -> Demo:
    return load_demo()


@pytest.fixture
def client_as(client):
    """Log a persona's membership in: `client_as(demo.membership("deputy"))`."""
    from sabaq.accounts.selectors import SESSION_KEY

    def login(membership):
        client.force_login(
            membership.user, backend="sabaq.accounts.backends.LoginOrIINBackend"
        )
        session = client.session
        session[SESSION_KEY] = membership.pk
        session.save()
        return client

    return login
