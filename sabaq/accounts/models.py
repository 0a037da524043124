from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sabaq.core.validators import format_phone, validate_iin, validate_phone


class Role(models.TextChoices):
    DIRECTOR = "director", _("Director")
    DEPUTY_HEAD = "deputy_head", _("Deputy head")
    TEACHER = "teacher", _("Teacher")
    STUDENT = "student", _("Student")
    PARENT = "parent", _("Parent")
    DISTRICT_OFFICER = "district_officer", _("District officer")
    REGION_OFFICER = "region_officer", _("Region officer")
    PLATFORM_ADMIN = "platform_admin", _("Platform admin")


SCHOOL_ROLES = frozenset(
    {Role.DIRECTOR, Role.DEPUTY_HEAD, Role.TEACHER, Role.STUDENT, Role.PARENT}
)
SCHOOL_ADMIN_ROLES = frozenset({Role.DIRECTOR, Role.DEPUTY_HEAD})
STAFF_ROLES = frozenset({Role.DIRECTOR, Role.DEPUTY_HEAD, Role.TEACHER})
AUTHORITY_ROLES = frozenset({Role.DISTRICT_OFFICER, Role.REGION_OFFICER})

# Which kind of organisation each role belongs to (None: the whole platform).
ORGANISATION_KIND_OF_ROLE: dict[str, str | None] = {
    **dict.fromkeys(SCHOOL_ROLES, "school"),
    Role.DISTRICT_OFFICER: "district",
    Role.REGION_OFFICER: "region",
    Role.PLATFORM_ADMIN: None,
}


class Language(models.TextChoices):
    KAZAKH = "kk", "Қазақша"
    RUSSIAN = "ru", "Русский"
    ENGLISH = "en", "English"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(login__iexact=username)

    def create_user(self, login, password=None, **fields):
        user = self.model(login=login, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, login, password=None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(login, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who can log in: staff, student, parent or officer.

    What a person may do comes from their memberships, never from this row.
    """

    login = models.CharField(
        _("login"),
        max_length=64,
        unique=True,
        help_text=_("Latin letters, digits, dots and dashes."),
    )
    iin = models.CharField(
        _("IIN"),
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_iin],
    )
    surname = models.CharField(_("surname"), max_length=100)
    name = models.CharField(_("name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    phone = models.CharField(
        _("mobile phone"), max_length=12, blank=True, validators=[validate_phone]
    )
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.KAZAKH
    )
    must_change_password = models.BooleanField(
        _("must change password at next login"), default=False
    )
    failed_login_count = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "login"
    REQUIRED_FIELDS = ["surname", "name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["surname", "name", "patronymic"]
        constraints = [
            models.UniqueConstraint(Lower("login"), name="accounts_login_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.name, self.patronymic) if p)

    @property
    def short_name(self) -> str:
        return f"{self.surname} {self.name[:1]}." if self.name else self.surname

    @property
    def phone_display(self) -> str:
        return format_phone(self.phone)

    @property
    def iin_masked(self) -> str:
        return f"{self.iin[:2]}••••••••{self.iin[-2:]}" if self.iin else ""

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.short_name


class Membership(models.Model):
    """A person's role in an organisation: a teacher in school A, a parent in B."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                name="accounts_membership_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(organisation__isnull=True),
                name="accounts_platform_membership_unique",
            ),
            models.CheckConstraint(
                name="accounts_only_platform_admin_has_no_organisation",
                condition=Q(role="platform_admin", organisation__isnull=True)
                | (~Q(role="platform_admin") & Q(organisation__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        if self.organisation_id is None:
            return str(self.get_role_display())
        return f"{self.get_role_display()}: {self.organisation}"

    @property
    def school_id(self) -> int | None:
        """The school this membership acts in, if it is a school role."""
        return self.organisation_id if self.role in SCHOOL_ROLES else None

    @property
    def organisation_pk(self) -> int:
        """The organisation's id, for code that only serves organisation roles."""
        if self.organisation_id is None:
            raise PermissionDenied
        return self.organisation_id
