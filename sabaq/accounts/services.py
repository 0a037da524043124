"""Writes about people: accounts, passwords, logins, memberships, language."""

import logging
import math
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from sabaq.accounts.models import (
    ORGANISATION_KIND_OF_ROLE,
    SCHOOL_ADMIN_ROLES,
    SCHOOL_ROLES,
    Language,
    Membership,
    Role,
    User,
)
from sabaq.core.services import audit_actions_register, audit_record, snapshot
from sabaq.core.validators import normalize_phone, parse_iin
from sabaq.orgs.models import Organisation

logger = logging.getLogger(__name__)

audit_actions_register(
    {
        "accounts.person_create": gettext_lazy("Account created"),
        "accounts.person_update": gettext_lazy("Personal details changed"),
        "accounts.membership_add": gettext_lazy("Role given"),
        "accounts.membership_end": gettext_lazy("Role taken away"),
        "accounts.password_reset": gettext_lazy("New first password issued"),
        "accounts.password_change": gettext_lazy("Password changed"),
        "accounts.login_locked": gettext_lazy("Account locked after failed logins"),
    }
)

PERSON_FIELDS = ["surname", "name", "patronymic", "iin", "phone", "email", "language"]
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_TRANSLITERATION = str.maketrans(
    {
        "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d",
        "е": "e", "ё": "yo", "ж": "zh", "з": "z", "и": "i", "й": "i", "к": "k",
        "қ": "q", "л": "l", "м": "m", "н": "n", "ң": "n", "о": "o", "ө": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "u",
        "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh",
        "щ": "sch", "ъ": "", "ы": "y", "і": "i", "ь": "", "э": "e", "ю": "yu",
        "я": "ya",
    }
)  # fmt: skip


class LoginError(Exception):
    def __init__(self, message: str, *, locked: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.locked = locked


@dataclass(frozen=True)
class IssuedPassword:
    person: User
    password: str


# Logins


def _find_by_identifier(identifier: str) -> User | None:
    identifier = identifier.strip()
    if not identifier:
        return None
    if re.fullmatch(r"\d{12}", identifier):
        return User.objects.filter(iin=identifier).first()
    return User.objects.filter(login__iexact=identifier).first()


def login_verify(*, identifier: str, password: str) -> User:
    """Check a login name or IIN with its password, counting failures.

    After `LOGIN_LOCK_ATTEMPTS` failures in a row the account is locked for
    `LOGIN_LOCK_MINUTES`. A wrong login and a wrong password give the same
    message, so the form does not tell which accounts exist.
    """
    wrong = _("The login or the password is not correct.")
    user = _find_by_identifier(identifier)
    if user is None:
        # Hash anyway so a missing account takes as long as a wrong password.
        make_password(password)
        raise LoginError(wrong)

    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        now = timezone.now()
        if user.locked_until and user.locked_until > now:
            minutes = max(1, math.ceil((user.locked_until - now).total_seconds() / 60))
            raise LoginError(_locked_message(minutes), locked=True)

        if user.check_password(password) and user.is_active:
            if user.failed_login_count or user.locked_until:
                user.failed_login_count = 0
                user.locked_until = None
                user.save(update_fields=["failed_login_count", "locked_until"])
            return user

        user.failed_login_count += 1
        if user.failed_login_count >= settings.LOGIN_LOCK_ATTEMPTS:
            user.failed_login_count = 0
            user.locked_until = now + timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
            user.save(update_fields=["failed_login_count", "locked_until"])
            audit_record(actor=None, action="accounts.login_locked", target=user)
            logger.warning("Account %s locked after failed logins", user.pk)
        else:
            user.save(update_fields=["failed_login_count"])

    # Raised outside the transaction so that the count and the lock are kept.
    # A lock that has already run out is not cleared by a failure, so only a
    # lock still in the future means this attempt locked the account.
    if user.locked_until and user.locked_until > now:
        raise LoginError(_locked_message(settings.LOGIN_LOCK_MINUTES), locked=True)
    raise LoginError(wrong)


def _locked_message(minutes: int) -> str:
    return ngettext(
        "This account is locked for %(minutes)d minute after too many failed "
        "attempts. Try again later or ask your school for a new password.",
        "This account is locked for %(minutes)d minutes after too many failed "
        "attempts. Try again later or ask your school for a new password.",
        minutes,
    ) % {"minutes": minutes}


# Passwords


def password_generate() -> str:
    """A first password that is easy to copy from paper: `k7mp-x4tr`."""
    chars = [secrets.choice(_PASSWORD_ALPHABET) for _ in range(8)]
    return "".join(chars[:4]) + "-" + "".join(chars[4:])


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str) -> None:
    if not user.check_password(old_password):
        raise ValidationError(
            {"old_password": _("The current password is not correct.")}
        )
    if old_password == new_password:
        raise ValidationError(
            {"new_password": _("The new password must differ from the current one.")}
        )
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as error:
        raise ValidationError({"new_password": error.messages}) from None

    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit_record(actor=user, action="accounts.password_change", target=user)


def _check_school_admin(actor: Membership, person: User) -> None:
    if actor.role not in SCHOOL_ADMIN_ROLES:
        raise PermissionDenied
    in_school = Membership.objects.filter(
        user=person, organisation_id=actor.organisation_pk, is_active=True
    ).exists()
    if not in_school:
        raise PermissionDenied


@transaction.atomic
def password_reset(*, actor: Membership, person: User) -> str:
    """Give a person of the actor's school a new first password to change."""
    _check_school_admin(actor, person)
    if person.memberships.filter(
        role__in=[Role.PLATFORM_ADMIN, Role.DISTRICT_OFFICER, Role.REGION_OFFICER]
    ).exists():
        # A school must not take over an officer's or admin's account.
        raise PermissionDenied
    if (
        actor.role != Role.DIRECTOR
        and person.memberships.filter(role=Role.DIRECTOR, is_active=True).exists()
    ):
        # Nor may a deputy head take over the director's.
        raise PermissionDenied

    password = password_generate()
    person.set_password(password)
    person.must_change_password = True
    person.failed_login_count = 0
    person.locked_until = None
    person.save(
        update_fields=[
            "password",
            "must_change_password",
            "failed_login_count",
            "locked_until",
        ]
    )
    audit_record(
        actor=actor.user,
        action="accounts.password_reset",
        school=actor.organisation,
        target=person,
    )

    return password


def login_slips_issue(*, actor: Membership, people: list[User]) -> list[IssuedPassword]:
    """New first passwords for many people at once, for printed login slips."""
    with transaction.atomic():
        return [
            IssuedPassword(
                person=person, password=password_reset(actor=actor, person=person)
            )
            for person in people
        ]


# Accounts and memberships


def login_suggest(*, surname: str, name: str) -> str:
    base = f"{surname}.{name}".lower().translate(_TRANSLITERATION)
    base = re.sub(r"[^a-z0-9.]+", "", base).strip(".") or "user"
    base = base[:40]
    taken = set(
        User.objects.filter(login__istartswith=base).values_list("login", flat=True)
    )
    taken = {login.lower() for login in taken}
    if base not in taken:
        return base
    number = 2
    while f"{base}{number}" in taken:
        number += 1

    return f"{base}{number}"


def _clean_person_fields(
    *,
    surname: str,
    name: str,
    patronymic: str,
    iin: str,
    phone: str,
    email: str,
    language: str,
) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned = {
        "surname": surname.strip(),
        "name": name.strip(),
        "patronymic": patronymic.strip(),
        "iin": None,
        "phone": "",
        "email": email.strip(),
        "language": language or Language.KAZAKH,
    }
    if not cleaned["surname"]:
        errors["surname"] = [_("Enter the surname.")]
    if not cleaned["name"]:
        errors["name"] = [_("Enter the name.")]
    if iin.strip():
        try:
            cleaned["iin"] = parse_iin(iin).iin
        except ValidationError as error:
            errors["iin"] = error.messages
    if phone.strip():
        try:
            cleaned["phone"] = normalize_phone(phone)
        except ValidationError as error:
            errors["phone"] = error.messages
    if cleaned["language"] not in Language.values:
        errors["language"] = [_("Choose Kazakh, Russian or English.")]
    if errors:
        raise ValidationError(errors)

    return cleaned


def _check_can_give_role(
    actor: Membership, organisation: Organisation, role: str
) -> None:
    if actor.role == Role.PLATFORM_ADMIN:
        return
    if (
        actor.role in SCHOOL_ADMIN_ROLES
        and actor.organisation_pk == organisation.pk
        and role in SCHOOL_ROLES
        # Only the director (or the platform admin) names a director.
        and (role != Role.DIRECTOR or actor.role == Role.DIRECTOR)
    ):
        return
    raise PermissionDenied


def _check_role_fits(organisation: Organisation | None, role: str) -> None:
    kind = ORGANISATION_KIND_OF_ROLE.get(role, "missing")
    actual = organisation.kind if organisation is not None else None
    if kind == "missing" or kind != actual:
        raise ValidationError(
            {"role": _("This role cannot be given in this organisation.")}
        )


@dataclass(frozen=True)
class PersonCreated:
    person: User
    password: str | None
    """None when the IIN belonged to someone already: they keep their login."""


@transaction.atomic
def person_create(
    *,
    actor: Membership,
    organisation: Organisation,
    role: str,
    surname: str,
    name: str,
    patronymic: str = "",
    iin: str = "",
    phone: str = "",
    email: str = "",
    language: str = Language.KAZAKH,
    login: str = "",
) -> PersonCreated:
    """Create an account with a role, or give the role to the person who has the IIN.

    A new account gets a first password that must be changed at first login.
    """
    _check_role_fits(organisation, role)
    _check_can_give_role(actor, organisation, role)
    fields = _clean_person_fields(
        surname=surname,
        name=name,
        patronymic=patronymic,
        iin=iin,
        phone=phone,
        email=email,
        language=language,
    )
    school = organisation if organisation.kind == "school" else None

    existing = User.objects.filter(iin=fields["iin"]).first() if fields["iin"] else None
    if existing is not None:
        if Membership.objects.filter(
            user=existing, organisation=organisation, role=role, is_active=True
        ).exists():
            raise ValidationError(
                {"iin": _("A person with this IIN already has this role here.")}
            )
        membership_add(
            actor=actor, person=existing, organisation=organisation, role=role
        )
        return PersonCreated(person=existing, password=None)

    login = login.strip().lower()
    if login:
        # A login of 12 digits would be read as an IIN at the login form.
        if not re.fullmatch(r"[a-z0-9][a-z0-9.\-]{1,62}", login) or login.isdigit():
            raise ValidationError(
                {"login": _("A login uses Latin letters, digits, dots and dashes.")}
            )
        if User.objects.filter(login__iexact=login).exists():
            raise ValidationError({"login": _("This login is taken.")})
    else:
        login = login_suggest(surname=fields["surname"], name=fields["name"])

    password = password_generate()
    person = User(
        login=login,
        must_change_password=True,
        **fields,
    )
    person.set_password(password)
    person.full_clean(exclude=["password"])
    person.save()
    audit_record(
        actor=actor.user,
        action="accounts.person_create",
        school=school,
        target=person,
        after=snapshot(person, ["login", *PERSON_FIELDS]),
    )
    membership_add(actor=actor, person=person, organisation=organisation, role=role)
    logger.debug("Account %s created with role %s", person.pk, role)

    return PersonCreated(person=person, password=password)


@transaction.atomic
def person_update(
    *,
    actor: Membership,
    person: User,
    surname: str,
    name: str,
    patronymic: str,
    iin: str,
    phone: str,
    email: str,
    language: str,
) -> User:
    _check_school_admin(actor, person)
    fields = _clean_person_fields(
        surname=surname,
        name=name,
        patronymic=patronymic,
        iin=iin,
        phone=phone,
        email=email,
        language=language,
    )
    if (
        fields["iin"]
        and User.objects.filter(iin=fields["iin"]).exclude(pk=person.pk).exists()
    ):
        raise ValidationError({"iin": _("Another person already has this IIN.")})

    before = snapshot(person, PERSON_FIELDS)
    for field, value in fields.items():
        setattr(person, field, value)
    person.full_clean(exclude=["password"])
    person.save(update_fields=PERSON_FIELDS)
    audit_record(
        actor=actor.user,
        action="accounts.person_update",
        school=actor.organisation,
        target=person,
        before=before,
        after=snapshot(person, PERSON_FIELDS),
    )

    return person


@transaction.atomic
def membership_add(
    *, actor: Membership, person: User, organisation: Organisation, role: str
) -> Membership:
    _check_role_fits(organisation, role)
    _check_can_give_role(actor, organisation, role)
    membership, created = Membership.objects.get_or_create(
        user=person, organisation=organisation, role=role
    )
    if not created and membership.is_active:
        return membership
    membership.is_active = True
    membership.save(update_fields=["is_active"])
    audit_record(
        actor=actor.user,
        action="accounts.membership_add",
        school=organisation if organisation.kind == "school" else None,
        target=person,
        after={"role": role, "organisation": organisation.pk},
    )

    return membership


@transaction.atomic
def person_set_language(*, user: User, language: str) -> None:
    if language not in Language.values:
        raise ValidationError({"language": _("Choose Kazakh, Russian or English.")})
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
