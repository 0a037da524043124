from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from sabaq.core.demo import (
    DEMO_PASSWORD,
    DEMO_POPULATION_STEPS,
    DEMO_STEPS,
    DemoWorld,
)
from sabaq.orgs.demo import REGION_NAME_KK
from sabaq.orgs.models import Region


class Command(BaseCommand):
    help = "Load the demo district (once) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--small",
            action="store_true",
            help="Only the named personas, without the schools' full population.",
        )

    def handle(self, *args, small=False, **options):
        if Region.objects.filter(name_kk=REGION_NAME_KK).exists():
            self.stdout.write("The demo district is already loaded.")
            self._print_logins()
            return

        world = DemoWorld()
        with transaction.atomic():
            steps = DEMO_STEPS if small else DEMO_STEPS + DEMO_POPULATION_STEPS
            for step in steps:
                import_module(step).build(world)
        self.stdout.write(self.style.SUCCESS("The demo district is loaded."))
        self._print_logins()

    def _print_logins(self):
        from sabaq.accounts.demo import PEOPLE, SHOWN_ORDER

        descriptions = {person.key: (person.login, person.shows) for person in PEOPLE}
        lines = [("admin", "platform admin")]
        lines += [descriptions[key] for key in SHOWN_ORDER]
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for login, description in lines:
            self.stdout.write(f"  {login:<16} {description}")
