from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Relation(models.TextChoices):
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    GRANDPARENT = "grandparent", _("Grandparent")
    GUARDIAN = "guardian", _("Legal guardian")
    OTHER = "other", _("Other legal representative")


class Guardianship(models.Model):
    """A legal representative of a child.

    Linked person to person, not per school, so one parent sees children in
    two schools under one login.
    """

    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("guardian"),
        on_delete=models.CASCADE,
        related_name="wards",
    )
    child = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("child"),
        on_delete=models.CASCADE,
        related_name="guardians",
    )
    relation = models.CharField(_("relation"), max_length=16, choices=Relation.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("guardianship")
        verbose_name_plural = _("guardianships")
        constraints = [
            models.UniqueConstraint(
                fields=["guardian", "child"], name="people_guardianship_unique"
            ),
            models.CheckConstraint(
                name="people_guardian_is_not_child", condition=~Q(guardian=F("child"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guardian} → {self.child}"
