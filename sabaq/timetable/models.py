"""The timetable of a school year: the curriculum load, timetable versions and
their weekly entries, teachers' unavailable times, absences with one-day
changes of lessons, in-app notices and personal calendar feeds.

A *timetable entry* is a weekly slot (Tuesday, shift 1, lesson 3); a *lesson*
is its dated occurrence, which a `LessonChange` can give a substitute, another
room, or cancel for one day.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sabaq.schools.models import RoomKind

DAY_COUNT = 6
"""Monday to Saturday; most schools use the first five days only."""

MAX_PERIOD = 12
"""The highest lesson number a bell schedule may have."""

MAX_HOURS = 40
"""The most hours a week one line of the load may ask for."""

DEFAULT_MAX_WEEKLY_HOURS = {
    **dict.fromkeys(range(0, 5), 29),
    5: 32,
    6: 33,
    7: 34,
    **dict.fromkeys(range(8, 13), 36),
}
"""A class's largest weekly load by grade (state standard, domain-kz §3.2).

Primary school is at most 29 hours, grades 5, 6 and 7 have 32, 33 and 34.
The figures for grades 8 to 12 were not found; 36 stands in until a school
enters its own, and grade 0 takes the primary figure.
"""


class GradeLoadLimit(models.Model):
    """A school year's own largest weekly load for one grade."""

    year = models.ForeignKey(
        "schools.SchoolYear",
        verbose_name=_("school year"),
        on_delete=models.CASCADE,
        related_name="grade_load_limits",
    )
    grade = models.PositiveSmallIntegerField(
        _("grade"), validators=[MaxValueValidator(12)]
    )
    max_hours = models.PositiveSmallIntegerField(
        _("most hours a week"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_HOURS * 2)],
    )

    class Meta:
        verbose_name = _("weekly load limit")
        verbose_name_plural = _("weekly load limits")
        ordering = ["year", "grade"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "grade"], name="timetable_one_limit_per_grade"
            ),
            models.CheckConstraint(
                name="timetable_limit_grade_0_to_12", condition=Q(grade__lte=12)
            ),
            models.CheckConstraint(
                name="timetable_limit_hours_positive", condition=Q(max_hours__gte=1)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grade}: {self.max_hours}"


class LoadLine(models.Model):
    """One line of the curriculum load: a class, or one of its subgroups, is
    taught a subject so many hours a week by a teacher."""

    school_class = models.ForeignKey(
        "schools.SchoolClass",
        verbose_name=_("class"),
        on_delete=models.PROTECT,
        related_name="load_lines",
    )
    subgroup = models.ForeignKey(
        "schools.Subgroup",
        verbose_name=_("subgroup"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="load_lines",
        help_text=_("Empty when the whole class has the lesson."),
    )
    subject = models.ForeignKey(
        "schools.Subject",
        verbose_name=_("subject"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="load_lines",
    )
    hours = models.PositiveSmallIntegerField(
        _("hours a week"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_HOURS)],
    )
    room_kind = models.CharField(
        _("needs a room of the kind"),
        max_length=16,
        choices=RoomKind.choices,
        blank=True,
        help_text=_("Empty: any room will do."),
    )
    room = models.ForeignKey(
        "schools.Room",
        verbose_name=_("preferred room"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("curriculum load line")
        verbose_name_plural = _("curriculum load")
        ordering = ["school_class", "subject", "subgroup"]
        constraints = [
            models.UniqueConstraint(
                fields=["school_class", "subject"],
                condition=Q(subgroup__isnull=True),
                name="timetable_one_class_line_per_subject",
            ),
            models.UniqueConstraint(
                fields=["subgroup"],
                condition=Q(subgroup__isnull=False),
                name="timetable_one_line_per_subgroup",
            ),
            models.CheckConstraint(
                name="timetable_load_hours_1_to_40",
                condition=Q(hours__gte=1, hours__lte=MAX_HOURS),
            ),
        ]

    def __str__(self) -> str:
        audience = self.subgroup if self.subgroup_id else self.school_class
        return f"{audience} · {self.subject}: {self.hours}"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    REPLACED = "replaced", _("Replaced")


class TimetableVersion(models.Model):
    """One whole week of a school year's timetable.

    A draft may hold clashes while the deputy head works on it. Publishing it
    gives it the day it takes effect; from then on it is read-only, and the
    version in effect on a day is the published one that took effect last.
    A draft published for the same day as an earlier version replaces it;
    every version stays readable.
    """

    year = models.ForeignKey(
        "schools.SchoolYear",
        verbose_name=_("school year"),
        on_delete=models.PROTECT,
        related_name="timetable_versions",
    )
    name = models.CharField(_("name"), max_length=80)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=VersionStatus.choices,
        default=VersionStatus.DRAFT,
    )
    takes_effect_on = models.DateField(_("takes effect on"), null=True, blank=True)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("timetable version")
        verbose_name_plural = _("timetable versions")
        ordering = ["year", "-takes_effect_on", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "takes_effect_on"],
                condition=Q(status="published"),
                name="timetable_one_published_version_per_day",
            ),
            models.CheckConstraint(
                name="timetable_published_version_has_a_date",
                condition=Q(status="draft") | Q(takes_effect_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT


class TimetableEntry(models.Model):
    """A weekly slot of one line of the load: day, shift, lesson number, room.

    The class, subgroup and teacher are copied from the load line when the
    entry is placed, and `is_published` from the version when it is
    published, so that the database itself can refuse two lessons of one
    teacher, audience or room in one slot of a published timetable.
    Subgroups of one class may meet in the same slot; a whole-class lesson
    beside a subgroup's is refused by the publishing service.
    """

    version = models.ForeignKey(
        TimetableVersion,
        verbose_name=_("timetable version"),
        on_delete=models.CASCADE,
        related_name="entries",
    )
    load = models.ForeignKey(
        LoadLine,
        verbose_name=_("curriculum load line"),
        on_delete=models.PROTECT,
        related_name="entries",
    )
    school_class = models.ForeignKey(
        "schools.SchoolClass",
        verbose_name=_("class"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    subgroup = models.ForeignKey(
        "schools.Subgroup",
        verbose_name=_("subgroup"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    room = models.ForeignKey(
        "schools.Room",
        verbose_name=_("room"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    day = models.PositiveSmallIntegerField(
        _("day of the week"), validators=[MaxValueValidator(DAY_COUNT - 1)]
    )
    shift = models.ForeignKey(
        "schools.Shift",
        verbose_name=_("shift"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    period = models.PositiveSmallIntegerField(
        _("lesson number"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PERIOD)],
    )
    is_published = models.BooleanField(_("published"), default=False)

    class Meta:
        verbose_name = _("timetable entry")
        verbose_name_plural = _("timetable entries")
        ordering = ["version", "day", "shift", "period", "id"]
        indexes = [
            models.Index(
                fields=["version", "school_class"], name="timetable_entry_class"
            ),
            models.Index(fields=["version", "teacher"], name="timetable_entry_teacher"),
            models.Index(fields=["version", "room"], name="timetable_entry_room"),
        ]
        constraints = [
            models.CheckConstraint(
                name="timetable_entry_day_in_week",
                condition=Q(day__lt=DAY_COUNT),
            ),
            models.CheckConstraint(
                name="timetable_entry_period_1_to_12",
                condition=Q(period__gte=1, period__lte=MAX_PERIOD),
            ),
            models.UniqueConstraint(
                fields=["version", "day", "shift", "period", "teacher"],
                condition=Q(is_published=True),
                name="timetable_published_teacher_once_per_slot",
            ),
            models.UniqueConstraint(
                fields=["version", "day", "shift", "period", "room"],
                condition=Q(is_published=True),
                name="timetable_published_room_once_per_slot",
            ),
            models.UniqueConstraint(
                fields=["version", "day", "shift", "period", "school_class"],
                condition=Q(is_published=True, subgroup__isnull=True),
                name="timetable_published_class_once_per_slot",
            ),
            models.UniqueConstraint(
                fields=["version", "day", "shift", "period", "subgroup"],
                condition=Q(is_published=True, subgroup__isnull=False),
                name="timetable_published_subgroup_once_per_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version_id}: {self.day}/{self.shift_id}/{self.period}"


class TeacherUnavailability(models.Model):
    """A lesson slot of the week in which a teacher cannot teach."""

    year = models.ForeignKey(
        "schools.SchoolYear",
        verbose_name=_("school year"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    day = models.PositiveSmallIntegerField(_("day of the week"))
    shift = models.ForeignKey(
        "schools.Shift",
        verbose_name=_("shift"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    period = models.PositiveSmallIntegerField(_("lesson number"))

    class Meta:
        verbose_name = _("time a teacher is unavailable")
        verbose_name_plural = _("times teachers are unavailable")
        ordering = ["year", "teacher", "day", "shift", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "teacher", "day", "shift", "period"],
                name="timetable_unavailable_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.teacher_id}: {self.day}/{self.shift_id}/{self.period}"


class TeacherAbsence(models.Model):
    """Days on which a teacher is away; their lessons need substitutes."""

    school = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("teacher's absence")
        verbose_name_plural = _("teachers' absences")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="timetable_absence_ends_after_start",
                condition=Q(ends_on__gte=F("starts_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} {self.starts_on}–{self.ends_on}"


class LessonChange(models.Model):
    """One day's change of one lesson: a substitute, another room, or none."""

    entry = models.ForeignKey(
        TimetableEntry,
        verbose_name=_("timetable entry"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    on_date = models.DateField(_("date"))
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("substitute"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    room = models.ForeignKey(
        "schools.Room",
        verbose_name=_("room for the day"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    absence = models.ForeignKey(
        TeacherAbsence,
        verbose_name=_("absence"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("change of a lesson")
        verbose_name_plural = _("changes of lessons")
        ordering = ["on_date", "entry"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "on_date"], name="timetable_one_change_per_lesson"
            ),
            models.CheckConstraint(
                name="timetable_cancelled_lesson_has_no_substitute",
                condition=Q(is_cancelled=False)
                | Q(substitute__isnull=True, room__isnull=True),
            ),
            models.CheckConstraint(
                name="timetable_change_changes_something",
                condition=Q(is_cancelled=True)
                | Q(substitute__isnull=False)
                | Q(room__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.on_date}"


class NoticeKind(models.TextChoices):
    WEEK_CHANGED = "week_changed", _("A new timetable changes your week")
    LESSON_CHANGED = "lesson_changed", _("A lesson changes for one day")
    SUBSTITUTION = "substitution", _("You teach a lesson for a colleague")


class Notice(models.Model):
    """A short in-app message about a person's week, shown on their timetable.

    The text is made when the notice is shown, in the reader's language, from
    the version or the change it points to.
    """

    # TODO: Once the notifications app has its outbox, timetable changes
    # should also go out through it (e-mail, phone, digests); these notices
    # are only seen on the person's timetable page.

    school = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="timetable_notices",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=NoticeKind.choices)
    version = models.ForeignKey(
        TimetableVersion,
        verbose_name=_("timetable version"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    change = models.ForeignKey(
        LessonChange,
        verbose_name=_("change of a lesson"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notices",
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("timetable notice")
        verbose_name_plural = _("timetable notices")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["person", "school", "-created_at"],
                name="timetable_notice_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.person_id}"


class CalendarFeed(models.Model):
    """The secret address of a membership's personal calendar (iCalendar).

    Whoever knows the address reads the calendar, so the person can renew it,
    which makes the old address stop working.
    """

    membership = models.OneToOneField(
        "accounts.Membership",
        verbose_name=_("role"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(_("secret"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.membership_id)
