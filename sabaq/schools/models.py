"""A school's frame for the year: calendar, shifts and bells, rooms, subjects,
classes and subgroups. Every row belongs to one school, directly or through
its school year."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The letters of the Kazakh Cyrillic alphabet that schools use for classes:
# 5 «А» and 5 «Ә» are two different classes.
CLASS_LETTERS = "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ"


def validate_class_letter(value: str) -> None:
    if len(value) != 1 or value not in CLASS_LETTERS:
        raise ValidationError(
            _(
                "A class letter is one capital letter of the Kazakh alphabet, "
                "such as А or Ә."
            ),
            code="class_letter",
        )


class YearStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class SchoolYear(models.Model):
    """One school's academic year, e.g. 2025–2026, with its own calendar.

    Nothing about dates is in code: the ministry's order for each year is
    entered as data (the 2025–2026 one ships as a preset).
    """

    school = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="school_years",
    )
    starts_on = models.DateField(_("first day of the year"))
    ends_on = models.DateField(_("last day of the year"))
    status = models.CharField(
        _("status"), max_length=8, choices=YearStatus.choices, default=YearStatus.OPEN
    )

    class Meta:
        verbose_name = _("school year")
        verbose_name_plural = _("school years")
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "starts_on"], name="schools_one_year_per_start"
            ),
            models.CheckConstraint(
                name="schools_year_ends_after_start",
                condition=Q(ends_on__gt=F("starts_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on.year}–{self.ends_on.year}"

    @property
    def is_closed(self) -> bool:
        return self.status == YearStatus.CLOSED


class Quarter(models.Model):
    year = models.ForeignKey(
        SchoolYear,
        verbose_name=_("school year"),
        on_delete=models.CASCADE,
        related_name="quarters",
    )
    number = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))

    class Meta:
        verbose_name = _("quarter")
        verbose_name_plural = _("quarters")
        ordering = ["year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "number"], name="schools_quarter_unique"
            ),
            models.CheckConstraint(
                name="schools_quarter_number_1_to_4",
                condition=Q(number__gte=1, number__lte=4),
            ),
            models.CheckConstraint(
                name="schools_quarter_ends_after_start",
                condition=Q(ends_on__gte=F("starts_on")),
            ),
        ]

    def __str__(self) -> str:
        return _("Quarter %(number)d") % {"number": self.number}


class HolidayKind(models.TextChoices):
    """What a break is; stored as a code so each viewer reads it in their
    own language."""

    AUTUMN = "autumn", _("Autumn holidays")
    WINTER = "winter", _("Winter holidays")
    SPRING = "spring", _("Spring holidays")
    EXTRA = "extra", _("Additional holidays")
    DAY_OFF = "day_off", _("Day off")
    PUBLIC = "public", _("Public holiday")
    OTHER = "other", _("Other break")


class Holiday(models.Model):
    """Days without lessons: all grades, or only some (grade 1's extra week)."""

    year = models.ForeignKey(
        SchoolYear,
        verbose_name=_("school year"),
        on_delete=models.CASCADE,
        related_name="holidays",
    )
    kind = models.CharField(
        _("kind"), max_length=8, choices=HolidayKind.choices, default=HolidayKind.OTHER
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        blank=True,
        help_text=_("Optional; without it the kind is shown."),
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    grades = models.JSONField(
        _("grades"),
        default=list,
        blank=True,
        help_text=_("Empty: every grade. Otherwise the grades the holiday is for."),
    )

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                name="schools_holiday_ends_after_start",
                condition=Q(ends_on__gte=F("starts_on")),
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(self.get_kind_display())

    def covers(self, day: datetime.date, grade: int) -> bool:
        return self.starts_on <= day <= self.ends_on and (
            not self.grades or grade in self.grades
        )


class Shift(models.Model):
    school = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="shifts",
    )
    number = models.PositiveSmallIntegerField(
        _("shift"), validators=[MinValueValidator(1), MaxValueValidator(3)]
    )

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["school", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "number"], name="schools_shift_unique"
            ),
            models.CheckConstraint(
                name="schools_shift_1_to_3", condition=Q(number__gte=1, number__lte=3)
            ),
        ]

    def __str__(self) -> str:
        return _("Shift %(number)d") % {"number": self.number}


class Period(models.Model):
    """A bell of a shift: lesson number N starts and ends at these times."""

    shift = models.ForeignKey(
        Shift, verbose_name=_("shift"), on_delete=models.CASCADE, related_name="periods"
    )
    number = models.PositiveSmallIntegerField(_("lesson number"))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))

    class Meta:
        verbose_name = _("bell")
        verbose_name_plural = _("bell schedule")
        ordering = ["shift", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "number"], name="schools_period_unique"
            ),
            models.CheckConstraint(
                name="schools_period_ends_after_start",
                condition=Q(ends_at__gt=F("starts_at")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class LessonLength(models.Model):
    """How long lessons of some grades last between two dates.

    Grade 1 has 35-minute lessons in September; without a rule, a lesson
    lasts as its bell says (45 minutes).
    """

    year = models.ForeignKey(
        SchoolYear,
        verbose_name=_("school year"),
        on_delete=models.CASCADE,
        related_name="lesson_lengths",
    )
    grade_from = models.PositiveSmallIntegerField(_("from grade"))
    grade_to = models.PositiveSmallIntegerField(_("to grade"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    minutes = models.PositiveSmallIntegerField(
        _("minutes"), validators=[MinValueValidator(10), MaxValueValidator(90)]
    )

    class Meta:
        verbose_name = _("lesson length")
        verbose_name_plural = _("lesson lengths")
        ordering = ["year", "starts_on", "grade_from"]
        constraints = [
            models.CheckConstraint(
                name="schools_lesson_length_grades_in_order",
                condition=Q(grade_from__lte=F("grade_to"), grade_to__lte=12),
            ),
            models.CheckConstraint(
                name="schools_lesson_length_ends_after_start",
                condition=Q(ends_on__gte=F("starts_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grade_from}–{self.grade_to}: {self.minutes}"

    def covers(self, day: datetime.date, grade: int) -> bool:
        return (
            self.starts_on <= day <= self.ends_on
            and self.grade_from <= grade <= self.grade_to
        )


class RoomKind(models.TextChoices):
    CLASSROOM = "classroom", _("Ordinary classroom")
    COMPUTER = "computer_lab", _("Computer class")
    GYM = "gym", _("Gym")
    CHEMISTRY = "chemistry_lab", _("Chemistry lab")
    PHYSICS = "physics_lab", _("Physics lab")
    BIOLOGY = "biology_lab", _("Biology lab")
    LANGUAGE = "language_room", _("Language room")
    WORKSHOP = "workshop", _("Workshop")
    HALL = "hall", _("Assembly hall")
    LIBRARY = "library", _("Library")


class Room(models.Model):
    school = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="rooms",
    )
    name = models.CharField(_("room"), max_length=40)
    kind = models.CharField(
        _("kind"), max_length=16, choices=RoomKind.choices, default=RoomKind.CLASSROOM
    )
    capacity = models.PositiveSmallIntegerField(_("seats"), default=30)
    shifts = models.ManyToManyField(
        Shift, verbose_name=_("shifts"), related_name="rooms", blank=True
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["school", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"], name="schools_room_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SubjectArea(models.TextChoices):
    """What a subject is, for rules that depend on it (subgroup splits)."""

    KAZAKH = "kazakh", _("Kazakh language and literature")
    RUSSIAN = "russian", _("Russian language and literature")
    FOREIGN = "foreign_language", _("Foreign language")
    INFORMATICS = "informatics", _("Informatics")
    ART_WORK = "art_work", _("Art work")
    OTHER = "other", _("Other")


class Subject(models.Model):
    """A subject of the national list (no school) or one a school added."""

    school = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="own_subjects",
        help_text=_("Empty for the national list."),
    )
    code = models.SlugField(_("code"), max_length=32)
    name_kk = models.CharField(_("name in Kazakh"), max_length=120)
    name_ru = models.CharField(_("name in Russian"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120)
    area = models.CharField(
        _("area"), max_length=20, choices=SubjectArea.choices, default=SubjectArea.OTHER
    )
    grade_from = models.PositiveSmallIntegerField(
        _("from grade"), default=0, validators=[MaxValueValidator(12)]
    )
    grade_to = models.PositiveSmallIntegerField(
        _("to grade"), default=12, validators=[MaxValueValidator(12)]
    )

    class Meta:
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        ordering = ["name_kk"]
        constraints = [
            models.CheckConstraint(
                name="schools_subject_grades_in_order",
                condition=Q(grade_from__lte=F("grade_to"), grade_to__lte=12),
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(school__isnull=True),
                name="schools_national_subject_code_unique",
            ),
            models.UniqueConstraint(
                fields=["school", "code"], name="schools_school_subject_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (get_language() or "kk")[:2]
        return {"kk": self.name_kk, "ru": self.name_ru, "en": self.name_en}.get(
            language
        ) or self.name_kk


class SchoolSubject(models.Model):
    """A subject a school teaches, picked from the national list or its own."""

    school = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="school_subjects",
    )
    subject = models.ForeignKey(
        Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("subject taught")
        verbose_name_plural = _("subjects taught")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "subject"], name="schools_school_subject_unique"
            ),
        ]

    def __str__(self) -> str:
        return str(self.subject)


class InstructionLanguage(models.TextChoices):
    KAZAKH = "kk", _("Kazakh")
    RUSSIAN = "ru", _("Russian")
    ENGLISH = "en", _("English")
    UZBEK = "uz", _("Uzbek")
    UIGHUR = "ug", _("Uighur")
    TAJIK = "tg", _("Tajik")


class SchoolClass(models.Model):
    """A class of one school year: 5 «Ә», taught in Kazakh, second shift."""

    year = models.ForeignKey(
        SchoolYear,
        verbose_name=_("school year"),
        on_delete=models.PROTECT,
        related_name="classes",
    )
    grade = models.PositiveSmallIntegerField(
        _("grade"), validators=[MinValueValidator(0), MaxValueValidator(12)]
    )
    letter = models.CharField(
        _("letter"), max_length=1, validators=[validate_class_letter]
    )
    language = models.CharField(
        _("language of instruction"), max_length=2, choices=InstructionLanguage.choices
    )
    shift = models.ForeignKey(
        Shift, verbose_name=_("shift"), on_delete=models.PROTECT, related_name="classes"
    )
    class_teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("class teacher"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_classes",
    )
    home_room = models.ForeignKey(
        Room,
        verbose_name=_("home room"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="home_classes",
    )

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["year", "grade", "letter"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "grade", "letter"], name="schools_class_unique_in_year"
            ),
            models.CheckConstraint(
                name="schools_class_grade_0_to_12",
                condition=Q(grade__gte=0, grade__lte=12),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grade} «{self.letter}»"


class Subgroup(models.Model):
    """Part of a class taught a subject apart, with its own teacher."""

    school_class = models.ForeignKey(
        SchoolClass,
        verbose_name=_("class"),
        on_delete=models.CASCADE,
        related_name="subgroups",
    )
    subject = models.ForeignKey(
        Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveSmallIntegerField(_("group"))
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="taught_subgroups",
    )

    class Meta:
        verbose_name = _("subgroup")
        verbose_name_plural = _("subgroups")
        ordering = ["school_class", "subject", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["school_class", "subject", "number"],
                name="schools_subgroup_unique",
            ),
            models.CheckConstraint(
                name="schools_subgroup_number_positive", condition=Q(number__gte=1)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school_class} · {self.subject} · {self.number}"


class SubgroupMember(models.Model):
    """A student in a subgroup from one date, until another or the year's end."""

    subgroup = models.ForeignKey(
        Subgroup,
        verbose_name=_("subgroup"),
        on_delete=models.CASCADE,
        related_name="members",
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="subgroup_memberships",
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("subgroup member")
        verbose_name_plural = _("subgroup members")
        ordering = ["subgroup", "starts_on"]
        constraints = [
            models.CheckConstraint(
                name="schools_subgroup_member_dates",
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
            ),
            models.UniqueConstraint(
                fields=["subgroup", "student"],
                condition=Q(ends_on__isnull=True),
                name="schools_one_open_membership_per_subgroup",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} → {self.subgroup}"
