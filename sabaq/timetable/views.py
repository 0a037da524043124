"""Timetable pages: the load, drafts and the editor, publication,
substitutions, and the published weeks of classes, teachers, rooms and of
each person.

Views fetch through selectors scoped to the active school and change data
only through services; a service's ValidationError comes back on the form,
or, in the editor, in the status line above the grid.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from sabaq.accounts.models import Role
from sabaq.core.documents import html_to_pdf
from sabaq.core.excel import xlsx_response
from sabaq.core.forms import form_add_service_errors
from sabaq.schools import selectors as school_selectors
from sabaq.schools.models import RoomKind
from sabaq.timetable import conflicts, ical, selectors, services
from sabaq.timetable.forms import (
    AbsenceForm,
    LessonChangeForm,
    LimitsForm,
    LoadLineForm,
    PublishForm,
    SlotForm,
    VersionCreateForm,
    slot_parse,
    slot_value,
)
from sabaq.timetable.models import LoadLine

VIEW_KINDS = ("class", "teacher", "room")


def _error_message(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _int(value) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def _date(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


SOFT_SHOWN_IN_EDITOR = 50
"""Warnings the editor lists; the version's page lists them all."""


def _clash_context(week, clashes, *, soft_limit: int | None = None) -> dict:
    rows = selectors.clash_rows(week, clashes)
    hard = [row for row in rows if row.clash.is_hard]
    soft = [row for row in rows if not row.clash.is_hard]
    shown = soft if soft_limit is None else soft[:soft_limit]
    return {
        "hard_rows": hard,
        "soft_rows": shown,
        "soft_more": len(soft) - len(shown),
        "hard_count": len(hard),
    }


# Overview, weekly limits, the load


def overview(request):
    actor = request.membership
    year = selectors.year_chosen(actor=actor, year_id=request.GET.get("year"))
    versions = list(selectors.versions(actor=actor, year=year)) if year else []
    today = timezone.localdate()

    return render(
        request,
        "timetable/overview.html",
        {
            "year": year,
            "years": school_selectors.school_years(actor=actor),
            "versions": versions,
            "in_effect": selectors.version_in_effect(
                school_id=actor.organisation_pk, on_date=today
            ),
            "form": VersionCreateForm(versions=versions),
            "line_count": (
                selectors.load_lines(actor=actor, year=year).count() if year else 0
            ),
        },
    )


def limits(request):
    actor = request.membership
    year = selectors.year_chosen(actor=actor, year_id=request.GET.get("year"))
    if year is None:
        return render(request, "timetable/no_year.html")
    form = LimitsForm(request.POST or None, limits=selectors.grade_limits(year=year))
    if request.method == "POST" and form.is_valid():
        try:
            services.grade_load_limits_set(actor=actor, year=year, limits=form.limits())
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The weekly load limits are saved."))
            return redirect(f"{reverse('timetable:load')}?year={year.pk}")

    return render(request, "timetable/limits.html", {"form": form, "year": year})


def load(request):
    actor = request.membership
    year = selectors.year_chosen(actor=actor, year_id=request.GET.get("year"))
    summary = selectors.load_summary(actor=actor, year=year) if year else None

    return render(
        request,
        "timetable/load.html",
        {
            "year": year,
            "years": school_selectors.school_years(actor=actor),
            "summary": summary,
        },
    )


def load_export(request):
    actor = request.membership
    year = selectors.year_chosen(actor=actor, year_id=request.GET.get("year"))
    summary = selectors.load_summary(actor=actor, year=year) if year else None
    rows = []
    for item in summary.classes if summary else []:
        for line in item.lines:
            rows.append(
                [
                    str(item.school_class),
                    line.subject.name,
                    line.subgroup.number if line.subgroup_id else "",
                    line.hours,
                    line.teacher.full_name if line.teacher_id else "",
                    str(RoomKind(line.room_kind).label) if line.room_kind else "",
                    line.room.name if line.room_id else "",
                ]
            )

    return xlsx_response(
        filename="curriculum-load.xlsx",
        title=_("Curriculum load"),
        headers=[
            _("Class"),
            _("Subject"),
            _("Group"),
            _("Hours a week"),
            _("Teacher"),
            _("Kind of room"),
            _("Preferred room"),
        ],
        rows=rows,
    )


def _line_form(request, *, school_class, line: LoadLine | None = None):
    actor = request.membership
    initial = {}
    if line is not None:
        initial = {
            "hours": line.hours,
            "teacher": line.teacher_id,
            "room_kind": line.room_kind,
            "room": line.room_id,
        }
    return LoadLineForm(
        request.POST or None,
        initial=initial,
        subjects=school_selectors.school_subjects(actor=actor),
        subgroups=school_class.subgroups.select_related("subject").order_by(
            "subject__code", "number"
        ),
        teachers=selectors.school_staff(actor=actor),
        rooms=school_selectors.rooms(actor=actor, active_only=True),
        fixed_subject=line is not None,
    )


def _by_pk(queryset, pk):
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _load_url(school_class) -> str:
    url = reverse("timetable:load")
    return f"{url}?year={school_class.year_id}#class-{school_class.pk}"


def load_line_add(request, class_id):
    actor = request.membership
    school_class = school_selectors.class_get(actor=actor, class_id=class_id)
    form = _line_form(request, school_class=school_class)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.load_line_create(
                actor=actor,
                school_class=school_class,
                subject=school_selectors.subject_get(
                    actor=actor, subject_id=data["subject"]
                ),
                subgroup=_by_pk(school_class.subgroups.all(), data["subgroup"]),
                hours=data["hours"],
                teacher=_by_pk(selectors.school_staff(actor=actor), data["teacher"]),
                room_kind=data["room_kind"],
                room=_by_pk(school_selectors.rooms(actor=actor), data["room"]),
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The line is added to the load."))
            return redirect(_load_url(school_class))

    return render(
        request,
        "timetable/load_line_form.html",
        {"form": form, "school_class": school_class, "line": None},
    )


def load_line_edit(request, line_id):
    actor = request.membership
    line = selectors.load_line_get(actor=actor, line_id=line_id)
    form = _line_form(request, school_class=line.school_class, line=line)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.load_line_update(
                actor=actor,
                line=line,
                hours=data["hours"],
                teacher=_by_pk(selectors.school_staff(actor=actor), data["teacher"]),
                room_kind=data["room_kind"],
                room=_by_pk(school_selectors.rooms(actor=actor), data["room"]),
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect(_load_url(line.school_class))

    return render(
        request,
        "timetable/load_line_form.html",
        {"form": form, "school_class": line.school_class, "line": line},
    )


@require_POST
def load_line_remove(request, line_id):
    line = selectors.load_line_get(actor=request.membership, line_id=line_id)
    try:
        services.load_line_remove(actor=request.membership, line=line)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, _("The line is removed from the load."))

    return redirect(_load_url(line.school_class))


def availability(request, teacher_id):
    actor = request.membership
    teacher = selectors.staff_member_get(actor=actor, person_id=teacher_id)
    year = selectors.year_chosen(actor=actor, year_id=request.GET.get("year"))
    if year is None:
        return render(request, "timetable/no_year.html")
    shifts = selectors.school_shifts(school_id=actor.organisation_pk)
    shift_by_id = {shift.pk: shift for shift in shifts}
    if request.method == "POST":
        slots = []
        for value in request.POST.getlist("slot"):
            parsed = slot_parse(value)
            if parsed is None or parsed[1] not in shift_by_id:
                continue
            day, shift_id, period = parsed
            slots.append((day, shift_by_id[shift_id], period))
        try:
            services.teacher_unavailability_set(
                actor=actor, year=year, teacher=teacher, slots=slots
            )
        except ValidationError as error:
            _error_message(request, error)
        else:
            messages.success(
                request,
                _("The times %(teacher)s cannot teach are saved.")
                % {"teacher": teacher.full_name},
            )
            return redirect(f"{reverse('timetable:load')}?year={year.pk}")

    checked = {
        slot_value(*slot)
        for slot in selectors.teacher_unavailable_slots(year=year, teacher=teacher)
    }
    rows = [
        {
            "shift": shift,
            "period": period,
            "cells": [
                {
                    "value": slot_value(day, shift.pk, period.number),
                    "day": selectors.day_name(day),
                    "checked": slot_value(day, shift.pk, period.number) in checked,
                }
                for day in selectors.SCHOOL_DAYS
            ],
        }
        for shift in shifts
        for period in shift.periods.all()
    ]

    return render(
        request,
        "timetable/availability.html",
        {
            "teacher": teacher,
            "year": year,
            "rows": rows,
            "days": [selectors.day_name(day) for day in selectors.SCHOOL_DAYS],
        },
    )


# Versions


@require_POST
def version_create(request):
    actor = request.membership
    year = selectors.year_chosen(actor=actor, year_id=request.POST.get("year"))
    if year is None:
        raise Http404
    versions = list(selectors.versions(actor=actor, year=year))
    form = VersionCreateForm(request.POST, versions=versions)
    if not form.is_valid():
        messages.error(request, _("Choose a timetable to start from in the list."))
        return redirect("timetable:overview")
    copy_from = next(
        (v for v in versions if v.pk == form.cleaned_data["copy_from"]), None
    )
    try:
        version = services.version_create(
            actor=actor,
            year=year,
            name=form.cleaned_data["name"],
            copy_from=copy_from,
        )
    except ValidationError as error:
        _error_message(request, error)
        return redirect("timetable:overview")

    messages.success(
        request, _("The draft %(version)s is created.") % {"version": version}
    )

    return redirect("timetable:version_editor", version_id=version.pk)


def version_detail(request, version_id):
    actor = request.membership
    version = selectors.version_get(actor=actor, version_id=version_id)
    week = selectors.week_of(version)
    context = _clash_context(week, conflicts.check_week(week))

    return render(
        request,
        "timetable/version_detail.html",
        {
            **context,
            "version": version,
            "lesson_count": len(week.lessons),
            "hours": sum(line.hours for line in week.lines.values()),
            "classes": sorted(week.classes.values(), key=lambda c: (c.grade, c.label)),
        },
    )


def _editor_choice(request, week: conflicts.Week, source) -> tuple[str, int]:
    """Which grid the editor shows: `?class=`, `?teacher=` or `?room=`,
    else the first class."""
    for kind in VIEW_KINDS:
        object_id = _int(source.get(kind))
        if object_id is None:
            continue
        known = {
            "class": week.classes,
            "teacher": week.teachers,
            "room": week.rooms,
        }[kind]
        if object_id in known:
            return kind, object_id
    if week.classes:
        first = min(week.classes.values(), key=lambda c: (c.grade, c.label, c.id))
        return "class", first.id
    return "", 0


def _editor_context(
    request,
    version,
    week: conflicts.Week,
    *,
    source,
    status: list[str] | None = None,
    error: str = "",
):
    kind, object_id = _editor_choice(request, week, source)
    clashes = conflicts.check_week(week)
    view = (
        selectors.editor_view(
            week=week, clashes=clashes, kind=kind, object_id=object_id
        )
        if kind
        else None
    )

    return {
        **_clash_context(week, clashes, soft_limit=SOFT_SHOWN_IN_EDITOR),
        "version": version,
        "view": view,
        "view_value": f"{kind}:{object_id}" if kind else "",
        "classes": sorted(week.classes.values(), key=lambda c: (c.grade, c.label)),
        "teachers": sorted(week.teachers.items(), key=lambda item: item[1]),
        "rooms": sorted(week.rooms.values(), key=lambda r: r.label),
        "status": status or [],
        "error": error,
        "focus": _int(source.get("focus")),
    }


def version_editor(request, version_id):
    actor = request.membership
    version = selectors.version_get(actor=actor, version_id=version_id)
    week = selectors.week_of(version)
    context = _editor_context(request, version, week, source=request.GET)

    return render(request, "timetable/version_editor.html", context)


def _view_source(value: str) -> dict[str, str]:
    kind, _sep, object_id = value.partition(":")
    return {kind: object_id} if kind in VIEW_KINDS else {}


def _edit_status(result: services.EditResult, done: str) -> list[str]:
    if result.week is None:
        return [done]
    explainer = conflicts.Explainer(result.week)
    hard = [clash for clash in result.clashes if clash.is_hard]
    lines = [done]
    if hard:
        lines.append(
            ngettext(
                "It clashes with %(count)d thing:",
                "It clashes with %(count)d things:",
                len(hard),
            )
            % {"count": len(hard)}
        )
    lines += [explainer.explain(clash) for clash in result.clashes]
    return lines


@require_POST
def version_edit(request, version_id):
    """One edit of a draft, from the editor's keyboard, mouse or forms.

    `action` is place, move, swap or remove. An htmx request gets the editor
    panel back with the edit's clashes in its status line; a plain form
    post is sent back to the editor page.
    """
    actor = request.membership
    version = selectors.version_get(actor=actor, version_id=version_id)
    post = request.POST
    action = post.get("action", "")
    source = _view_source(post.get("view", ""))
    result = None
    error = ""

    def entry_of(field: str):
        entry = selectors.entry_get(actor=actor, entry_id=post.get(field))
        if entry.version_id != version.pk:
            raise Http404
        return entry

    try:
        if action == "place":
            line = selectors.load_line_get(actor=actor, line_id=post.get("line"))
            slot = slot_parse(post.get("slot", ""))
            if slot is None:
                raise ValidationError(_("Choose a day and a lesson."))
            day, shift_id, period = slot
            shift = (
                _by_pk(school_selectors.shifts(actor=actor), shift_id)
                or line.school_class.shift
            )
            result = services.entry_place(
                actor=actor,
                version=version,
                line=line,
                day=day,
                period=period,
                shift=shift,
            )
            done = _("%(lesson)s is placed.")
        elif action == "move":
            entry = entry_of("entry")
            slot = slot_parse(post.get("slot", ""))
            if slot is None:
                raise ValidationError(_("Choose a day and a lesson."))
            day, shift_id, period = slot
            result = services.entry_move(
                actor=actor,
                entry=entry,
                day=day,
                period=period,
                shift=_by_pk(school_selectors.shifts(actor=actor), shift_id),
            )
            done = _("%(lesson)s is moved.")
        elif action == "swap":
            result = services.entry_swap(
                actor=actor, entry=entry_of("entry"), other=entry_of("other")
            )
            done = _("%(lesson)s changed places with another lesson.")
        elif action == "remove":
            entry = entry_of("entry")
            label = f"{entry.load.subject.name}, {entry.school_class}"
            result = services.entry_remove(actor=actor, entry=entry)
            done = _("%(lesson)s is taken off the grid.") % {"lesson": label}
        else:
            raise ValidationError(_("This change is not known."))
    except ValidationError as exc:
        error = " ".join(exc.messages)

    status: list[str] = []
    if result is not None:
        if result.entry is not None and result.week is not None:
            lesson = result.week.lessons[result.entry.pk]
            done = done % {"lesson": conflicts.Explainer(result.week).lesson(lesson)}
            source = {**source, "focus": str(result.entry.pk)}
        status = _edit_status(result, done)

    if request.htmx:
        # The panel lists every clash of the version, so it needs the whole
        # week; the edit itself was checked on the part around it.
        week = selectors.week_of(version)
        context = _editor_context(
            request, version, week, source=source, status=status, error=error
        )
        return render(request, "timetable/editor_panel.html", context)

    if error:
        messages.error(request, error)
    elif status:
        messages.info(request, " ".join(status))
    query = urlencode(source)

    return redirect(f"{reverse('timetable:version_editor', args=[version.pk])}?{query}")


@require_POST
def version_fill(request, version_id):
    actor = request.membership
    version = selectors.version_get(actor=actor, version_id=version_id)
    try:
        placed = services.timetable_fill(actor=actor, version=version)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d lesson is placed from the load.",
                "%(count)d lessons are placed from the load.",
                placed,
            )
            % {"count": placed},
        )

    return redirect("timetable:version_editor", version_id=version.pk)


def version_publish(request, version_id):
    actor = request.membership
    version = selectors.version_get(actor=actor, version_id=version_id)
    form = PublishForm(
        request.POST or None,
        initial={"takes_effect_on": school_selectors.day_in_year(version.year)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = services.timetable_publish(
                actor=actor,
                version=version,
                takes_effect_on=form.cleaned_data["takes_effect_on"],
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(version)s is published from %(date)s; %(count)d person "
                    "whose week changed is told.",
                    "%(version)s is published from %(date)s; %(count)d people "
                    "whose week changed are told.",
                    result.notified,
                )
                % {
                    "version": version,
                    "date": formats.date_format(
                        form.cleaned_data["takes_effect_on"], "SHORT_DATE_FORMAT"
                    ),
                    "count": result.notified,
                },
            )
            return redirect("timetable:version_detail", version_id=version.pk)

    week = selectors.week_of(version)
    context = _clash_context(week, conflicts.check_week(week))

    return render(
        request,
        "timetable/version_publish.html",
        {**context, "version": version, "form": form},
    )


@require_POST
def version_remove(request, version_id):
    version = selectors.version_get(actor=request.membership, version_id=version_id)
    try:
        services.version_remove(actor=request.membership, version=version)
    except ValidationError as error:
        _error_message(request, error)
        return redirect("timetable:version_detail", version_id=version.pk)

    messages.success(request, _("The draft is removed."))

    return redirect("timetable:overview")


def line_place(request, version_id, line_id):
    """Place a lesson of a load line with a form: the editor without a mouse
    or script."""
    actor = request.membership
    version = selectors.version_get(actor=actor, version_id=version_id)
    line = selectors.load_line_get(actor=actor, line_id=line_id)
    if line.school_class.year_id != version.year_id:
        raise Http404
    shifts = selectors.school_shifts(school_id=actor.organisation_pk)
    form = SlotForm(
        request.POST or None,
        shifts=shifts,
        rooms=school_selectors.rooms(actor=actor, active_only=True),
        room_help=_("Without a room Sabaq picks a free one that suits the lesson."),
    )
    if request.method == "POST" and form.is_valid():
        day, shift_id, period = form.cleaned_data["slot"]
        room_id = form.cleaned_data["room"]
        try:
            result = services.entry_place(
                actor=actor,
                version=version,
                line=line,
                day=day,
                period=period,
                shift=_by_pk(school_selectors.shifts(actor=actor), shift_id),
                room=(
                    _by_pk(school_selectors.rooms(actor=actor), room_id)
                    if room_id
                    else services.KEEP
                ),
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            status = _edit_status(result, _("The lesson is placed."))
            messages.info(request, " ".join(status))
            query = urlencode({"class": line.school_class_id, "focus": result.entry.pk})
            return redirect(
                f"{reverse('timetable:version_editor', args=[version.pk])}?{query}"
            )

    return render(
        request,
        "timetable/line_place.html",
        {"form": form, "version": version, "line": line},
    )


def entry_edit(request, entry_id):
    """Move a lesson, change its room or take it off the grid with a form."""
    actor = request.membership
    entry = selectors.entry_get(actor=actor, entry_id=entry_id)
    version = entry.version
    shifts = selectors.school_shifts(school_id=actor.organisation_pk)
    form = SlotForm(
        request.POST or None,
        initial={
            "slot": slot_value(entry.day, entry.shift_id, entry.period),
            "room": entry.room_id,
        },
        shifts=shifts,
        rooms=school_selectors.rooms(actor=actor, active_only=True),
    )
    editor_url = reverse("timetable:version_editor", args=[version.pk])
    if request.method == "POST" and "remove" in request.POST:
        try:
            services.entry_remove(actor=actor, entry=entry)
        except ValidationError as error:
            _error_message(request, error)
        else:
            messages.success(request, _("The lesson is taken off the grid."))
            return redirect(f"{editor_url}?class={entry.school_class_id}")
    elif request.method == "POST" and form.is_valid():
        day, shift_id, period = form.cleaned_data["slot"]
        room_id = form.cleaned_data["room"]
        try:
            result = services.entry_move(
                actor=actor,
                entry=entry,
                day=day,
                period=period,
                shift=_by_pk(school_selectors.shifts(actor=actor), shift_id),
                room=_by_pk(school_selectors.rooms(actor=actor), room_id),
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.info(
                request, " ".join(_edit_status(result, _("The lesson is moved.")))
            )
            query = urlencode({"class": entry.school_class_id, "focus": entry.pk})
            return redirect(f"{editor_url}?{query}")

    return render(
        request,
        "timetable/entry_edit.html",
        {"form": form, "entry": entry, "version": version},
    )


# Absences and one-day changes


def absence_list(request):
    actor = request.membership
    form = AbsenceForm(
        request.POST or None, teachers=selectors.school_staff(actor=actor)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            absence = services.absence_create(
                actor=actor,
                teacher=_by_pk(selectors.school_staff(actor=actor), data["teacher"]),
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                note=data["note"],
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The absence is recorded. Choose substitutes for the lessons now."),
            )
            return redirect("timetable:absence_detail", absence_id=absence.pk)

    day = _date(request.GET.get("date")) or timezone.localdate()

    return render(
        request,
        "timetable/absence_list.html",
        {
            "form": form,
            "absences": selectors.absences(actor=actor)[:100],
            "day": day,
            "changes": selectors.changes_on(actor=actor, day=day),
        },
    )


def absence_detail(request, absence_id):
    actor = request.membership
    absence = selectors.absence_get(actor=actor, absence_id=absence_id)
    lessons = selectors.absence_lessons(absence=absence)
    finder = selectors.SubstituteFinder(
        actor=actor, first=absence.starts_on, last=absence.ends_on
    )
    rows = []
    for lesson in lessons:
        qualified, others = (
            finder.proposals(lesson.entry, lesson.day)
            if lesson.change is None
            else ([], [])
        )
        rows.append({"lesson": lesson, "proposals": qualified[:3], "others": others})

    return render(
        request,
        "timetable/absence_detail.html",
        {"absence": absence, "rows": rows},
    )


@require_POST
def absence_remove(request, absence_id):
    absence = selectors.absence_get(actor=request.membership, absence_id=absence_id)
    try:
        services.absence_remove(actor=request.membership, absence=absence)
    except ValidationError as error:
        _error_message(request, error)
        return redirect("timetable:absence_detail", absence_id=absence.pk)

    messages.success(request, _("The absence and its substitutions are removed."))

    return redirect("timetable:absence_list")


def lesson_change(request, entry_id):
    """Change one dated lesson: a substitute, another room, or cancel it."""
    actor = request.membership
    entry = selectors.entry_get(actor=actor, entry_id=entry_id)
    if entry.version.is_draft:
        raise Http404
    source = request.POST if request.method == "POST" else request.GET
    day = _date(source.get("date"))
    absence = None
    if source.get("absence"):
        absence = selectors.absence_get(actor=actor, absence_id=source["absence"])
    change = (
        entry.changes.select_related("substitute", "room").filter(on_date=day).first()
        if day
        else None
    )
    staff = selectors.school_staff(actor=actor)
    rooms = school_selectors.rooms(actor=actor, active_only=True)
    initial = {}
    if change is not None:
        initial = {
            "substitute": change.substitute_id,
            "room": change.room_id,
            "is_cancelled": change.is_cancelled,
            "note": change.note,
        }
    form = LessonChangeForm(
        request.POST or None, initial=initial, substitutes=staff, rooms=rooms
    )
    back = (
        reverse("timetable:absence_detail", args=[absence.pk])
        if absence
        else f"{reverse('timetable:absence_list')}?date={day or ''}"
    )

    if request.method == "POST" and "withdraw" in request.POST and change:
        services.lesson_change_remove(actor=actor, change=change)
        messages.success(request, _("The change is withdrawn."))
        return redirect(back)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.lesson_change_set(
                actor=actor,
                entry=entry,
                on_date=day,
                substitute=_by_pk(staff, data["substitute"]),
                room=_by_pk(rooms, data["room"]),
                is_cancelled=data["is_cancelled"],
                note=data["note"],
                absence=absence,
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The change is saved, and the class and teachers are told."),
            )
            return redirect(back)

    qualified, others = (
        selectors.substitute_proposals(actor=actor, entry=entry, day=day)
        if day
        else ([], [])
    )

    return render(
        request,
        "timetable/lesson_change.html",
        {
            "entry": entry,
            "day": day,
            "absence": absence,
            "change": change,
            "form": form,
            "qualified": qualified,
            "others": others,
            "back": back,
        },
    )


@require_POST
def change_remove(request, change_id):
    change = selectors.change_get(actor=request.membership, change_id=change_id)
    services.lesson_change_remove(actor=request.membership, change=change)
    messages.success(request, _("The change is withdrawn."))
    if change.absence_id:
        return redirect("timetable:absence_detail", absence_id=change.absence_id)

    return redirect(f"{reverse('timetable:absence_list')}?date={change.on_date}")


# Published weeks


def browse(request):
    actor = request.membership
    year = school_selectors.current_year(actor=actor)
    is_admin = selectors.is_school_admin(actor)

    return render(
        request,
        "timetable/browse.html",
        {
            "year": year,
            "classes": selectors.year_classes(year=year) if year else [],
            "rooms": school_selectors.rooms(actor=actor, active_only=True),
            "teachers": selectors.school_staff(actor=actor) if is_admin else [],
            "is_admin": is_admin,
        },
    )


def _teacher_for(request, teacher_id):
    """A staff member whose week the actor may see: anyone for the heads, a
    teacher's own self otherwise."""
    actor = request.membership
    teacher = selectors.staff_member_get(actor=actor, person_id=teacher_id)
    if actor.role == Role.TEACHER and teacher.pk != actor.user_id:
        raise Http404
    return teacher


def _week_page(request, *, title: str, week, pdf_url: str, kind: str):
    return render(
        request,
        "timetable/week_page.html",
        {"title": title, "week": week, "pdf_url": pdf_url, "kind": kind},
    )


def class_week(request, class_id):
    actor = request.membership
    school_class = school_selectors.class_get(actor=actor, class_id=class_id)
    monday = selectors.parse_monday(
        request.GET.get("week"), school_id=actor.organisation_pk
    )
    week = selectors.class_week(actor=actor, school_class=school_class, monday=monday)

    return _week_page(
        request,
        title=_("Class %(class)s") % {"class": school_class},
        week=week,
        pdf_url=reverse("timetable:class_pdf", args=[school_class.pk]),
        kind="class",
    )


def teacher_week(request, teacher_id):
    actor = request.membership
    teacher = _teacher_for(request, teacher_id)
    monday = selectors.parse_monday(
        request.GET.get("week"), school_id=actor.organisation_pk
    )
    week = selectors.teacher_week(actor=actor, teacher=teacher, monday=monday)

    return _week_page(
        request,
        title=teacher.full_name,
        week=week,
        pdf_url=reverse("timetable:teacher_pdf", args=[teacher.pk]),
        kind="teacher",
    )


def room_week(request, room_id):
    actor = request.membership
    room = school_selectors.room_get(actor=actor, room_id=room_id)
    monday = selectors.parse_monday(
        request.GET.get("week"), school_id=actor.organisation_pk
    )
    week = selectors.room_week(actor=actor, room=room, monday=monday)

    return _week_page(
        request,
        title=_("Room %(room)s") % {"room": room.name},
        week=week,
        pdf_url=reverse("timetable:room_pdf", args=[room.pk]),
        kind="room",
    )


def _pdf_version(request):
    """The version a printed timetable shows: the one in effect on `?date=`,
    else today, else the latest published."""
    school_id = request.membership.organisation_pk
    day = _date(request.GET.get("date")) or timezone.localdate()
    published = selectors.published_versions(school_id=school_id)
    return selectors.version_on(published, day) or (published[0] if published else None)


def _pdf_response(request, *, title: str, grid, filename: str, kind: str):
    version = _pdf_version(request)
    html = render_to_string(
        "timetable/week_pdf.html",
        {
            "title": title,
            "grid": grid(version),
            "version": version,
            "school": request.membership.organisation,
            "kind": kind,
        },
        request=request,
    )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def class_pdf(request, class_id):
    actor = request.membership
    school_class = school_selectors.class_get(actor=actor, class_id=class_id)
    return _pdf_response(
        request,
        title=_("Class %(class)s") % {"class": school_class},
        grid=lambda version: selectors.pattern_grid(
            school_id=actor.organisation_pk,
            version=version,
            entries=Q(school_class=school_class),
            shift_ids=[school_class.shift_id],
        ),
        filename=f"timetable-class-{school_class.pk}.pdf",
        kind="class",
    )


def teacher_pdf(request, teacher_id):
    actor = request.membership
    teacher = _teacher_for(request, teacher_id)
    return _pdf_response(
        request,
        title=teacher.full_name,
        grid=lambda version: selectors.pattern_grid(
            school_id=actor.organisation_pk,
            version=version,
            entries=Q(teacher=teacher),
        ),
        filename=f"timetable-teacher-{teacher.pk}.pdf",
        kind="teacher",
    )


def room_pdf(request, room_id):
    actor = request.membership
    room = school_selectors.room_get(actor=actor, room_id=room_id)
    return _pdf_response(
        request,
        title=_("Room %(room)s") % {"room": room.name},
        grid=lambda version: selectors.pattern_grid(
            school_id=actor.organisation_pk,
            version=version,
            entries=Q(room=room),
        ),
        filename=f"timetable-room-{room.pk}.pdf",
        kind="room",
    )


# A person's own week


def my_week(request):
    actor = request.membership
    school_id = actor.organisation_pk
    monday = selectors.parse_monday(request.GET.get("week"), school_id=school_id)
    weeks = []
    if actor.role == Role.TEACHER:
        weeks.append(
            {
                "title": "",
                "week": selectors.teacher_week(
                    actor=actor, teacher=actor.user, monday=monday
                ),
                "kind": "teacher",
            }
        )
    elif actor.role == Role.STUDENT:
        school_class, week = selectors.student_week(
            school_id=school_id, student=actor.user, monday=monday
        )
        weeks.append({"title": "", "school_class": school_class, "week": week})
    else:
        for child in selectors.children_of(actor=actor):
            school_class, week = selectors.student_week(
                school_id=school_id, student=child, monday=monday
            )
            weeks.append(
                {"title": child.full_name, "school_class": school_class, "week": week}
            )
    feed = selectors.calendar_feed_of(actor=actor)
    feed_url = (
        request.build_absolute_uri(
            reverse("timetable:calendar_feed", args=[feed.token])
        )
        if feed
        else ""
    )

    return render(
        request,
        "timetable/my_week.html",
        {
            "monday": monday,
            "previous": monday - datetime.timedelta(days=7),
            "next": monday + datetime.timedelta(days=7),
            "weeks": weeks,
            "notices": [
                selectors.notice_text(notice) | {"notice": notice}
                for notice in selectors.notices(actor=actor)
            ],
            "feed_url": feed_url,
        },
    )


@require_POST
def notices_read(request):
    services.notices_mark_read(actor=request.membership)
    return redirect("timetable:my_week")


@require_POST
def calendar_renew(request):
    services.calendar_feed_renew(actor=request.membership)
    messages.success(
        request,
        _(
            "Your calendar has a new secret address; the old one no longer "
            "works. Add the new one to your calendar app."
        ),
    )
    return redirect(f"{reverse('timetable:my_week')}#calendar")


def calendar_feed(request, token):
    """The person's lessons as an iCalendar file, at a secret address."""
    feed = selectors.calendar_feed_by_token(token)
    language = feed.membership.user.language
    with translation.override(language):
        body = ical.feed_ics(feed, today=timezone.localdate())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="sabaq.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
