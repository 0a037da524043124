URL_KWARGS = {
    "person_id": lambda demo, school: demo.people["student_aruzhan"].pk,
}
