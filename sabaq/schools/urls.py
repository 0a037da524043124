from django.urls import path

from sabaq.schools import views

app_name = "schools"

urlpatterns = [
    path("", views.overview, name="overview"),
    # School years
    path("years/", views.year_list, name="year_list"),
    path("years/export/", views.year_export, name="year_export"),
    path("years/new/", views.year_create, name="year_create"),
    path("years/preset/", views.year_preset, name="year_preset"),
    path("years/<int:year_id>/", views.year_detail, name="year_detail"),
    path("years/<int:year_id>/edit/", views.year_edit, name="year_edit"),
    path("years/<int:year_id>/rollover/", views.year_rollover, name="year_rollover"),
    path(
        "years/<int:year_id>/holidays/new/",
        views.holiday_create,
        name="holiday_create",
    ),
    path("holidays/<int:holiday_id>/edit/", views.holiday_edit, name="holiday_edit"),
    path(
        "holidays/<int:holiday_id>/remove/",
        views.holiday_remove,
        name="holiday_remove",
    ),
    path(
        "years/<int:year_id>/lesson-lengths/new/",
        views.lesson_length_create,
        name="lesson_length_create",
    ),
    path(
        "lesson-lengths/<int:rule_id>/remove/",
        views.lesson_length_remove,
        name="lesson_length_remove",
    ),
    # Shifts and bells
    path("shifts/", views.shift_list, name="shift_list"),
    path("shifts/export/", views.shift_export, name="shift_export"),
    path("shifts/new/", views.shift_create, name="shift_create"),
    path("shifts/<int:shift_id>/bells/", views.shift_bells, name="shift_bells"),
    path("shifts/<int:shift_id>/remove/", views.shift_remove, name="shift_remove"),
    # Rooms
    path("rooms/", views.room_list, name="room_list"),
    path("rooms/export/", views.room_export, name="room_export"),
    path("rooms/new/", views.room_create, name="room_create"),
    path("rooms/<int:room_id>/edit/", views.room_edit, name="room_edit"),
    # Subjects
    path("subjects/", views.subject_list, name="subject_list"),
    path("subjects/export/", views.subject_export, name="subject_export"),
    path("subjects/choose/", views.subject_pick, name="subject_pick"),
    path("subjects/new/", views.subject_create, name="subject_create"),
    path("subjects/<int:subject_id>/edit/", views.subject_edit, name="subject_edit"),
    # Classes and subgroups
    path("classes/", views.class_list, name="class_list"),
    path("classes/export/", views.class_export, name="class_export"),
    path("classes/new/", views.class_create, name="class_create"),
    path("classes/<int:class_id>/", views.class_detail, name="class_detail"),
    path("classes/<int:class_id>/edit/", views.class_edit, name="class_edit"),
    path("classes/<int:class_id>/split/", views.class_split, name="class_split"),
    path(
        "classes/<int:class_id>/subgroups/<int:subject_id>/",
        views.subgroup_split,
        name="subgroup_split",
    ),
    path(
        "classes/<int:class_id>/subgroups/<int:subject_id>/add-group/",
        views.subgroup_add,
        name="subgroup_add",
    ),
    path(
        "classes/<int:class_id>/subgroups/<int:subject_id>/remove/",
        views.subgroups_remove,
        name="subgroups_remove",
    ),
    path("subgroups/export/", views.subgroup_export, name="subgroup_export"),
]
