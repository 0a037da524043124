"""Students, guardians and staff of a school for the permission walk."""

_STUDENT = {"urban": "student_aruzhan", "rural": "student_aisha"}
_GUARDIAN = {"urban": "parent_both", "rural": "parent_both"}
_STAFF = {"urban": "class_teacher", "rural": "rural_teacher"}

URL_KWARGS = {
    "student_id": lambda demo, school: demo.people[_STUDENT[school]].pk,
    "guardian_id": lambda demo, school: demo.people[_GUARDIAN[school]].pk,
    "staff_id": lambda demo, school: demo.people[_STAFF[school]].pk,
}
