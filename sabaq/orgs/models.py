from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    REGION = "region", _("Region")
    DISTRICT = "district", _("District")
    SCHOOL = "school", _("School")


class Organisation(models.Model):
    """A region, a district or a school: the tree that every membership hangs on.

    One table keeps memberships and the audit log pointing at a single kind of
    row; `Region`, `District` and `School` below are proxies that filter it.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("belongs to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    name_kk = models.CharField(_("name in Kazakh"), max_length=200)
    name_ru = models.CharField(_("name in Russian"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_small_school = models.BooleanField(
        _("small school"),
        default=False,
        help_text=_(
            "A small school may split a class into subgroups from 16 students."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_kk"]
        constraints = [
            models.CheckConstraint(
                name="orgs_region_has_no_parent",
                condition=~Q(kind="region") | Q(parent__isnull=True),
            ),
            models.CheckConstraint(
                name="orgs_district_and_school_have_parent",
                condition=Q(kind="region") | Q(parent__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["parent", "kind", "name_kk"],
                name="orgs_unique_name_in_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language, falling back to Kazakh."""
        language = (get_language() or "kk")[:2]
        localized = {"kk": self.name_kk, "ru": self.name_ru, "en": self.name_en}
        return localized.get(language) or self.name_kk


class KindManager(models.Manager):
    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind

    def get_queryset(self):
        return super().get_queryset().filter(kind=self.kind)


# A proxy narrows the manager to its own kind of organisation.


class Region(Organisation):
    objects = KindManager(OrganisationKind.REGION)  # type: ignore[misc]

    class Meta:
        proxy = True
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class District(Organisation):
    objects = KindManager(OrganisationKind.DISTRICT)  # type: ignore[misc]

    class Meta:
        proxy = True
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class School(Organisation):
    objects = KindManager(OrganisationKind.SCHOOL)  # type: ignore[misc]

    class Meta:
        proxy = True
        verbose_name = _("school")
        verbose_name_plural = _("schools")
