"""Read-only API of timetables: versions with their entries and clashes for
the school's heads, and dated weeks of a class, teacher, room or of the
caller (with the day's substitutions and cancellations).

Every object is narrowed to the school of the caller's active membership;
another school's object answers 404, the same as a missing one.
"""

import datetime

from django.db.models import Q
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from sabaq.accounts.models import Role
from sabaq.schools import selectors as school_selectors
from sabaq.schools.models import Shift
from sabaq.timetable import conflicts, selectors
from sabaq.timetable.models import TimetableVersion


class BriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class VersionSerializer(serializers.ModelSerializer):
    entry_count = serializers.IntegerField()

    class Meta:
        model = TimetableVersion
        fields = [
            "id",
            "name",
            "status",
            "takes_effect_on",
            "published_at",
            "created_at",
            "entry_count",
        ]


class EntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    day = serializers.IntegerField(help_text="0 is Monday.")
    shift = serializers.IntegerField(help_text="The shift's number.")
    period = serializers.IntegerField(help_text="The lesson number in the shift.")
    subject = BriefSerializer()
    school_class = BriefSerializer()
    group = serializers.IntegerField(allow_null=True)
    teacher = BriefSerializer(allow_null=True)
    room = BriefSerializer(allow_null=True)


class ClashSerializer(serializers.Serializer):
    kind = serializers.CharField()
    is_hard = serializers.BooleanField()
    message = serializers.CharField()
    entry = serializers.IntegerField(allow_null=True)
    other_entry = serializers.IntegerField(allow_null=True)
    load_line = serializers.IntegerField(allow_null=True)


class VersionDetailSerializer(VersionSerializer):
    entries = EntrySerializer(many=True)
    clashes = ClashSerializer(many=True)

    class Meta(VersionSerializer.Meta):
        fields = [*VersionSerializer.Meta.fields, "entries", "clashes"]


def _brief(pk, name) -> dict | None:
    return {"id": pk, "name": name} if pk is not None else None


_YEAR_PARAMETER = OpenApiParameter(
    "year", int, description="A school year's id; without it, the current year."
)
_WEEK_PARAMETER = OpenApiParameter(
    "week",
    str,
    description=(
        "Any date of the week wanted (YYYY-MM-DD); without it, this week or "
        "the first week of the latest published timetable."
    ),
)


@extend_schema(parameters=[_YEAR_PARAMETER])
class VersionListView(generics.ListAPIView):
    """The timetable versions of a school year: drafts and published ones."""

    serializer_class = VersionSerializer

    def get_queryset(self):
        actor = self.request.membership
        year = selectors.year_chosen(
            actor=actor, year_id=self.request.query_params.get("year")
        )
        if year is None:
            return TimetableVersion.objects.none()
        return selectors.versions(actor=actor, year=year)


class VersionDetailView(APIView):
    """A version with all its entries and every clash, explained."""

    @extend_schema(responses=VersionDetailSerializer)
    def get(self, request, version_id):
        actor = request.membership
        version = selectors.version_get(actor=actor, version_id=version_id)
        week = selectors.week_of(version)
        explainer = conflicts.Explainer(week)
        entries = [
            {
                "id": lesson.id,
                "day": lesson.day,
                "shift": week.shift_numbers.get(lesson.shift_id, 0),
                "period": lesson.period,
                "subject": _brief(lesson.subject_id, explainer.subject(lesson)),
                "school_class": _brief(
                    lesson.class_id, week.classes[lesson.class_id].label
                ),
                "group": (
                    week.groups[lesson.subgroup_id].number
                    if lesson.subgroup_id in week.groups
                    else None
                ),
                "teacher": _brief(
                    lesson.teacher_id, explainer.teacher(lesson.teacher_id)
                ),
                "room": _brief(lesson.room_id, explainer.room(lesson.room_id)),
            }
            for lesson in sorted(
                week.lessons.values(),
                key=lambda item: (item.class_id, item.day, item.shift_id, item.period),
            )
        ]
        clashes = [
            {
                "kind": clash.kind,
                "is_hard": clash.is_hard,
                "message": explainer.explain(clash),
                "entry": clash.lesson_id,
                "other_entry": clash.other_id,
                "load_line": clash.line_id,
            }
            for clash in conflicts.check_week(week)
        ]
        data = {
            "id": version.pk,
            "name": version.name,
            "status": version.status,
            "takes_effect_on": version.takes_effect_on,
            "published_at": version.published_at,
            "created_at": version.created_at,
            "entry_count": len(entries),
            "entries": entries,
            "clashes": clashes,
        }

        return Response(VersionDetailSerializer(data).data)


class LessonSerializer(serializers.Serializer):
    entry = serializers.IntegerField()
    shift = serializers.IntegerField()
    period = serializers.IntegerField()
    starts_at = serializers.CharField(allow_blank=True)
    ends_at = serializers.CharField(allow_blank=True)
    subject = serializers.CharField()
    school_class = BriefSerializer()
    group = serializers.IntegerField(allow_null=True)
    teacher = BriefSerializer(allow_null=True)
    room = BriefSerializer(allow_null=True)
    substitute = BriefSerializer(allow_null=True)
    room_today = BriefSerializer(allow_null=True)
    is_cancelled = serializers.BooleanField()
    is_substitution = serializers.BooleanField(
        help_text="The caller teaches it for an absent colleague."
    )
    note = serializers.CharField(allow_blank=True)


class DaySerializer(serializers.Serializer):
    date = serializers.DateField()
    weekday = serializers.IntegerField(help_text="0 is Monday.")
    closed = serializers.CharField(
        allow_blank=True, help_text="Why there are no lessons that day, if so."
    )
    lessons = LessonSerializer(many=True)


class WeekSerializer(serializers.Serializer):
    monday = serializers.DateField()
    person = BriefSerializer(allow_null=True)
    school_class = BriefSerializer(allow_null=True)
    days = DaySerializer(many=True)


def _week_data(
    *,
    school_id: int,
    monday: datetime.date,
    entries: Q,
    grade: int | None = None,
    substitute=None,
    person=None,
    school_class=None,
) -> dict:
    found = selectors.dated_lessons(
        school_id=school_id,
        first=monday,
        last=monday + datetime.timedelta(days=selectors.SCHOOL_DAYS[-1]),
        entries=entries,
        grade=grade,
        substitute=substitute,
    )
    bells = selectors.bells_of(school_id=school_id)
    shifts = dict(Shift.objects.filter(school_id=school_id).values_list("pk", "number"))
    days = []
    for column in found.days:
        lessons = []
        for lesson in found.lessons:
            if lesson.day != column.date:
                continue
            entry, change = lesson.entry, lesson.change
            bell = bells.get((entry.shift_id, entry.period))
            lessons.append(
                {
                    "entry": entry.pk,
                    "shift": shifts.get(entry.shift_id, 0),
                    "period": entry.period,
                    "starts_at": selectors.minutes_text(bell.start) if bell else "",
                    "ends_at": selectors.minutes_text(bell.end) if bell else "",
                    "subject": entry.load.subject.name,
                    "school_class": _brief(
                        entry.school_class_id, str(entry.school_class)
                    ),
                    "group": entry.subgroup.number if entry.subgroup_id else None,
                    "teacher": _brief(
                        entry.teacher_id,
                        entry.teacher.full_name if entry.teacher_id else "",
                    ),
                    "room": _brief(
                        entry.room_id, entry.room.name if entry.room_id else ""
                    ),
                    "substitute": (
                        _brief(change.substitute_id, change.substitute.full_name)
                        if change is not None and change.substitute_id
                        else None
                    ),
                    "room_today": (
                        _brief(change.room_id, change.room.name)
                        if change is not None and change.room_id
                        else None
                    ),
                    "is_cancelled": bool(change and change.is_cancelled),
                    "is_substitution": lesson.is_extra,
                    "note": change.note if change is not None else "",
                }
            )
        lessons.sort(key=lambda item: (item["starts_at"], item["period"]))
        days.append(
            {
                "date": column.date,
                "weekday": column.day,
                "closed": column.closed,
                "lessons": lessons,
            }
        )

    return {
        "monday": monday,
        "person": _brief(person.pk, person.full_name) if person else None,
        "school_class": (
            _brief(school_class.pk, str(school_class)) if school_class else None
        ),
        "days": days,
    }


def _monday(request) -> datetime.date:
    return selectors.parse_monday(
        request.query_params.get("week"), school_id=request.membership.organisation_pk
    )


class ClassWeekView(APIView):
    """A class's dated week with the day's substitutions and cancellations."""

    @extend_schema(parameters=[_WEEK_PARAMETER], responses=WeekSerializer)
    def get(self, request, class_id):
        actor = request.membership
        school_class = school_selectors.class_get(actor=actor, class_id=class_id)
        data = _week_data(
            school_id=actor.organisation_pk,
            monday=_monday(request),
            entries=Q(school_class=school_class),
            grade=school_class.grade,
            school_class=school_class,
        )
        return Response(WeekSerializer(data).data)


class TeacherWeekView(APIView):
    """A teacher's dated week; a teacher may read only their own."""

    @extend_schema(parameters=[_WEEK_PARAMETER], responses=WeekSerializer)
    def get(self, request, teacher_id):
        actor = request.membership
        teacher = selectors.staff_member_get(actor=actor, person_id=teacher_id)
        if actor.role == Role.TEACHER and teacher.pk != actor.user_id:
            raise Http404
        data = _week_data(
            school_id=actor.organisation_pk,
            monday=_monday(request),
            entries=Q(teacher=teacher),
            substitute=teacher,
            person=teacher,
        )
        return Response(WeekSerializer(data).data)


class RoomWeekView(APIView):
    """A room's dated week."""

    @extend_schema(parameters=[_WEEK_PARAMETER], responses=WeekSerializer)
    def get(self, request, room_id):
        actor = request.membership
        room = school_selectors.room_get(actor=actor, room_id=room_id)
        data = _week_data(
            school_id=actor.organisation_pk,
            monday=_monday(request),
            entries=Q(room=room),
        )
        return Response(WeekSerializer(data).data)


class MyWeekSerializer(serializers.Serializer):
    weeks = WeekSerializer(many=True)


class MyWeekView(APIView):
    """The caller's dated week: a teacher's own, a student's own, or one per
    child for a parent."""

    @extend_schema(parameters=[_WEEK_PARAMETER], responses=MyWeekSerializer)
    def get(self, request):
        actor = request.membership
        school_id = actor.organisation_pk
        monday = _monday(request)
        weeks = []
        if actor.role == Role.TEACHER:
            weeks.append(
                _week_data(
                    school_id=school_id,
                    monday=monday,
                    entries=Q(teacher=actor.user),
                    substitute=actor.user,
                    person=actor.user,
                )
            )
        else:
            students = (
                [actor.user]
                if actor.role == Role.STUDENT
                else selectors.children_of(actor=actor)
            )
            friday = monday + datetime.timedelta(days=selectors.SCHOOL_DAYS[-1])
            for student in students:
                school_class, entries = selectors.student_scope(
                    school_id=school_id, student=student, day=friday
                )
                weeks.append(
                    _week_data(
                        school_id=school_id,
                        monday=monday,
                        entries=entries,
                        grade=school_class.grade if school_class else None,
                        person=student,
                        school_class=school_class,
                    )
                )

        return Response(MyWeekSerializer({"weeks": weeks}).data)


api_urlpatterns = [
    path(
        "timetable/versions/",
        VersionListView.as_view(),
        name="timetable_version_list",
    ),
    path(
        "timetable/versions/<int:version_id>/",
        VersionDetailView.as_view(),
        name="timetable_version_detail",
    ),
    path(
        "timetable/classes/<int:class_id>/",
        ClassWeekView.as_view(),
        name="timetable_class_week",
    ),
    path(
        "timetable/teachers/<int:teacher_id>/",
        TeacherWeekView.as_view(),
        name="timetable_teacher_week",
    ),
    path(
        "timetable/rooms/<int:room_id>/",
        RoomWeekView.as_view(),
        name="timetable_room_week",
    ),
    path("timetable/my/", MyWeekView.as_view(), name="timetable_my_week"),
]
