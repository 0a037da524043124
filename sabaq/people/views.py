"""Students' and staff files, guardians, transfers, imports and exports.

Every page here is for the director and deputy heads (`permissions.py`);
objects are fetched through selectors scoped to the active school, so another
school's student is as missing as one that never existed.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sabaq.core.errors import ApplicationError
from sabaq.core.excel import XLSX_CONTENT_TYPE, xlsx_response
from sabaq.core.forms import form_add_service_errors
from sabaq.people import imports, selectors, services
from sabaq.people.forms import (
    EnrolForm,
    GuardianForm,
    ImportForm,
    StaffAddForm,
    StaffFileForm,
    StudentAddForm,
    StudentFileForm,
    TransferForm,
)
from sabaq.people.history import history_rows
from sabaq.people.models import (
    HealthGroup,
    QualificationCategory,
    Relation,
    Sex,
    SocialCategory,
)
from sabaq.schools.models import InstructionLanguage

PAGE_SIZE = 100


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


# Students


def student_list(request):
    actor = request.membership
    status = request.GET.get("status", "")
    if status not in ("", "no_class", "archived"):
        status = ""
    search = request.GET.get("q", "").strip()[:100]
    classes = list(selectors.school_classes(actor=actor))
    class_id = _int_or_none(request.GET.get("class"))
    if class_id not in {school_class.pk for school_class in classes}:
        class_id = None

    if status == "archived":
        rows = selectors.archived_student_records(actor=actor, search=search)
    else:
        rows = selectors.school_students(
            actor=actor,
            school_class_id=class_id,
            without_class=status == "no_class",
            search=search,
        )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))

    return render(
        request,
        "people/student_list.html",
        {
            "page": page,
            "classes": classes,
            "class_id": class_id,
            "status": status,
            "search": search,
            "counts": selectors.student_counts(actor=actor),
        },
    )


def _file_initial(student, record) -> dict:
    initial = {
        "surname": student.surname,
        "name": student.name,
        "patronymic": student.patronymic,
        "iin": student.iin or "",
        "phone": student.phone,
    }
    if record is not None:
        initial |= {
            field: getattr(record, field) for field in services.STUDENT_RECORD_FIELDS
        }
    return initial


def student_add(request):
    actor = request.membership
    form = StudentAddForm(
        request.POST or None, classes=selectors.school_classes(actor=actor)
    )
    if request.method == "POST" and form.is_valid():
        try:
            record = services.student_add(actor=actor, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The student is added. To give them their first password, "
                    "print a login slip from their file."
                ),
            )
            return redirect("people:student_detail", student_id=record.student_id)

    return render(request, "people/student_add.html", {"form": form})


def student_detail(request, student_id):
    actor = request.membership
    student = selectors.student_get(actor=actor, student_id=student_id)
    record = selectors.student_record_for(actor=actor, student=student)
    is_current = selectors.is_current_student(actor=actor, student=student)
    # A school the student left sees their history up to the day they left.
    until = record.withdrawn_on if record and not is_current else None
    schools = list(selectors.student_schools(actor=actor, student=student, until=until))
    enrolments = list(
        selectors.student_enrolments(actor=actor, student=student, until=until)
    )
    records_here = [r for r in schools if r.school_id == actor.organisation_pk]
    history = history_rows(
        selectors.file_history(actor=actor, person=student, records=records_here)
    )
    current_enrolment = next(
        (
            e
            for e in enrolments
            if e.ends_on is None
            and e.school_class.year.school_id == actor.organisation_pk
        ),
        None,
    )
    enrol_form = None
    if is_current:
        enrol_form = EnrolForm(
            classes=selectors.school_classes(actor=actor),
            initial={"starts_on": timezone.localdate()},
            auto_id="enrol_%s",
        )

    return render(
        request,
        "people/student_detail.html",
        {
            "student": student,
            "record": record,
            "is_current": is_current,
            "guardianships": selectors.student_guardianships(
                actor=actor, student=student
            ),
            "enrolments": enrolments,
            "current_enrolment": current_enrolment,
            "schools": schools,
            "history": history,
            "enrol_form": enrol_form,
            "this_school_id": actor.organisation_pk,
        },
    )


def student_edit(request, student_id):
    actor = request.membership
    student = selectors.student_get(actor=actor, student_id=student_id)
    record = selectors.student_record_for(actor=actor, student=student)
    if record is not None and record.is_archived:
        messages.error(
            request,
            _("This personal file is archived: the student left the school."),
        )
        return redirect("people:student_detail", student_id=student.pk)

    form = StudentFileForm(request.POST or None, initial=_file_initial(student, record))
    if request.method == "POST" and form.is_valid():
        try:
            if record is None:
                services.student_record_create(
                    actor=actor, student=student, **form.cleaned_data
                )
            else:
                services.student_record_update(
                    actor=actor, record=record, **form.cleaned_data
                )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("people:student_detail", student_id=student.pk)

    return render(
        request,
        "people/student_edit.html",
        {"form": form, "student": student, "record": record},
    )


def student_enrol(request, student_id):
    actor = request.membership
    student = selectors.student_get(actor=actor, student_id=student_id)
    form = EnrolForm(
        request.POST or None,
        classes=selectors.school_classes(actor=actor),
        initial={"starts_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.enrolment_add(actor=actor, student=student, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is in %(class)s from %(date)s.")
                % {
                    "name": student.full_name,
                    "class": form.cleaned_data["school_class"],
                    "date": form.cleaned_data["starts_on"].strftime("%d.%m.%Y"),
                },
            )
            return redirect("people:student_detail", student_id=student.pk)

    return render(
        request, "people/student_enrol.html", {"form": form, "student": student}
    )


def student_transfer(request, student_id):
    actor = request.membership
    student = selectors.student_get(actor=actor, student_id=student_id)
    if not selectors.is_current_student(actor=actor, student=student):
        messages.error(request, _("This student has already left the school."))
        return redirect("people:student_detail", student_id=student.pk)

    search = request.GET.get("q", "").strip()[:100]
    if request.method == "POST":
        schools = selectors.destination_schools(actor=actor, limit=0)
    else:
        schools = selectors.destination_schools(actor=actor, search=search)
    form = TransferForm(
        request.POST or None,
        schools=schools,
        initial={"transferred_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.student_transfer(actor=actor, student=student, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            destination = form.cleaned_data["destination"]
            if destination is not None:
                messages.success(
                    request,
                    _(
                        "%(name)s has moved to %(school)s with their account and "
                        "file. Their file here is archived."
                    )
                    % {"name": student.full_name, "school": destination.name},
                )
            else:
                messages.success(
                    request,
                    _("%(name)s has left the school. Their file here is archived.")
                    % {"name": student.full_name},
                )
            return redirect("people:student_detail", student_id=student.pk)

    return render(
        request,
        "people/student_transfer.html",
        {"form": form, "student": student, "search": search},
    )


def guardian_add(request, student_id):
    actor = request.membership
    student = selectors.student_get(actor=actor, student_id=student_id)
    form = GuardianForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            link = services.guardian_add(
                actor=actor, child=student, **form.cleaned_data
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(guardian)s is linked to %(child)s as %(relation)s.")
                % {
                    "guardian": link.guardian.full_name,
                    "child": student.full_name,
                    "relation": link.get_relation_display(),
                },
            )
            return redirect("people:student_detail", student_id=student.pk)

    return render(
        request, "people/guardian_add.html", {"form": form, "student": student}
    )


def guardian_remove(request, student_id, guardian_id):
    actor = request.membership
    student = selectors.student_get(actor=actor, student_id=student_id)
    link = selectors.student_guardianship_get(
        actor=actor, student=student, guardian_id=guardian_id
    )
    if request.method == "POST":
        try:
            services.guardian_unlink(actor=actor, guardianship=link)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(guardian)s is no longer linked to %(child)s.")
                % {"guardian": link.guardian.full_name, "child": student.full_name},
            )
        return redirect("people:student_detail", student_id=student.pk)

    return render(
        request, "people/guardian_remove.html", {"link": link, "student": student}
    )


# Exports


def _export(request, kind: str, list_url: str, count: int):
    actor = request.membership
    if request.method == "POST":
        try:
            export = services.personal_data_export(actor=actor, kind=kind)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect(list_url)
        response = HttpResponse(export.content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        response["Cache-Control"] = "no-store"
        return response

    return render(
        request,
        "people/export.html",
        {"kind": kind, "count": count, "list_url": list_url},
    )


def students_export(request):
    count = selectors.student_counts(actor=request.membership)["current"]
    return _export(request, "students", reverse("people:student_list"), count)


def staff_export(request):
    count = selectors.staff_members(actor=request.membership).count()
    return _export(request, "staff", reverse("people:staff_list"), count)


# Imports

_IMPORT_TITLES = {
    "students": (gettext_lazy("Import students"), "people:student_list"),
    "staff": (gettext_lazy("Import staff"), "people:staff_list"),
    "guardians": (gettext_lazy("Import guardians"), "people:student_list"),
}
_CHOICE_COLUMNS = {
    "sex": Sex,
    "language": InstructionLanguage,
    "health_group": HealthGroup,
    "social_category": SocialCategory,
    "category": QualificationCategory,
    "relation": Relation,
}


def import_page(request, kind: str):
    actor = request.membership
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        dry_run = request.POST.get("action") != "import"
        try:
            report = imports.IMPORTERS[kind](
                actor=actor, data=form.cleaned_data["file"], dry_run=dry_run
            )
        except ApplicationError as error:
            form.add_error(None, error.message)

    columns = [
        {
            "header": column.header,
            "required": column.required,
            "help": column.help,
            "values": imports.choice_values(_CHOICE_COLUMNS[column.key])
            if column.key in _CHOICE_COLUMNS
            else [],
        }
        for column in imports.COLUMNS[kind]
    ]
    title, back = _IMPORT_TITLES[kind]

    return render(
        request,
        "people/import.html",
        {
            "kind": kind,
            "title": title,
            "back_url": reverse(back),
            "template_url": reverse(f"people:{kind}_import_template"),
            "form": form,
            "report": report,
            "columns": columns,
            "classes": selectors.school_classes(actor=actor)
            if kind == "students"
            else None,
        },
    )


def import_template(request, kind: str):
    return xlsx_response(
        filename=f"sabaq-{kind}.xlsx",
        title=str(_IMPORT_TITLES[kind][0]),
        headers=imports.template_headers(kind),
        rows=[],
    )


# Staff


def staff_list(request):
    actor = request.membership
    search = request.GET.get("q", "").strip()[:100]
    people = selectors.staff_members(actor=actor, search=search)

    return render(
        request,
        "people/staff_list.html",
        {
            "people": people,
            "search": search,
            "due_count": selectors.attestations_due(actor=actor).count(),
            "today": timezone.localdate(),
        },
    )


def staff_add(request):
    actor = request.membership
    form = StaffAddForm(
        request.POST or None,
        subjects=selectors.subjects_for_staff(actor=actor, taught_only=True),
    )
    if request.method == "POST" and form.is_valid():
        try:
            record = services.staff_add(actor=actor, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The staff file is saved. A new colleague gets their first "
                    "password from a login slip."
                ),
            )
            return redirect("people:staff_detail", staff_id=record.person_id)

    return render(request, "people/staff_add.html", {"form": form})


def staff_detail(request, staff_id):
    actor = request.membership
    person = selectors.staff_member_get(actor=actor, staff_id=staff_id)
    record = selectors.prefetched_first(person, "staff_files")
    history = history_rows(
        selectors.file_history(
            actor=actor, person=person, records=[record] if record else []
        )
    )

    return render(
        request,
        "people/staff_detail.html",
        {
            "person": person,
            "record": record,
            "history": history,
            "today": timezone.localdate(),
        },
    )


def staff_edit(request, staff_id):
    actor = request.membership
    person = selectors.staff_member_get(actor=actor, staff_id=staff_id)
    record = selectors.prefetched_first(person, "staff_files")
    initial = {}
    given = list(record.subjects.all()) if record is not None else []
    if record is not None:
        initial = {
            field: getattr(record, field) for field in services.STAFF_RECORD_FIELDS
        }
        initial["subjects"] = [str(subject.pk) for subject in given]
    form = StaffFileForm(
        request.POST or None,
        initial=initial,
        subjects=selectors.subjects_for_staff(
            actor=actor, taught_only=True, keep=given
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            if record is None:
                services.staff_record_create(
                    actor=actor, person=person, **form.cleaned_data
                )
            else:
                services.staff_record_update(
                    actor=actor, record=record, **form.cleaned_data
                )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("people:staff_detail", staff_id=person.pk)

    return render(
        request,
        "people/staff_edit.html",
        {"form": form, "person": person, "record": record},
    )


def attestation_list(request):
    return render(
        request,
        "people/attestation_list.html",
        {
            "records": selectors.attestations_due(actor=request.membership),
            "today": timezone.localdate(),
        },
    )
