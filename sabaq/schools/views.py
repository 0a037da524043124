"""Pages where the director and deputy heads set up the school's frame.

Views fetch through selectors scoped to the active school and change data
only through services; a service's ValidationError comes back on the form.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sabaq.core.excel import xlsx_response
from sabaq.core.forms import form_add_service_errors
from sabaq.schools import calendar, selectors, services
from sabaq.schools.forms import (
    BellScheduleBase,
    ClassForm,
    HolidayForm,
    LessonLengthForm,
    RolloverForm,
    RoomForm,
    SplitForm,
    SubgroupMembersForm,
    SubgroupTeachersForm,
    SubjectForm,
    YearForm,
    bell_form_class,
)
from sabaq.schools.presets import PRESETS


def _error_message(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _chosen_year(request):
    """The year named by `?year=`, else the current one (None: no year yet)."""
    year_id = request.GET.get("year")
    if year_id:
        return selectors.school_year_get(actor=request.membership, year_id=year_id)
    return selectors.current_year(actor=request.membership)


def overview(request):
    actor = request.membership
    year = selectors.current_year(actor=actor)
    day = selectors.day_in_year(year) if year else None

    return render(
        request,
        "schools/overview.html",
        {
            "year": year,
            "quarter": calendar.quarter_of(year, day) if year else None,
            "shift_count": selectors.shifts(actor=actor).count(),
            "room_count": selectors.rooms(actor=actor, active_only=True).count(),
            "subject_count": selectors.school_subjects(actor=actor).count(),
        },
    )


# School years


def _presets_available(years) -> list:
    return [
        preset
        for preset in PRESETS.values()
        if not any(
            year.starts_on <= preset.ends_on and year.ends_on >= preset.starts_on
            for year in years
        )
    ]


def year_list(request):
    years = list(selectors.school_years(actor=request.membership))
    return render(
        request,
        "schools/year_list.html",
        {"years": years, "presets": _presets_available(years)},
    )


def year_export(request):
    years = selectors.school_years(actor=request.membership)
    rows = []
    for year in years:
        rows.append(
            [
                str(year),
                str(year.get_status_display()),
                _("School year"),
                year.starts_on,
                year.ends_on,
                "",
            ]
        )
        for quarter in year.quarters.all():
            rows.append(
                [str(year), "", str(quarter), quarter.starts_on, quarter.ends_on, ""]
            )
        for holiday in year.holidays.all():
            grades = ", ".join(str(grade) for grade in holiday.grades)
            rows.append(
                [
                    str(year),
                    "",
                    str(holiday),
                    holiday.starts_on,
                    holiday.ends_on,
                    grades or _("All grades"),
                ]
            )

    return xlsx_response(
        filename="school-years.xlsx",
        title=_("School years"),
        headers=[
            _("School year"),
            _("Status"),
            _("Period"),
            _("First day"),
            _("Last day"),
            _("Grades"),
        ],
        rows=rows,
    )


def year_create(request):
    form = YearForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            year = services.year_create(
                actor=request.membership, **form.service_arguments()
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The school year %(year)s is created. Add its holidays now.")
                % {"year": year},
            )
            return redirect("schools:year_detail", year_id=year.pk)

    return render(request, "schools/year_form.html", {"form": form, "year": None})


@require_POST
def year_preset(request):
    try:
        year = services.year_create_from_preset(
            actor=request.membership, preset_code=request.POST.get("preset", "")
        )
    except ValidationError as error:
        _error_message(request, error)
        return redirect("schools:year_list")

    messages.success(
        request,
        _(
            "The school year %(year)s is entered from the Ministry's calendar, "
            "with its quarters, holidays and lesson lengths."
        )
        % {"year": year},
    )

    return redirect("schools:year_detail", year_id=year.pk)


def _quarter_rows(year) -> list[dict]:
    rows = []
    for quarter in year.quarters.all():
        rows.append(
            {
                "quarter": quarter,
                "days": len(
                    calendar.school_days(year, 5, quarter.starts_on, quarter.ends_on)
                ),
                "days_grade_1": len(
                    calendar.school_days(year, 1, quarter.starts_on, quarter.ends_on)
                ),
            }
        )
    return rows


def year_detail(request, year_id):
    year = selectors.school_year_get(actor=request.membership, year_id=year_id)
    quarters = _quarter_rows(year)

    return render(
        request,
        "schools/year_detail.html",
        {
            "year": year,
            "quarters": quarters,
            "total_days": sum(row["days"] for row in quarters),
            "total_days_grade_1": sum(row["days_grade_1"] for row in quarters),
            "holidays": year.holidays.all(),
            "lesson_lengths": year.lesson_lengths.all(),
            "is_latest": selectors.latest_year(actor=request.membership) == year,
        },
    )


def _closed_redirect(request, year):
    messages.warning(
        request,
        _("The school year %(year)s is closed: it can be read but no longer changed.")
        % {"year": year},
    )
    return redirect("schools:year_detail", year_id=year.pk)


def year_edit(request, year_id):
    year = selectors.school_year_get(actor=request.membership, year_id=year_id)
    if year.is_closed:
        return _closed_redirect(request, year)

    form = YearForm(request.POST or None, initial=YearForm.initial_for(year))
    if request.method == "POST" and form.is_valid():
        try:
            services.year_update(
                actor=request.membership, year=year, **form.service_arguments()
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("schools:year_detail", year_id=year.pk)

    return render(request, "schools/year_form.html", {"form": form, "year": year})


def year_rollover(request, year_id):
    actor = request.membership
    year = selectors.school_year_get(actor=actor, year_id=year_id)
    plan = selectors.rollover_plan(actor=actor, year=year)
    is_latest = selectors.latest_year(actor=actor) == year
    form = RolloverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.year_rollover(
                actor=actor, year=year, **form.service_arguments()
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The school year %(year)s is ready: %(classes)d classes, "
                    "%(moved)d students moved up, %(graduated)d graduates. "
                    "%(old)s is closed."
                )
                % {
                    "year": result.year,
                    "classes": result.classes_created,
                    "moved": result.students_moved,
                    "graduated": result.students_graduated,
                    "old": year,
                },
            )
            return redirect("schools:year_detail", year_id=result.year.pk)

    return render(
        request,
        "schools/year_rollover.html",
        {
            "year": year,
            "plan": plan,
            "form": form,
            "is_latest": is_latest,
            "can_roll_over": is_latest and not year.is_closed,
        },
    )


def holiday_create(request, year_id):
    year = selectors.school_year_get(actor=request.membership, year_id=year_id)
    if year.is_closed:
        return _closed_redirect(request, year)

    form = HolidayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.holiday_add(
                actor=request.membership, year=year, **form.cleaned_data
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The holiday is added."))
            return redirect("schools:year_detail", year_id=year.pk)

    return render(
        request,
        "schools/holiday_form.html",
        {"form": form, "year": year, "holiday": None},
    )


def holiday_edit(request, holiday_id):
    holiday = selectors.holiday_get(actor=request.membership, holiday_id=holiday_id)
    year = holiday.year
    if year.is_closed:
        return _closed_redirect(request, year)

    form = HolidayForm(
        request.POST or None,
        initial={
            "kind": holiday.kind,
            "name": holiday.name,
            "starts_on": holiday.starts_on,
            "ends_on": holiday.ends_on,
            "grades": holiday.grades,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.holiday_update(
                actor=request.membership, holiday=holiday, **form.cleaned_data
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("schools:year_detail", year_id=year.pk)

    return render(
        request,
        "schools/holiday_form.html",
        {"form": form, "year": year, "holiday": holiday},
    )


@require_POST
def holiday_remove(request, holiday_id):
    holiday = selectors.holiday_get(actor=request.membership, holiday_id=holiday_id)
    try:
        services.holiday_remove(actor=request.membership, holiday=holiday)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, _("The holiday is removed."))

    return redirect("schools:year_detail", year_id=holiday.year_id)


def lesson_length_create(request, year_id):
    year = selectors.school_year_get(actor=request.membership, year_id=year_id)
    if year.is_closed:
        return _closed_redirect(request, year)

    form = LessonLengthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.lesson_length_add(
                actor=request.membership, year=year, **form.cleaned_data
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The lesson length rule is added."))
            return redirect("schools:year_detail", year_id=year.pk)

    return render(
        request, "schools/lesson_length_form.html", {"form": form, "year": year}
    )


@require_POST
def lesson_length_remove(request, rule_id):
    rule = selectors.lesson_length_get(actor=request.membership, rule_id=rule_id)
    try:
        services.lesson_length_remove(actor=request.membership, rule=rule)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, _("The lesson length rule is removed."))

    return redirect("schools:year_detail", year_id=rule.year_id)


# Shifts and bells


def shift_list(request):
    return render(
        request,
        "schools/shift_list.html",
        {"shifts": selectors.shifts(actor=request.membership)},
    )


def shift_export(request):
    rows = [
        [
            str(shift),
            period.number,
            period.starts_at.strftime("%H:%M"),
            period.ends_at.strftime("%H:%M"),
            calendar.period_minutes(period),
        ]
        for shift in selectors.shifts(actor=request.membership)
        for period in shift.periods.all()
    ]
    return xlsx_response(
        filename="bell-schedule.xlsx",
        title=_("Bell schedule"),
        headers=[_("Shift"), _("Lesson"), _("Starts"), _("Ends"), _("Minutes")],
        rows=rows,
    )


@require_POST
def shift_create(request):
    try:
        shift = services.shift_create(actor=request.membership)
    except ValidationError as error:
        _error_message(request, error)
        return redirect("schools:shift_list")

    messages.success(
        request,
        _("Shift %(number)d is added; enter its bells.") % {"number": shift.number},
    )

    return redirect("schools:shift_bells", shift_id=shift.pk)


def shift_bells(request, shift_id):
    shift = selectors.shift_get(actor=request.membership, shift_id=shift_id)
    form = bell_form_class()(
        request.POST or None, initial=BellScheduleBase.initial_for(shift)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.bell_schedule_set(
                actor=request.membership,
                shift=shift,
                periods=form.cleaned_data["periods"],
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The bell schedule is saved."))
            return redirect("schools:shift_list")

    return render(request, "schools/shift_bells.html", {"form": form, "shift": shift})


@require_POST
def shift_remove(request, shift_id):
    shift = selectors.shift_get(actor=request.membership, shift_id=shift_id)
    try:
        services.shift_remove(actor=request.membership, shift=shift)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, _("The shift is removed."))

    return redirect("schools:shift_list")


# Rooms


def room_list(request):
    return render(
        request,
        "schools/room_list.html",
        {"rooms": selectors.rooms(actor=request.membership)},
    )


def room_export(request):
    rows = [
        [
            room.name,
            str(room.get_kind_display()),
            room.capacity,
            ", ".join(str(shift.number) for shift in room.shifts.all()),
            _("Yes") if room.is_active else _("No"),
        ]
        for room in selectors.rooms(actor=request.membership)
    ]
    return xlsx_response(
        filename="rooms.xlsx",
        title=_("Rooms"),
        headers=[_("Room"), _("Kind"), _("Seats"), _("Shifts"), _("In use")],
        rows=rows,
    )


def _room_form(request, room=None):
    actor = request.membership
    initial = {"is_active": True, "capacity": 30}
    if room is not None:
        initial = {
            "name": room.name,
            "kind": room.kind,
            "capacity": room.capacity,
            "shifts": list(room.shifts.all()),
            "is_active": room.is_active,
        }
    form = RoomForm(
        request.POST or None, initial=initial, shifts=selectors.shifts(actor=actor)
    )
    if request.method == "POST" and form.is_valid():
        try:
            if room is None:
                services.room_create(actor=actor, **form.cleaned_data)
            else:
                services.room_update(actor=actor, room=room, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The room is saved."))
            return redirect("schools:room_list")

    return render(request, "schools/room_form.html", {"form": form, "room": room})


def room_create(request):
    return _room_form(request)


def room_edit(request, room_id):
    room = selectors.room_get(actor=request.membership, room_id=room_id)
    return _room_form(request, room)


# Subjects


def subject_list(request):
    return render(
        request,
        "schools/subject_list.html",
        {"subjects": selectors.school_subjects(actor=request.membership)},
    )


def subject_export(request):
    rows = [
        [
            subject.code,
            subject.name_kk,
            subject.name_ru,
            subject.name_en,
            str(subject.get_area_display()),
            subject.grade_from,
            subject.grade_to,
            _("National list") if subject.school_id is None else _("School's own"),
        ]
        for subject in selectors.school_subjects(actor=request.membership)
    ]
    return xlsx_response(
        filename="subjects.xlsx",
        title=_("Subjects"),
        headers=[
            _("Code"),
            _("Name in Kazakh"),
            _("Name in Russian"),
            _("Name in English"),
            _("Area"),
            _("From grade"),
            _("To grade"),
            _("Source"),
        ],
        rows=rows,
    )


def subject_pick(request):
    actor = request.membership
    subjects = list(selectors.subjects_to_pick(actor=actor))
    chosen = {subject.pk for subject in subjects if subject.is_taught}
    if request.method == "POST":
        wanted = set(request.POST.getlist("subjects"))
        picked = [subject for subject in subjects if str(subject.pk) in wanted]
        chosen = {subject.pk for subject in picked}
        try:
            services.school_subjects_set(actor=actor, subjects=picked)
        except ValidationError as error:
            _error_message(request, error)
        else:
            messages.success(request, _("The list of subjects is saved."))
            return redirect("schools:subject_list")

    return render(
        request,
        "schools/subject_pick.html",
        {"subjects": subjects, "chosen": chosen},
    )


def _subject_form(request, subject=None):
    actor = request.membership
    initial = {}
    if subject is not None:
        initial = {
            field: getattr(subject, field)
            for field in ("name_kk", "name_ru", "name_en", "area")
        } | {"grade_from": subject.grade_from, "grade_to": subject.grade_to}
    form = SubjectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if subject is None:
                services.subject_create(actor=actor, **form.cleaned_data)
            else:
                services.subject_update(
                    actor=actor, subject=subject, **form.cleaned_data
                )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The subject is saved."))
            return redirect("schools:subject_list")

    return render(
        request, "schools/subject_form.html", {"form": form, "subject": subject}
    )


def subject_create(request):
    return _subject_form(request)


def subject_edit(request, subject_id):
    subject = selectors.own_subject_get(actor=request.membership, subject_id=subject_id)
    return _subject_form(request, subject)


# Classes


def class_list(request):
    actor = request.membership
    year = _chosen_year(request)
    years = list(selectors.school_years(actor=actor))
    school_classes = (
        list(selectors.classes(actor=actor, year=year)) if year is not None else []
    )

    return render(
        request,
        "schools/class_list.html",
        {
            "year": year,
            "years": years,
            "classes": school_classes,
            "size_norm": selectors.CLASS_SIZE_NORM,
            "student_total": sum(c.student_count for c in school_classes),
        },
    )


def _year_filename(prefix: str, year) -> str:
    if year is None:
        return f"{prefix}.xlsx"
    return f"{prefix}-{year.starts_on.year}-{year.ends_on.year}.xlsx"


def class_export(request):
    actor = request.membership
    year = _chosen_year(request)
    found = selectors.classes(actor=actor, year=year) if year is not None else []
    rows = [
        [
            str(school_class),
            school_class.grade,
            school_class.letter,
            str(school_class.get_language_display()),
            school_class.shift.number,
            school_class.class_teacher.full_name if school_class.class_teacher else "",
            school_class.home_room.name if school_class.home_room else "",
            school_class.student_count,
            school_class.subgroup_count,
        ]
        for school_class in found
    ]
    return xlsx_response(
        filename=_year_filename("classes", year),
        title=_("Classes"),
        headers=[
            _("Class"),
            _("Grade"),
            _("Letter"),
            _("Language of instruction"),
            _("Shift"),
            _("Class teacher"),
            _("Home room"),
            _("Students"),
            _("Subgroups"),
        ],
        rows=rows,
    )


def _class_form(request, *, year, school_class=None):
    actor = request.membership
    initial = {}
    if school_class is not None:
        initial = {
            "grade": school_class.grade,
            "letter": school_class.letter,
            "language": school_class.language,
            "shift": school_class.shift_id,
            "class_teacher": school_class.class_teacher_id,
            "home_room": school_class.home_room_id,
        }
    form = ClassForm(
        request.POST or None,
        initial=initial,
        shifts=selectors.shifts(actor=actor),
        teachers=selectors.school_teachers(actor=actor),
        rooms=selectors.rooms(actor=actor, active_only=True),
    )
    if request.method == "POST" and form.is_valid():
        try:
            if school_class is None:
                school_class = services.class_create(
                    actor=actor, year=year, **form.cleaned_data
                )
            else:
                services.class_update(
                    actor=actor, school_class=school_class, **form.cleaned_data
                )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The class %(class)s is saved.") % {"class": school_class},
            )
            return redirect("schools:class_detail", class_id=school_class.pk)

    return render(
        request,
        "schools/class_form.html",
        {"form": form, "year": year, "school_class": school_class},
    )


def class_create(request):
    year = _chosen_year(request)
    if year is None:
        messages.warning(request, _("Create the school year first."))
        return redirect("schools:year_list")
    if year.is_closed:
        return _closed_redirect(request, year)

    return _class_form(request, year=year)


def class_edit(request, class_id):
    school_class = selectors.class_get(actor=request.membership, class_id=class_id)
    if school_class.year.is_closed:
        return _closed_redirect(request, school_class.year)

    return _class_form(request, year=school_class.year, school_class=school_class)


def class_detail(request, class_id):
    actor = request.membership
    school_class = selectors.class_get(actor=actor, class_id=class_id)
    day = selectors.day_in_year(school_class.year)
    students = selectors.students_of_class(
        actor=actor, school_class=school_class, on_date=day
    )
    splits = selectors.class_splits(
        actor=actor, school_class=school_class, students=students, on_date=day
    )
    suggestions = selectors.split_suggestions(
        actor=actor,
        school_class=school_class,
        student_count=len(students),
        split_subject_ids={split.subject.pk for split in splits},
    )

    return render(
        request,
        "schools/class_detail.html",
        {
            "school_class": school_class,
            "day": day,
            "students": students,
            "too_big": len(students) > selectors.CLASS_SIZE_NORM,
            "size_norm": selectors.CLASS_SIZE_NORM,
            "splits": splits,
            "suggestions": [] if school_class.year.is_closed else suggestions,
            "threshold": selectors.split_threshold(school_class.year.school),
        },
    )


def class_split(request, class_id):
    actor = request.membership
    school_class = selectors.class_get(actor=actor, class_id=class_id)
    if school_class.year.is_closed:
        return _closed_redirect(request, school_class.year)

    form = SplitForm(
        request.POST or None,
        initial={"on_date": selectors.day_in_year(school_class.year)},
        subjects=selectors.school_subjects(actor=actor),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.subgroups_split(
                actor=actor, school_class=school_class, **form.cleaned_data
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            subject = form.cleaned_data["subject"]
            messages.success(
                request,
                _(
                    "%(class)s is split for %(subject)s, students in alphabetical "
                    "order. Check the groups and choose their teachers."
                )
                % {"class": school_class, "subject": subject.name},
            )
            return redirect(
                "schools:subgroup_split",
                class_id=school_class.pk,
                subject_id=subject.pk,
            )

    return render(
        request,
        "schools/class_split.html",
        {"form": form, "school_class": school_class},
    )


def subgroup_split(request, class_id, subject_id):
    """A class's groups for one subject: their teachers and who is where."""
    actor = request.membership
    school_class = selectors.class_get(actor=actor, class_id=class_id)
    year = school_class.year
    day = selectors.day_in_year(year)
    students = selectors.students_of_class(
        actor=actor, school_class=school_class, on_date=day
    )
    split = selectors.class_split_get(
        actor=actor, school_class=school_class, subject_id=subject_id, students=students
    )
    current = split.group_of
    action = request.POST.get("action") if request.method == "POST" else None
    teachers_form = SubgroupTeachersForm(
        request.POST if action == "teachers" else None,
        groups=split.groups,
        teachers=selectors.school_teachers(actor=actor),
    )
    members_form = SubgroupMembersForm(
        request.POST if action == "members" else None,
        initial={"on_date": day},
        groups=split.groups,
        students=students,
        current=current,
    )

    if year.is_closed:
        for form in (teachers_form, members_form):
            for field in form.fields.values():
                field.disabled = True

    if action == "teachers" and teachers_form.is_valid():
        try:
            for group, teacher in teachers_form.teachers():
                if group.teacher_id != (teacher.pk if teacher else None):
                    services.subgroup_update(
                        actor=actor, subgroup=group, teacher=teacher
                    )
        except ValidationError as error:
            form_add_service_errors(teachers_form, error)
        else:
            messages.success(request, _("The teachers of the groups are saved."))
            return redirect(request.path)
    if action == "members" and members_form.is_valid():
        try:
            changed = services.subgroup_members_assign(
                actor=actor,
                school_class=school_class,
                subject=split.subject,
                assignment=members_form.changes(current),
                on_date=members_form.cleaned_data["on_date"],
            )
        except ValidationError as error:
            form_add_service_errors(members_form, error)
        else:
            messages.success(
                request,
                _("Groups saved: %(count)d students changed group.")
                % {"count": changed},
            )
            return redirect(request.path)

    return render(
        request,
        "schools/subgroup_split.html",
        {
            "school_class": school_class,
            "split": split,
            "day": day,
            "teachers_form": teachers_form,
            "members_form": members_form,
            "is_closed": year.is_closed,
        },
    )


@require_POST
def subgroup_add(request, class_id, subject_id):
    actor = request.membership
    school_class = selectors.class_get(actor=actor, class_id=class_id)
    subject = selectors.subject_get(actor=actor, subject_id=subject_id)
    try:
        subgroup = services.subgroup_add(
            actor=actor, school_class=school_class, subject=subject
        )
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(
            request,
            _("Group %(number)d is added; move students into it.")
            % {"number": subgroup.number},
        )

    return redirect(
        "schools:subgroup_split", class_id=school_class.pk, subject_id=subject.pk
    )


@require_POST
def subgroups_remove(request, class_id, subject_id):
    actor = request.membership
    school_class = selectors.class_get(actor=actor, class_id=class_id)
    subject = selectors.subject_get(actor=actor, subject_id=subject_id)
    try:
        services.subgroups_remove(
            actor=actor, school_class=school_class, subject=subject
        )
    except ValidationError as error:
        _error_message(request, error)
        return redirect(
            "schools:subgroup_split", class_id=school_class.pk, subject_id=subject.pk
        )

    messages.success(
        request,
        _("%(class)s is no longer split for %(subject)s.")
        % {"class": school_class, "subject": subject.name},
    )

    return redirect("schools:class_detail", class_id=school_class.pk)


def subgroup_export(request):
    actor = request.membership
    year = _chosen_year(request)
    found = selectors.subgroups(actor=actor, year=year) if year is not None else []
    rows = []
    for subgroup in found:
        teacher = subgroup.teacher.full_name if subgroup.teacher else ""
        base = [
            str(subgroup.school_class),
            subgroup.subject.name,
            subgroup.number,
            teacher,
        ]
        members = subgroup.current_members or [None]
        for member in members:
            rows.append(
                [
                    *base,
                    member.student.full_name if member else "",
                    member.starts_on if member else None,
                ]
            )

    return xlsx_response(
        filename=_year_filename("subgroups", year),
        title=_("Subgroups"),
        headers=[
            _("Class"),
            _("Subject"),
            _("Group"),
            _("Teacher"),
            _("Student"),
            _("In the group since"),
        ],
        rows=rows,
    )
