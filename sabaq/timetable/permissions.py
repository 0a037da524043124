"""Who may open the timetable pages and API.

The director and deputy heads keep the load and build, publish and change
the timetable. Teachers read their own week and the published weeks of the
school's classes and rooms. Students and parents read their own (child's)
week. The calendar feed is public by design: its address carries a secret
that the person can renew.
"""

from sabaq.accounts.models import Role
from sabaq.core.rules import PUBLIC, allow, rules

school_admin = allow(Role.DIRECTOR, Role.DEPUTY_HEAD)
school_staff = allow(Role.DIRECTOR, Role.DEPUTY_HEAD, Role.TEACHER)
own_week = allow(Role.TEACHER, Role.STUDENT, Role.PARENT)

rules.register(
    "timetable",
    {
        # The load and the weekly limits
        "overview": school_admin,
        "limits": school_admin,
        "load": school_admin,
        "load_export": school_admin,
        "load_line_add": school_admin,
        "load_line_edit": school_admin,
        "load_line_remove": school_admin,
        "availability": school_admin,
        # Versions and the editor
        "version_create": school_admin,
        "version_detail": school_admin,
        "version_editor": school_admin,
        "version_edit": school_admin,
        "version_fill": school_admin,
        "version_publish": school_admin,
        "version_remove": school_admin,
        "line_place": school_admin,
        "entry_edit": school_admin,
        # Absences, substitutions and one-day changes
        "absence_list": school_admin,
        "absence_detail": school_admin,
        "absence_remove": school_admin,
        "lesson_change": school_admin,
        "change_remove": school_admin,
        # Published weeks; a teacher reaches only their own teacher's week
        "browse": school_staff,
        "class_week": school_staff,
        "room_week": school_staff,
        "teacher_week": school_staff,
        "class_pdf": school_staff,
        "room_pdf": school_staff,
        "teacher_pdf": school_staff,
        # A person's own week, notices and calendar
        "my_week": own_week,
        "notices_read": own_week,
        "calendar_renew": own_week,
        "calendar_feed": PUBLIC,
    },
)
rules.register(
    "api",
    {
        "timetable_version_list": school_admin,
        "timetable_version_detail": school_admin,
        "timetable_class_week": school_staff,
        "timetable_room_week": school_staff,
        "timetable_teacher_week": school_staff,
        "timetable_my_week": own_week,
    },
)
