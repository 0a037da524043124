"""Timetable pages through the test client: the editor with htmx, publishing,
the weeks of classes, teachers, students and parents, printing, scoping."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from sabaq.timetable import services
from sabaq.timetable.models import (
    LessonChange,
    TimetableEntry,
    TimetableVersion,
    VersionStatus,
)
from sabaq.timetable.tests.factories import (
    A_MONDAY,
    FIRST_DAY,
    TimetableSchool,
    cast,
    enrol,
    new_school,
    subject,
)


@pytest.fixture
def school(demo):
    return TimetableSchool.build(new_school(demo), classes=2)


@pytest.fixture
def people(school):
    return cast(school)


@pytest.fixture
def published(school, people):
    """5 «А» has mathematics with Сәрсенова on Monday and Wednesday,
    published from the first day of the year."""
    a, _b = school.classes
    teacher = people.teacher.user
    line = school.line(a, "mathematics", 2, teacher)
    version = school.draft()
    for day in (0, 2):
        services.entry_place(
            actor=school.actor, version=version, line=line, day=day, period=1
        )
    services.timetable_publish(
        actor=school.actor, version=version, takes_effect_on=FIRST_DAY
    )
    return version


def week_url(name, *args, week=A_MONDAY) -> str:
    return f"{reverse(name, args=args)}?week={week:%Y-%m-%d}"


def text_in(language: str, source: str, **values) -> str:
    with translation.override(language):
        text = translation.gettext(source)
    return text % values if values else text


# The editor


def test_deputy_sees_the_editor_with_lessons_to_place_and_clashes(
    client_as, demo, school
):
    teacher = school.teacher("Ахметова", "mathematics")
    a, b = school.classes
    version = school.draft()
    for school_class in (a, b):
        line = school.line(school_class, "mathematics", 2, teacher)
        services.entry_place(
            actor=school.actor, version=version, line=line, day=0, period=1
        )
    client = client_as(school.actor)

    response = client.get(reverse("timetable:version_editor", args=[version.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="tt-editor"' in html
    assert f'data-entry="{version.entries.first().pk}"' in html
    assert "tt-card--clash" in html
    assert 'class="tt-card tt-card--tray"' in html


def test_an_htmx_edit_answers_with_the_editor_panel_and_the_clash_in_words(
    client_as, demo, school
):
    teacher = school.teacher("Ахметова", "mathematics")
    a, b = school.classes
    version = school.draft()
    services.entry_place(
        actor=school.actor,
        version=version,
        line=school.line(a, "mathematics", 2, teacher),
        day=0,
        period=1,
    )
    line_b = school.line(b, "mathematics", 2, teacher)
    client = client_as(school.actor)

    response = client.post(
        reverse("timetable:version_edit", args=[version.pk]),
        {
            "action": "place",
            "line": line_b.pk,
            "slot": f"0:{school.shift1.pk}:1",
            "view": f"class:{b.pk}",
        },
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="tt-editor"')
    assert "<html" not in html
    expected = text_in(
        "kk",
        "%(teacher)s also teaches %(other)s at this time.",
        teacher="Ахметова А.",
        other=text_in(
            "kk", "%(subject)s, %(audience)s", subject="Математика", audience="5 «А»"
        ),
    )
    assert expected in html
    assert version.entries.count() == 2


def test_a_plain_form_edit_goes_back_to_the_editor(client_as, demo, school):
    a, _b = school.classes
    version = school.draft()
    line = school.line(a, "mathematics", 2)
    client = client_as(school.actor)

    response = client.post(
        reverse("timetable:version_edit", args=[version.pk]),
        {"action": "place", "line": line.pk, "slot": f"1:{school.shift1.pk}:2"},
    )

    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("timetable:version_editor", args=[version.pk])
    )
    entry = version.entries.get()
    assert (entry.day, entry.period) == (1, 2)


def test_keyboard_moves_swaps_and_removals_reach_the_services(client_as, demo, school):
    a, _b = school.classes
    version = school.draft()
    maths = services.entry_place(
        actor=school.actor,
        version=version,
        line=school.line(a, "mathematics", 2),
        day=0,
        period=1,
    ).entry
    music = services.entry_place(
        actor=school.actor,
        version=version,
        line=school.line(a, "music", 1),
        day=0,
        period=2,
    ).entry
    client = client_as(school.actor)
    url = reverse("timetable:version_edit", args=[version.pk])

    def edit(**data):
        return client.post(url, data, HTTP_HX_REQUEST="true")

    edit(action="move", entry=maths.pk, slot=f"3:{school.shift1.pk}:4")
    edit(action="swap", entry=maths.pk, other=music.pk)
    maths.refresh_from_db()
    assert (maths.day, maths.period) == (0, 2)
    edit(action="remove", entry=music.pk)

    assert list(version.entries.all()) == [maths]


def test_an_entry_of_another_school_cannot_be_edited(client_as, demo, school):
    a, _b = school.classes
    version = school.draft()
    entry = services.entry_place(
        actor=school.actor,
        version=version,
        line=school.line(a, "mathematics", 2),
        day=0,
        period=1,
    ).entry
    client = client_as(demo.membership("rural_deputy"))

    response = client.post(
        reverse("timetable:version_edit", args=[version.pk]),
        {"action": "remove", "entry": entry.pk},
    )

    assert response.status_code == 404
    assert TimetableEntry.objects.filter(pk=entry.pk).exists()


def test_the_no_script_forms_place_and_move_a_lesson(client_as, demo, school):
    a, _b = school.classes
    version = school.draft()
    line = school.line(a, "mathematics", 2)
    client = client_as(school.actor)

    client.post(
        reverse("timetable:line_place", args=[version.pk, line.pk]),
        {"slot": f"2:{school.shift1.pk}:3", "room": ""},
    )
    entry = version.entries.get()
    client.post(
        reverse("timetable:entry_edit", args=[entry.pk]),
        {"slot": f"4:{school.shift1.pk}:5", "room": school.rooms["102"].pk},
    )

    entry.refresh_from_db()
    assert (entry.day, entry.period, entry.room) == (4, 5, school.rooms["102"])


def test_publishing_with_a_clash_is_refused_on_the_page(client_as, demo, school):
    teacher = school.teacher("Ахметова", "mathematics")
    a, b = school.classes
    version = school.draft()
    for school_class in (a, b):
        services.entry_place(
            actor=school.actor,
            version=version,
            line=school.line(school_class, "mathematics", 2, teacher),
            day=0,
            period=1,
        )
    client = client_as(school.actor)

    response = client.post(
        reverse("timetable:version_publish", args=[version.pk]),
        {"takes_effect_on": "2025-09-02"},
    )

    assert response.status_code == 200
    assert "message--error" in response.content.decode()
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


def test_publishing_from_the_page_tells_the_deputy_how_many_were_told(
    client_as, demo, school
):
    a, _b = school.classes
    enrol(a, 3)
    version = school.draft()
    services.entry_place(
        actor=school.actor,
        version=version,
        line=school.line(a, "mathematics", 2),
        day=0,
        period=1,
    )
    client = client_as(school.actor)

    response = client.post(
        reverse("timetable:version_publish", args=[version.pk]),
        {"takes_effect_on": "2025-09-02"},
        follow=True,
    )

    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED
    assert response.status_code == 200


# Load


def test_the_load_page_flags_a_class_over_its_weekly_limit(client_as, demo, school):
    a, _b = school.classes
    school.line(a, "mathematics", 33)
    client = client_as(school.actor)

    response = client.get(f"{reverse('timetable:load')}?year={school.year.pk}")

    assert response.status_code == 200
    assert "tt-over" in response.content.decode()


def test_the_deputy_adds_a_line_from_the_form(client_as, demo, school):
    a, _b = school.classes
    client = client_as(school.actor)

    response = client.post(
        reverse("timetable:load_line_add", args=[a.pk]),
        {
            "subject": subject("mathematics").pk,
            "hours": "5",
            "teacher": school.teacher("Сәрсенова", "mathematics").pk,
            "room_kind": "",
        },
    )

    assert response.status_code == 302
    assert a.load_lines.get().hours == 5


# Published weeks and their scope


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_the_class_week_runs_as_many_queries_for_a_small_and_a_large_school(
    client_as, demo, school, published, django_assert_num_queries
):
    a, _b = school.classes
    client = client_as(school.actor)
    url = week_url("timetable:class_week", a.pk)
    small = _queries(client, url)

    # Grow the school: eight more classes with students, a full load, a
    # new timetable for the same day, and changes of lessons.
    teacher = school.teacher("Бекова", "mathematics", "music")
    for letter in "БВГҒДЕЖЗ":
        extra = school.add_class(grade=6, letter=letter, home_room=school.rooms["102"])
        enrol(extra, 3)
        school.line(extra, "music", 1, teacher)
        school.line(extra, "history_of_kazakhstan", 2)
    school.line(a, "music", 1, teacher)
    enrol(a, 5)
    bigger = services.version_create(
        actor=school.actor, year=school.year, copy_from=published
    )
    services.timetable_fill(actor=school.actor, version=bigger)
    services.timetable_publish(
        actor=school.actor, version=bigger, takes_effect_on=FIRST_DAY
    )
    for entry in bigger.entries.filter(day=0, school_class=a)[:2]:
        services.lesson_change_set(
            actor=school.actor, entry=entry, on_date=A_MONDAY, is_cancelled=True
        )
    assert bigger.entries.count() > 3 * published.entries.count()

    with django_assert_num_queries(small):
        response = client.get(url)
    assert response.status_code == 200


def test_a_teacher_sees_their_own_week_but_not_a_colleague(
    client_as, people, published
):
    client = client_as(people.teacher)

    own = client.get(week_url("timetable:teacher_week", people.teacher.user_id))
    other = client.get(week_url("timetable:teacher_week", people.colleague.user_id))

    assert own.status_code == 200
    assert "Математика" in own.content.decode()
    assert other.status_code == 404


def test_a_teacher_reads_a_class_and_a_room_week_of_the_school(
    client_as, school, people, published
):
    a, _b = school.classes
    client = client_as(people.colleague)

    assert client.get(week_url("timetable:class_week", a.pk)).status_code == 200
    assert (
        client.get(week_url("timetable:room_week", a.home_room_id)).status_code == 200
    )


def test_another_school_cannot_read_the_class_week(client_as, demo, school, published):
    a, _b = school.classes
    client = client_as(demo.membership("class_teacher"))

    assert client.get(week_url("timetable:class_week", a.pk)).status_code == 404


def test_a_student_sees_the_day_substitution_in_their_week(
    client_as, school, people, published
):
    entry = published.entries.get(day=0)
    services.lesson_change_set(
        actor=school.actor,
        entry=entry,
        on_date=A_MONDAY,
        substitute=people.colleague.user,
    )
    client = client_as(people.student)

    response = client.get(week_url("timetable:my_week"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "tt-card--changed" in html
    assert people.colleague.user.short_name in html
    # The change is also among her notices.
    assert "tt-notice--new" in html


def test_a_parent_sees_each_child_week(client_as, people, published):
    client = client_as(people.parent)

    response = client.get(week_url("timetable:my_week"))

    html = response.content.decode()
    assert people.child.user.full_name in html
    assert "Математика" in html


def test_a_parent_sees_no_week_of_a_child_not_theirs(client_as, people, published):
    client = client_as(people.parent)

    html = client.get(week_url("timetable:my_week")).content.decode()

    assert people.student.user.full_name not in html


def test_a_student_cannot_open_the_editor_or_a_class_week(client_as, school, people):
    client = client_as(people.student)
    version = school.draft()
    a, _b = school.classes

    editor = client.get(reverse("timetable:version_editor", args=[version.pk]))
    week = client.get(reverse("timetable:class_week", args=[a.pk]))

    assert (editor.status_code, week.status_code) == (403, 403)


def test_the_class_timetable_prints_as_a_pdf(client_as, demo, school, published):
    a, _b = school.classes
    client = client_as(school.actor)

    response = client.get(
        f"{reverse('timetable:class_pdf', args=[a.pk])}?date=2025-09-08"
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Математика" in text
    assert "5 «А»" in text


# Substitutions


def test_the_absence_page_proposes_and_one_click_assigns_a_substitute(
    client_as, school, people, published
):
    absent = people.teacher.user
    helper = school.teacher("Бекова", "mathematics")
    absence = services.absence_create(
        actor=school.actor, teacher=absent, starts_on=A_MONDAY, ends_on=A_MONDAY
    )
    client = client_as(school.actor)

    page = client.get(reverse("timetable:absence_detail", args=[absence.pk]))
    assert helper.short_name in page.content.decode()
    entry = published.entries.get(day=0)
    response = client.post(
        reverse("timetable:lesson_change", args=[entry.pk]),
        {"date": "2025-09-08", "absence": absence.pk, "substitute": helper.pk},
    )

    assert response.status_code == 302
    change = LessonChange.objects.get(entry=entry)
    assert (change.substitute, change.absence) == (helper, absence)


def test_a_lesson_is_cancelled_for_one_day_from_its_page(
    client_as, demo, school, published
):
    entry = published.entries.get(day=2)
    client = client_as(school.actor)

    client.post(
        reverse("timetable:lesson_change", args=[entry.pk]),
        {"date": "2025-09-10", "is_cancelled": "on", "note": "Экскурсия"},
    )

    change = LessonChange.objects.get(entry=entry)
    assert (change.is_cancelled, change.note) == (True, "Экскурсия")


def test_drafts_are_not_offered_to_teachers(client_as, school, people, published):
    draft = services.version_create(
        actor=school.actor, year=school.year, copy_from=published
    )
    assert TimetableVersion.objects.filter(pk=draft.pk, status="draft").exists()
    client = client_as(people.teacher)

    assert client.get(reverse("timetable:browse")).status_code == 200
    assert (
        client.get(reverse("api:timetable_version_detail", args=[draft.pk])).status_code
        == 403
    )
