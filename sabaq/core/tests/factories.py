"""Factories for data the demo district does not have.

Most tests use the demo personas (`demo` fixture in conftest.py). These
factories make the variations: many people in one school, another school, an
account in a given state. They write rows directly, as fixtures; what services
do is tested through the services themselves.
"""

import datetime

import factory

from sabaq.accounts.models import Membership, Role, User
from sabaq.core.models import AuditEntry
from sabaq.core.validators import iin_build
from sabaq.orgs.models import Organisation, OrganisationKind

PASSWORD = "factory-pass-2024"


class OrganisationFactory(factory.django.DjangoModelFactory):
    """A school by default; pass `parent` (a district) from the demo."""

    class Meta:
        model = Organisation

    kind = OrganisationKind.SCHOOL
    name_kk = factory.Sequence(lambda n: f"№ {n} мектеп")
    name_ru = factory.Sequence(lambda n: f"Школа № {n}")
    name_en = factory.Sequence(lambda n: f"School No. {n}")


class UserFactory(factory.django.DjangoModelFactory):
    """A person who has changed their first password to `PASSWORD`."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    login = factory.Sequence(lambda n: f"person{n}")
    surname = factory.Sequence(lambda n: f"Сапаров{n}")
    name = "Ержан"
    language = "kk"
    password = factory.django.Password(PASSWORD)

    class Params:
        # `UserFactory(with_iin=True)` gives the person a unique valid IIN.
        with_iin = factory.Trait(
            # A different birth date for each: serials with no check digit are
            # skipped by iin_build, so varying the serial could repeat an IIN.
            iin=factory.Sequence(
                lambda n: iin_build(
                    datetime.date(2010, 1, 1) + datetime.timedelta(days=n), "male", 1
                )
            )
        )


class MembershipFactory(factory.django.DjangoModelFactory):
    """A role in an organisation; pass `organisation` (a demo school)."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.STUDENT


class AuditEntryFactory(factory.django.DjangoModelFactory):
    """An audit row in a school; pass `school`, and `actor` if it matters."""

    class Meta:
        model = AuditEntry

    actor = factory.SubFactory(UserFactory)
    action = "accounts.person_update"
    target_type = "accounts.user"
    target_id = factory.Sequence(str)
    target_repr = factory.Sequence(lambda n: f"Object {n}")
    before = factory.LazyFunction(lambda: {"phone": ""})
    after = factory.LazyFunction(lambda: {"phone": "+77012345678"})
