import getpass
import sys

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sabaq.accounts.models import Membership, Role, User


class Command(BaseCommand):
    help = "Create the first platform admin of a new installation."

    def add_arguments(self, parser):
        parser.add_argument("login")
        parser.add_argument("--surname", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from standard input instead of asking.",
        )

    def handle(self, *args, login, surname, name, password_stdin, **options):
        if User.objects.filter(login__iexact=login).exists():
            raise CommandError(f"The login {login!r} is taken.")
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password again: "):
                raise CommandError("The two passwords differ.")

        user = User(login=login, surname=surname, name=name)
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None

        # The first account of an installation has no actor to create it, as
        # with `createsuperuser`; everything after it goes through services.
        with transaction.atomic():
            user.set_password(password)
            user.save()
            Membership.objects.create(
                user=user, organisation=None, role=Role.PLATFORM_ADMIN
            )
        self.stdout.write(self.style.SUCCESS(f"Platform admin {login} created."))
