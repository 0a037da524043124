"""Personal calendar feeds in iCalendar (RFC 5545).

A feed holds a person's dated lessons from the start of last week to six
weeks ahead: a teacher's own lessons and those they teach for absent
colleagues, a student's lessons, a parent's children's lessons. Holidays and
days between quarters have no lessons (`schools.calendar`); substitutions
and room changes are in the events, and a cancelled lesson stays in the
calendar marked as cancelled, so that calendar apps show it crossed out.

Each lesson keeps the same UID from one download to the next, so a calendar
app updates it in place when it changes.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from sabaq.accounts.models import Role
from sabaq.schools import calendar as school_calendar
from sabaq.schools.models import Period
from sabaq.timetable import selectors
from sabaq.timetable.models import CalendarFeed

WEEKS_BACK = 1
WEEKS_AHEAD = 6


def feed_range(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    monday = selectors.monday_of(today)
    first = monday - datetime.timedelta(weeks=WEEKS_BACK)
    last = monday + datetime.timedelta(weeks=WEEKS_AHEAD, days=-1)
    return first, last


def feed_lessons(
    feed: CalendarFeed, *, today: datetime.date
) -> list[tuple[str, selectors.DatedLesson, list]]:
    """(whose lesson, the lesson, the school years) for the feed's person.

    The first item names the child in a parent's feed and is empty
    otherwise.
    """
    membership = feed.membership
    school_id = membership.organisation_pk
    first, last = feed_range(today)
    found = []

    if membership.role == Role.TEACHER:
        teacher = membership.user
        lessons = selectors.dated_lessons(
            school_id=school_id,
            first=first,
            last=last,
            entries=Q(teacher=teacher),
            substitute=teacher,
        )
        found += [("", lesson, lessons.years) for lesson in lessons.lessons]
        return found

    if membership.role == Role.STUDENT:
        students = [("", membership.user)]
    else:
        students = [
            (child.name, child) for child in selectors.children_of(actor=membership)
        ]
    for whose, student in students:
        # TODO: A student who moves to another class within the feed's weeks
        # is shown the lessons of the class they are in on the day of the
        # download for all of those weeks.
        school_class, entries = selectors.student_scope(
            school_id=school_id, student=student, day=max(today, first)
        )
        if school_class is None:
            continue
        lessons = selectors.dated_lessons(
            school_id=school_id,
            first=first,
            last=last,
            entries=entries,
            grade=school_class.grade,
        )
        found += [(whose, lesson, lessons.years) for lesson in lessons.lessons]

    return found


def _summary(whose: str, lesson: selectors.DatedLesson, role: str) -> str:
    entry = lesson.entry
    subject = entry.load.subject.name
    if role == Role.TEACHER:
        what = _("%(subject)s, %(class)s") % {
            "subject": subject,
            "class": entry.school_class,
        }
    else:
        what = subject
    if whose:
        what = _("%(child)s: %(lesson)s") % {"child": whose, "lesson": what}
    if lesson.change is not None and lesson.change.is_cancelled:
        return _("Cancelled: %(lesson)s") % {"lesson": what}
    if lesson.is_extra:
        return _("Substitution: %(lesson)s") % {"lesson": what}
    return what


def _description(lesson: selectors.DatedLesson) -> str:
    entry = lesson.entry
    change = lesson.change
    parts = []
    if change is not None and change.substitute is not None:
        parts.append(
            _("Teacher: %(teacher)s, substituting for %(absent)s.")
            % {
                "teacher": change.substitute.full_name,
                "absent": entry.teacher.full_name if entry.teacher else "—",
            }
        )
    elif entry.teacher is not None:
        parts.append(_("Teacher: %(teacher)s.") % {"teacher": entry.teacher.full_name})
    if change is not None and change.room is not None:
        parts.append(
            _("Room changed for the day: %(room)s.") % {"room": change.room.name}
        )
    if change is not None and change.note:
        parts.append(change.note)
    return "\n".join(parts)


def feed_ics(feed: CalendarFeed, *, today: datetime.date) -> bytes:
    """The feed as an iCalendar file."""
    membership = feed.membership
    zone = ZoneInfo(settings.TIME_ZONE)
    periods = {
        (period.shift_id, period.number): period
        for period in Period.objects.filter(shift__school_id=membership.organisation_pk)
    }
    host = settings.SITE_URL.split("//")[-1].split("/")[0] or "sabaq"

    cal = Calendar()
    cal.add("prodid", "-//Sabaq//Timetable//KK")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add(
        "x-wr-calname",
        _("Sabaq timetable: %(name)s") % {"name": membership.user.short_name},
    )
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()

    for whose, lesson, years in feed_lessons(feed, today=today):
        entry = lesson.entry
        period = periods.get((entry.shift_id, entry.period))
        year = selectors.year_of(years, lesson.day)
        if period is None or year is None:
            continue
        minutes = school_calendar.lesson_minutes(
            year, entry.school_class.grade, lesson.day, period
        )
        starts = datetime.datetime.combine(lesson.day, period.starts_at, tzinfo=zone)
        change = lesson.change
        room = entry.room.name if entry.room is not None else ""
        if change is not None and change.room is not None:
            room = change.room.name

        event = Event()
        event.add("uid", f"lesson-{entry.pk}-{lesson.day:%Y%m%d}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", starts)
        event.add("dtend", starts + datetime.timedelta(minutes=minutes))
        event.add("summary", _summary(whose, lesson, membership.role))
        if room:
            event.add("location", _("Room %(room)s") % {"room": room})
        description = _description(lesson)
        if description:
            event.add("description", description)
        cancelled = change is not None and change.is_cancelled
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        event.add("sequence", 1 if change is not None else 0)
        cal.add_component(event)

    cal.add_missing_timezones()

    return cal.to_ical()
