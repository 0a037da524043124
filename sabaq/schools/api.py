"""Read-only API of the school's frame: years, classes, subgroups, rooms, subjects.

Every list and object is narrowed to the school of the caller's active
membership; another school's object answers 404, the same as a missing one.
"""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers

from sabaq.schools import selectors
from sabaq.schools.models import (
    Holiday,
    LessonLength,
    Quarter,
    Room,
    SchoolClass,
    SchoolYear,
    Subgroup,
    SubgroupMember,
    Subject,
    YearStatus,
)


class PersonBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()


class QuarterSerializer(serializers.ModelSerializer):
    class Meta:
        model = Quarter
        fields = ["number", "starts_on", "ends_on"]


class HolidaySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__")

    class Meta:
        model = Holiday
        fields = ["id", "kind", "name", "starts_on", "ends_on", "grades"]


class LessonLengthSerializer(serializers.ModelSerializer):
    class Meta:
        model = LessonLength
        fields = ["grade_from", "grade_to", "starts_on", "ends_on", "minutes"]


class SchoolYearSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__")
    # A plain string in the schema: an enum named after the field would
    # collide with other apps' `status` enums in drf-spectacular's naming.
    status = serializers.CharField(
        read_only=True, help_text=" or ".join(f"`{v}`" for v in YearStatus.values)
    )
    quarters = QuarterSerializer(many=True)
    holidays = HolidaySerializer(many=True)
    lesson_lengths = LessonLengthSerializer(many=True)

    class Meta:
        model = SchoolYear
        fields = [
            "id",
            "name",
            "starts_on",
            "ends_on",
            "status",
            "quarters",
            "holidays",
            "lesson_lengths",
        ]


class SchoolYearListView(generics.ListAPIView):
    """The school years of the active school, newest first, with their calendars."""

    serializer_class = SchoolYearSerializer

    def get_queryset(self):
        return selectors.school_years(actor=self.request.membership)


class SchoolYearDetailView(generics.RetrieveAPIView):
    serializer_class = SchoolYearSerializer

    def get_object(self):
        return selectors.school_year_get(
            actor=self.request.membership, year_id=self.kwargs["year_id"]
        )


class RoomBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SchoolClassSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__")
    shift = serializers.IntegerField(source="shift.number")
    class_teacher = PersonBriefSerializer(allow_null=True)
    home_room = RoomBriefSerializer(allow_null=True)
    student_count = serializers.IntegerField()

    class Meta:
        model = SchoolClass
        fields = [
            "id",
            "year",
            "name",
            "grade",
            "letter",
            "language",
            "shift",
            "class_teacher",
            "home_room",
            "student_count",
        ]


_YEAR_PARAMETER = OpenApiParameter(
    "year",
    int,
    description="A school year's id; without it, the current year.",
)


@extend_schema(parameters=[_YEAR_PARAMETER])
class SchoolClassListView(generics.ListAPIView):
    """The classes of one school year with their number of students today."""

    serializer_class = SchoolClassSerializer

    def get_queryset(self):
        actor = self.request.membership
        year_id = self.request.query_params.get("year")
        if year_id:
            year = selectors.school_year_get(actor=actor, year_id=year_id)
        else:
            year = selectors.current_year(actor=actor)
        if year is None:
            return SchoolClass.objects.none()
        return selectors.classes(actor=actor, year=year)


class SchoolClassDetailView(generics.RetrieveAPIView):
    serializer_class = SchoolClassSerializer

    def get_object(self):
        actor = self.request.membership
        school_class = selectors.class_get(
            actor=actor, class_id=self.kwargs["class_id"]
        )
        return selectors.classes(actor=actor, year=school_class.year).get(
            pk=school_class.pk
        )


class SubjectSerializer(serializers.ModelSerializer):
    name = serializers.CharField()
    is_national = serializers.SerializerMethodField()

    class Meta:
        model = Subject
        fields = [
            "id",
            "code",
            "name",
            "name_kk",
            "name_ru",
            "name_en",
            "area",
            "grade_from",
            "grade_to",
            "is_national",
        ]

    def get_is_national(self, subject) -> bool:
        return subject.school_id is None


class SubjectListView(generics.ListAPIView):
    """The subjects the active school teaches."""

    serializer_class = SubjectSerializer

    def get_queryset(self):
        return selectors.school_subjects(actor=self.request.membership)


class SubjectDetailView(generics.RetrieveAPIView):
    """A subject of the national list or of the active school's own."""

    serializer_class = SubjectSerializer

    def get_object(self):
        return selectors.subject_get(
            actor=self.request.membership, subject_id=self.kwargs["subject_id"]
        )


class SubgroupMemberSerializer(serializers.ModelSerializer):
    student = PersonBriefSerializer()

    class Meta:
        model = SubgroupMember
        fields = ["student", "starts_on", "ends_on"]


class SubjectBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class SubgroupSerializer(serializers.ModelSerializer):
    subject = SubjectBriefSerializer()
    teacher = PersonBriefSerializer(allow_null=True)
    members = SubgroupMemberSerializer(many=True, source="current_members")

    class Meta:
        model = Subgroup
        fields = ["id", "school_class", "subject", "number", "teacher", "members"]


@extend_schema(
    parameters=[
        _YEAR_PARAMETER,
        OpenApiParameter("school_class", int, description="Only this class's groups."),
    ]
)
class SubgroupListView(generics.ListAPIView):
    """Subgroups of a year with the students in each today."""

    serializer_class = SubgroupSerializer

    def get_queryset(self):
        actor = self.request.membership
        params = self.request.query_params
        school_class = None
        if params.get("school_class"):
            school_class = selectors.class_get(
                actor=actor, class_id=params["school_class"]
            )
            year = school_class.year
        elif params.get("year"):
            year = selectors.school_year_get(actor=actor, year_id=params["year"])
        else:
            year = selectors.current_year(actor=actor)
        if year is None:
            return Subgroup.objects.none()
        return selectors.subgroups(actor=actor, year=year, school_class=school_class)


class SubgroupDetailView(generics.RetrieveAPIView):
    serializer_class = SubgroupSerializer

    def get_object(self):
        actor = self.request.membership
        subgroup = selectors.subgroup_get(
            actor=actor, subgroup_id=self.kwargs["subgroup_id"]
        )
        return selectors.subgroups(actor=actor, year=subgroup.school_class.year).get(
            pk=subgroup.pk
        )


class RoomSerializer(serializers.ModelSerializer):
    shifts = serializers.SerializerMethodField()

    class Meta:
        model = Room
        fields = ["id", "name", "kind", "capacity", "shifts", "is_active"]

    def get_shifts(self, room) -> list[int]:
        return [shift.number for shift in room.shifts.all()]


class RoomListView(generics.ListAPIView):
    """The rooms of the active school, in use or not."""

    serializer_class = RoomSerializer

    def get_queryset(self):
        return selectors.rooms(actor=self.request.membership)


class RoomDetailView(generics.RetrieveAPIView):
    serializer_class = RoomSerializer

    def get_object(self):
        return selectors.room_get(
            actor=self.request.membership, room_id=self.kwargs["room_id"]
        )


api_urlpatterns = [
    path("school-years/", SchoolYearListView.as_view(), name="school_year_list"),
    path(
        "school-years/<int:year_id>/",
        SchoolYearDetailView.as_view(),
        name="school_year_detail",
    ),
    path("classes/", SchoolClassListView.as_view(), name="class_list"),
    path(
        "classes/<int:class_id>/", SchoolClassDetailView.as_view(), name="class_detail"
    ),
    path("subgroups/", SubgroupListView.as_view(), name="subgroup_list"),
    path(
        "subgroups/<int:subgroup_id>/",
        SubgroupDetailView.as_view(),
        name="subgroup_detail",
    ),
    path("rooms/", RoomListView.as_view(), name="room_list"),
    path("rooms/<int:room_id>/", RoomDetailView.as_view(), name="room_detail"),
    path("subjects/", SubjectListView.as_view(), name="subject_list"),
    path(
        "subjects/<int:subject_id>/",
        SubjectDetailView.as_view(),
        name="subject_detail",
    ),
]
