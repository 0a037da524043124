"""Demo step: the region, the district and two schools."""

from sabaq.accounts.models import Membership, Role, User
from sabaq.core.demo import DEMO_PASSWORD, DemoWorld
from sabaq.orgs.models import OrganisationKind
from sabaq.orgs.services import organisation_create

REGION_NAME_KK = "Ақмола облысы"


def _platform_admin() -> Membership:
    # The very first account cannot be made through a service with an actor,
    # as `createsuperuser` cannot; every later row is.
    user = User.objects.filter(login="admin").first()
    if user is None:
        user = User.objects.create_user(
            "admin",
            DEMO_PASSWORD,
            surname="Сейітов",
            name="Нұрлан",
            language="kk",
        )
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=None, role=Role.PLATFORM_ADMIN
    )
    return membership


def build(world: DemoWorld) -> None:
    admin = _platform_admin()
    world.platform_admin = admin

    region = organisation_create(
        actor=admin,
        kind=OrganisationKind.REGION,
        parent=None,
        name_kk=REGION_NAME_KK,
        name_ru="Акмолинская область",
        name_en="Akmola Region",
    )
    district = organisation_create(
        actor=admin,
        kind=OrganisationKind.DISTRICT,
        parent=region,
        name_kk="Целиноград ауданы",
        name_ru="Целиноградский район",
        name_en="Tselinograd District",
    )
    urban = organisation_create(
        actor=admin,
        kind=OrganisationKind.SCHOOL,
        parent=district,
        name_kk="Қосшы қаласының № 3 мектеп-лицейі",
        name_ru="Школа-лицей № 3 города Косшы",
        name_en="School-Lyceum No. 3, Kosshy",
        address="Қосшы қ., Республика к-сі, 12",
    )
    rural = organisation_create(
        actor=admin,
        kind=OrganisationKind.SCHOOL,
        parent=district,
        name_kk="Ақмол ауылының № 2 орта мектебі",
        name_ru="Средняя школа № 2 села Акмол",
        name_en="Akmol Village Secondary School No. 2",
        address="Ақмол а., Бейбітшілік к-сі, 5",
    )
    world.organisations.update(
        {"region": region, "district": district, "urban": urban, "rural": rural}
    )
