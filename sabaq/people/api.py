"""API for the students and staff of the active school.

A directory for the school's staff: names, classes, subjects. The IIN is
whole only for the director and deputy heads, masked for teachers; the
personal file (`file`) is filled only for the director and deputy heads.
Another school's student or teacher answers 404, like a missing one.
"""

from django.http import Http404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import generics, serializers

from sabaq.accounts.models import User
from sabaq.people import selectors
from sabaq.people.models import StaffRecord, StudentRecord
from sabaq.people.permissions import iin_for, sees_full_iin


class StudentClassSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class StaffSubjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class StudentFileSerializer(serializers.ModelSerializer):
    # A plain code, not an enum: the schema already names this choice set
    # after the classes' `language`, and a person's interface language is a
    # different `language` again.
    language = serializers.CharField(
        read_only=True,
        help_text="Language of instruction: kk, ru, en, uz, ug or tg; empty if unset.",
    )

    class Meta:
        model = StudentRecord
        fields = [
            "file_number",
            "birth_date",
            "sex",
            "address",
            "citizenship",
            "language",
            "health_group",
            "special_needs",
            "social_category",
            "admitted_on",
            "admission_order",
            "admitted_from",
        ]


class StaffFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = StaffRecord
        fields = [
            "category",
            "category_given_on",
            "attestation_due_on",
            "education",
            "hired_on",
            "load_rate",
        ]


class _PersonSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)
    iin = serializers.SerializerMethodField(
        help_text="Whole for the director and deputy heads, masked for others."
    )

    def get_iin(self, person: User) -> str:
        return iin_for(self.context["request"].membership, person)

    def _sees_files(self) -> bool:
        return sees_full_iin(self.context["request"].membership)


class StudentSerializer(_PersonSerializer):
    school_class = serializers.SerializerMethodField()
    file = serializers.SerializerMethodField(
        help_text="The personal file; null except for the director and deputy heads."
    )

    class Meta:
        model = User
        fields = [
            "id",
            "surname",
            "name",
            "patronymic",
            "full_name",
            "iin",
            "school_class",
            "file",
        ]

    @extend_schema_field(StudentClassSerializer(allow_null=True))
    def get_school_class(self, student: User) -> dict | None:
        enrolment = selectors.prefetched_first(student, "current_enrolments")
        if enrolment is None:
            return None
        return {"id": enrolment.school_class_id, "name": str(enrolment.school_class)}

    @extend_schema_field(StudentFileSerializer(allow_null=True))
    def get_file(self, student: User) -> dict | None:
        record = selectors.prefetched_first(student, "open_records")
        if record is None or not self._sees_files():
            return None
        return StudentFileSerializer(record).data


class StaffSerializer(_PersonSerializer):
    roles = serializers.SerializerMethodField()
    position = serializers.SerializerMethodField()
    subjects = serializers.SerializerMethodField()
    file = serializers.SerializerMethodField(
        help_text="The staff file; null except for the director and deputy heads."
    )

    class Meta:
        model = User
        fields = [
            "id",
            "surname",
            "name",
            "patronymic",
            "full_name",
            "iin",
            "roles",
            "position",
            "subjects",
            "file",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_roles(self, person: User) -> list[str]:
        return [m.role for m in getattr(person, "school_memberships", [])]

    @extend_schema_field(OpenApiTypes.STR)
    def get_position(self, person: User) -> str:
        record = selectors.prefetched_first(person, "staff_files")
        return record.position if record else ""

    @extend_schema_field(StaffSubjectSerializer(many=True))
    def get_subjects(self, person: User) -> list[dict]:
        record = selectors.prefetched_first(person, "staff_files")
        if record is None:
            return []
        return [
            {"id": s.pk, "code": s.code, "name": s.name} for s in record.subjects.all()
        ]

    @extend_schema_field(StaffFileSerializer(allow_null=True))
    def get_file(self, person: User) -> dict | None:
        record = selectors.prefetched_first(person, "staff_files")
        if record is None or not self._sees_files():
            return None
        return StaffFileSerializer(record).data


class StudentListView(generics.ListAPIView):
    """The current students of the active school, by surname."""

    serializer_class = StudentSerializer

    def get_queryset(self):
        return selectors.school_students(actor=self.request.membership)


class StudentDetailView(generics.RetrieveAPIView):
    """One current student of the active school."""

    serializer_class = StudentSerializer

    def get_object(self):
        try:
            return selectors.school_students(actor=self.request.membership).get(
                pk=self.kwargs["student_id"]
            )
        except User.DoesNotExist:
            raise Http404 from None


class StaffListView(generics.ListAPIView):
    """The director, deputy heads and teachers of the active school."""

    serializer_class = StaffSerializer

    def get_queryset(self):
        return selectors.staff_members(actor=self.request.membership)


class StaffDetailView(generics.RetrieveAPIView):
    """One staff member of the active school."""

    serializer_class = StaffSerializer

    def get_object(self):
        return selectors.staff_member_get(
            actor=self.request.membership, staff_id=self.kwargs["staff_id"]
        )


api_urlpatterns = [
    path("school/students/", StudentListView.as_view(), name="school_students"),
    path(
        "school/students/<int:student_id>/",
        StudentDetailView.as_view(),
        name="school_student",
    ),
    path("school/staff/", StaffListView.as_view(), name="school_staff"),
    path(
        "school/staff/<int:staff_id>/",
        StaffDetailView.as_view(),
        name="school_staff_member",
    ),
]
