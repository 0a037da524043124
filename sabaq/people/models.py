from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sabaq.schools.models import InstructionLanguage


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


class HealthGroup(models.TextChoices):
    """The physical-education health group set by the school doctor."""

    BASIC = "basic", _("Basic")
    PREPARATORY = "preparatory", _("Preparatory")
    SPECIAL = "special", _("Special")
    EXEMPT = "exempt", _("Exempt from PE")


class SocialCategory(models.TextChoices):
    NONE = "", _("None")
    LARGE_FAMILY = "large_family", _("Large family")
    LOW_INCOME = "low_income", _("Low-income family")
    ORPHAN = "orphan", _("Orphan")
    WITHOUT_PARENTAL_CARE = "without_care", _("Left without parental care")
    DISABILITY = "disability", _("Child with a disability")


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class StudentRecord(models.Model):
    """A student's personal file at one school.

    A transfer gives the new school a record of its own; the old one stays
    behind, read-only, as the old school's archive.
    """

    school = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="student_records",
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        on_delete=models.PROTECT,
        related_name="student_records",
    )
    file_number = models.CharField(_("personal file number"), max_length=32, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=6, blank=True, choices=Sex.choices)
    address = models.CharField(_("address"), max_length=300, blank=True)
    citizenship = models.CharField(_("citizenship"), max_length=60, blank=True)
    language = models.CharField(
        _("language of instruction"),
        max_length=2,
        choices=InstructionLanguage.choices,
        blank=True,
    )
    health_group = models.CharField(
        _("health group"),
        max_length=12,
        choices=HealthGroup.choices,
        default=HealthGroup.BASIC,
    )
    special_needs = models.TextField(_("special educational needs"), blank=True)
    social_category = models.CharField(
        _("social category"), max_length=16, choices=SocialCategory.choices, blank=True
    )
    admitted_on = models.DateField(_("admitted on"), null=True, blank=True)
    admission_order = models.CharField(
        _("admission order No."), max_length=40, blank=True
    )
    admitted_from = models.CharField(_("came from"), max_length=200, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_order = models.CharField(
        _("withdrawal order No."), max_length=40, blank=True
    )
    withdrawal_destination = models.CharField(_("left for"), max_length=200, blank=True)
    transferred_to = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("transferred to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The school on Sabaq the student moved to, if any."),
    )
    is_archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        verbose_name = _("student's personal file")
        verbose_name_plural = _("students' personal files")
        ordering = ["student__surname", "student__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "student"],
                condition=Q(is_archived=False),
                name="people_one_open_student_record_per_school",
            ),
        ]

    def __str__(self) -> str:
        return str(self.student)


class Enrolment(models.Model):
    """A student in a class from one date until another: the class history."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    school_class = models.ForeignKey(
        "schools.SchoolClass",
        verbose_name=_("class"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                name="people_enrolment_dates",
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
            ),
            models.UniqueConstraint(
                fields=["student"],
                condition=Q(ends_on__isnull=True),
                name="people_one_current_class_per_student",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} → {self.school_class}"


class QualificationCategory(models.TextChoices):
    TRAINEE = "trainee", _("Teacher-trainee")
    # In context: the category «педагог», not the role «мұғалім / учитель».
    TEACHER = "teacher", pgettext_lazy("qualification category", "Teacher")
    MODERATOR = "moderator", _("Teacher-moderator")
    EXPERT = "expert", _("Teacher-expert")
    RESEARCHER = "researcher", _("Teacher-researcher")
    MASTER = "master", _("Teacher-master")
    LEGACY = "legacy", _("Former category")


class StaffRecord(models.Model):
    """A staff member's file at one school: position, category, load."""

    school = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="staff_records",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="staff_records",
    )
    position = models.CharField(_("position"), max_length=120)
    category = models.CharField(
        _("qualification category"),
        max_length=12,
        choices=QualificationCategory.choices,
        blank=True,
    )
    category_given_on = models.DateField(_("category given on"), null=True, blank=True)
    attestation_due_on = models.DateField(
        _("next attestation due"), null=True, blank=True
    )
    education = models.TextField(_("education"), blank=True)
    subjects = models.ManyToManyField(
        "schools.Subject", verbose_name=_("may teach"), blank=True, related_name="+"
    )
    hired_on = models.DateField(_("hired on"), null=True, blank=True)
    load_rate = models.DecimalField(
        _("weekly load rate (hours)"), max_digits=4, decimal_places=1, default=16
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff file")
        verbose_name_plural = _("staff files")
        ordering = ["person__surname", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "person"], name="people_one_staff_record_per_school"
            ),
        ]

    def __str__(self) -> str:
        return str(self.person)
