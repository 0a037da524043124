from django.urls import path

from sabaq.timetable import views

app_name = "timetable"

urlpatterns = [
    path("", views.overview, name="overview"),
    # The load and the weekly limits
    path("limits/", views.limits, name="limits"),
    path("load/", views.load, name="load"),
    path("load/export/", views.load_export, name="load_export"),
    path("load/classes/<int:class_id>/new/", views.load_line_add, name="load_line_add"),
    path("load/lines/<int:line_id>/", views.load_line_edit, name="load_line_edit"),
    path(
        "load/lines/<int:line_id>/remove/",
        views.load_line_remove,
        name="load_line_remove",
    ),
    path(
        "teachers/<int:teacher_id>/unavailable/",
        views.availability,
        name="availability",
    ),
    # Versions and the editor
    path("versions/new/", views.version_create, name="version_create"),
    path("versions/<int:version_id>/", views.version_detail, name="version_detail"),
    path(
        "versions/<int:version_id>/editor/",
        views.version_editor,
        name="version_editor",
    ),
    path("versions/<int:version_id>/edit/", views.version_edit, name="version_edit"),
    path("versions/<int:version_id>/fill/", views.version_fill, name="version_fill"),
    path(
        "versions/<int:version_id>/publish/",
        views.version_publish,
        name="version_publish",
    ),
    path(
        "versions/<int:version_id>/remove/",
        views.version_remove,
        name="version_remove",
    ),
    path(
        "versions/<int:version_id>/place/<int:line_id>/",
        views.line_place,
        name="line_place",
    ),
    path("lessons/<int:entry_id>/", views.entry_edit, name="entry_edit"),
    # Absences, substitutions and one-day changes
    path("absences/", views.absence_list, name="absence_list"),
    path("absences/<int:absence_id>/", views.absence_detail, name="absence_detail"),
    path(
        "absences/<int:absence_id>/remove/",
        views.absence_remove,
        name="absence_remove",
    ),
    path("lessons/<int:entry_id>/day/", views.lesson_change, name="lesson_change"),
    path("changes/<int:change_id>/remove/", views.change_remove, name="change_remove"),
    # Published weeks
    path("school/", views.browse, name="browse"),
    path("classes/<int:class_id>/", views.class_week, name="class_week"),
    path("classes/<int:class_id>/pdf/", views.class_pdf, name="class_pdf"),
    path("teachers/<int:teacher_id>/", views.teacher_week, name="teacher_week"),
    path("teachers/<int:teacher_id>/pdf/", views.teacher_pdf, name="teacher_pdf"),
    path("rooms/<int:room_id>/", views.room_week, name="room_week"),
    path("rooms/<int:room_id>/pdf/", views.room_pdf, name="room_pdf"),
    # A person's own week
    path("my/", views.my_week, name="my_week"),
    path("my/notices/read/", views.notices_read, name="notices_read"),
    path("my/calendar/renew/", views.calendar_renew, name="calendar_renew"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
