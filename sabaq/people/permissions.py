"""Who may open the people pages: personal files, imports and exports.

Students' and staff files hold personal data (IIN, address, health group,
social category), so only the director and deputy heads reach them. The API
lists are a directory of the school for its staff: teachers see names and
classes with IINs masked, never the files.
"""

from sabaq.accounts.models import SCHOOL_ADMIN_ROLES, Membership, Role, User
from sabaq.core.rules import allow, rules

school_admin = allow(Role.DIRECTOR, Role.DEPUTY_HEAD)
school_staff = allow(Role.DIRECTOR, Role.DEPUTY_HEAD, Role.TEACHER)

rules.register(
    "people",
    {
        "student_list": school_admin,
        "student_add": school_admin,
        "student_detail": school_admin,
        "student_edit": school_admin,
        "student_enrol": school_admin,
        "student_transfer": school_admin,
        "guardian_add": school_admin,
        "guardian_remove": school_admin,
        "students_export": school_admin,
        "students_import": school_admin,
        "students_import_template": school_admin,
        "guardians_import": school_admin,
        "guardians_import_template": school_admin,
        "staff_list": school_admin,
        "staff_add": school_admin,
        "staff_detail": school_admin,
        "staff_edit": school_admin,
        "staff_export": school_admin,
        "staff_import": school_admin,
        "staff_import_template": school_admin,
        "attestation_list": school_admin,
    },
)
rules.register(
    "api",
    {
        "school_students": school_staff,
        "school_student": school_staff,
        "school_staff": school_staff,
        "school_staff_member": school_staff,
    },
)

# Only those who keep the personal files see whole IINs; everyone else sees
# the first two and the last two digits.
FULL_IIN_ROLES = SCHOOL_ADMIN_ROLES


def sees_full_iin(actor: Membership | None) -> bool:
    return actor is not None and actor.role in FULL_IIN_ROLES


def iin_for(actor: Membership | None, person: User) -> str:
    """A person's IIN as the actor may see it: whole or masked."""
    if not person.iin:
        return ""
    return person.iin if sees_full_iin(actor) else person.iin_masked
