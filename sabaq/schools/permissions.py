"""Who may open the school-structure pages and API: the director and deputy
heads of the school, nobody else."""

from sabaq.accounts.models import Role
from sabaq.core.rules import allow, rules

school_admin = allow(Role.DIRECTOR, Role.DEPUTY_HEAD)

rules.register(
    "schools",
    {
        "overview": school_admin,
        # School years, their calendars and the rollover
        "year_list": school_admin,
        "year_export": school_admin,
        "year_create": school_admin,
        "year_preset": school_admin,
        "year_detail": school_admin,
        "year_edit": school_admin,
        "year_rollover": school_admin,
        "holiday_create": school_admin,
        "holiday_edit": school_admin,
        "holiday_remove": school_admin,
        "lesson_length_create": school_admin,
        "lesson_length_remove": school_admin,
        # Shifts and bells
        "shift_list": school_admin,
        "shift_export": school_admin,
        "shift_create": school_admin,
        "shift_bells": school_admin,
        "shift_remove": school_admin,
        # Rooms
        "room_list": school_admin,
        "room_export": school_admin,
        "room_create": school_admin,
        "room_edit": school_admin,
        # Subjects
        "subject_list": school_admin,
        "subject_export": school_admin,
        "subject_pick": school_admin,
        "subject_create": school_admin,
        "subject_edit": school_admin,
        # Classes and subgroups
        "class_list": school_admin,
        "class_export": school_admin,
        "class_create": school_admin,
        "class_detail": school_admin,
        "class_edit": school_admin,
        "class_split": school_admin,
        "subgroup_split": school_admin,
        "subgroup_add": school_admin,
        "subgroups_remove": school_admin,
        "subgroup_export": school_admin,
    },
)
rules.register(
    "api",
    {
        "school_year_list": school_admin,
        "school_year_detail": school_admin,
        "class_list": school_admin,
        "class_detail": school_admin,
        "subgroup_list": school_admin,
        "subgroup_detail": school_admin,
        "room_list": school_admin,
        "room_detail": school_admin,
        "subject_list": school_admin,
        "subject_detail": school_admin,
    },
)
