from django.urls import path

from sabaq.people import views

app_name = "people"

urlpatterns = [
    path("students/", views.student_list, name="student_list"),
    path("students/new/", views.student_add, name="student_add"),
    path("students/export/", views.students_export, name="students_export"),
    path(
        "students/import/",
        views.import_page,
        {"kind": "students"},
        name="students_import",
    ),
    path(
        "students/import/template.xlsx",
        views.import_template,
        {"kind": "students"},
        name="students_import_template",
    ),
    path(
        "students/guardians/import/",
        views.import_page,
        {"kind": "guardians"},
        name="guardians_import",
    ),
    path(
        "students/guardians/import/template.xlsx",
        views.import_template,
        {"kind": "guardians"},
        name="guardians_import_template",
    ),
    path("students/<int:student_id>/", views.student_detail, name="student_detail"),
    path("students/<int:student_id>/edit/", views.student_edit, name="student_edit"),
    path("students/<int:student_id>/class/", views.student_enrol, name="student_enrol"),
    path(
        "students/<int:student_id>/transfer/",
        views.student_transfer,
        name="student_transfer",
    ),
    path(
        "students/<int:student_id>/guardians/new/",
        views.guardian_add,
        name="guardian_add",
    ),
    path(
        "students/<int:student_id>/guardians/<int:guardian_id>/remove/",
        views.guardian_remove,
        name="guardian_remove",
    ),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.staff_add, name="staff_add"),
    path("staff/export/", views.staff_export, name="staff_export"),
    path("staff/import/", views.import_page, {"kind": "staff"}, name="staff_import"),
    path(
        "staff/import/template.xlsx",
        views.import_template,
        {"kind": "staff"},
        name="staff_import_template",
    ),
    path("staff/attestations/", views.attestation_list, name="attestation_list"),
    path("staff/<int:staff_id>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:staff_id>/edit/", views.staff_edit, name="staff_edit"),
]
