"""Excel imports of students, staff and guardians, and the matching exports.

A school sends a sheet whose first row holds the column headings of our
template (in Kazakh and Russian, or either half alone). Every row is checked
first; a dry run stops there and lists each problem with the row number as
Excel shows it and the column heading. An import saves every row or, at the
first problem, none: one transaction. A person already on Sabaq is found by
IIN and updated rather than created twice; an empty cell leaves what Sabaq
already has.

Imports of a few hundred rows stay fast: people, roles, files and classes are
looked up in bulk by IIN and written with bulk inserts, and new accounts get
no password to hash (the first one comes from a login slip).
"""

import datetime
import io
import logging
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import reduce
from operator import or_
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, TextChoices
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter

from sabaq.accounts.models import STAFF_ROLES, Language, Membership, Role, User

# TODO: accounts offers login_suggest() for one person, one query each; a
# bulk variant there would let this module stop reusing its private table.
from sabaq.accounts.services import _TRANSLITERATION, PERSON_FIELDS
from sabaq.core.errors import ApplicationError
from sabaq.core.excel import read_rows
from sabaq.core.models import AuditEntry
from sabaq.core.services import snapshot
from sabaq.core.validators import normalize_phone, parse_iin
from sabaq.people import selectors
from sabaq.people.models import (
    Enrolment,
    Guardianship,
    HealthGroup,
    QualificationCategory,
    Relation,
    Sex,
    SocialCategory,
    StaffRecord,
    StudentRecord,
)
from sabaq.people.services import (
    STAFF_RECORD_FIELDS,
    STUDENT_RECORD_FIELDS,
    _school_id_of_admin,
    staff_fields_clean,
    staff_snapshot,
    student_fields_clean,
)
from sabaq.schools.models import InstructionLanguage, SchoolClass, SchoolYear, Subject

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# A small .xlsx can unpack to gigabytes; refuse before openpyxl tries.
MAX_UNPACKED_BYTES = 80 * 1024 * 1024
MAX_ROWS = 3000


# Columns


@dataclass(frozen=True)
class Column:
    key: str
    kk: str
    ru: str
    help: Promise
    required: bool = False

    @property
    def header(self) -> str:
        return f"{self.kk} / {self.ru}"


def _column(key: str, kk: str, ru: str, help: Promise, required: bool = False):
    return Column(key=key, kk=kk, ru=ru, help=help, required=required)


_IIN_HELP = gettext_lazy("12 digits. A person already on Sabaq is found by it.")
_DATE_HELP = gettext_lazy("A date, such as 01.09.2025.")
_CHOICE_HELP = gettext_lazy("One of the values listed below, in any language.")

STUDENT_COLUMNS = [
    _column("iin", "ЖСН", "ИИН", _IIN_HELP, required=True),
    _column("surname", "Тегі", "Фамилия", gettext_lazy("Surname."), required=True),
    _column("name", "Аты", "Имя", gettext_lazy("Name."), required=True),
    _column("patronymic", "Әкесінің аты", "Отчество", gettext_lazy("Optional.")),
    _column(
        "birth_date",
        "Туған күні",
        "Дата рождения",
        gettext_lazy("Optional: taken from the IIN; if given, it must match."),
    ),
    _column(
        "sex",
        "Жынысы",
        "Пол",
        gettext_lazy("Optional: taken from the IIN; if given, it must match."),
    ),
    _column(
        "school_class",
        "Сынып",
        "Класс",
        gettext_lazy(
            "A class of the current school year, such as 5 Ә. Empty: no class."
        ),
    ),
    _column("phone", "Телефон", "Телефон", gettext_lazy("A mobile number.")),
    _column("address", "Мекенжайы", "Адрес", gettext_lazy("Home address.")),
    _column("citizenship", "Азаматтығы", "Гражданство", gettext_lazy("Optional.")),
    _column("language", "Оқыту тілі", "Язык обучения", _CHOICE_HELP),
    _column("health_group", "Денсаулық тобы", "Группа здоровья", _CHOICE_HELP),
    _column(
        "special_needs",
        "Ерекше білім беру қажеттіліктері",
        "Особые образовательные потребности",
        gettext_lazy("Optional."),
    ),
    _column(
        "social_category", "Әлеуметтік санаты", "Социальная категория", _CHOICE_HELP
    ),
    _column(
        "file_number", "Жеке іс нөмірі", "Номер личного дела", gettext_lazy("Optional.")
    ),
    _column("admitted_on", "Қабылданған күні", "Дата зачисления", _DATE_HELP),
    _column(
        "admission_order",
        "Қабылдау туралы бұйрық",
        "Приказ о зачислении",
        gettext_lazy("The number of the order."),
    ),
    _column(
        "admitted_from",
        "Қайдан келді",
        "Откуда прибыл",
        gettext_lazy("The previous school, if any."),
    ),
]

STAFF_COLUMNS = [
    _column("iin", "ЖСН", "ИИН", _IIN_HELP, required=True),
    _column("surname", "Тегі", "Фамилия", gettext_lazy("Surname."), required=True),
    _column("name", "Аты", "Имя", gettext_lazy("Name."), required=True),
    _column("patronymic", "Әкесінің аты", "Отчество", gettext_lazy("Optional.")),
    _column("phone", "Телефон", "Телефон", gettext_lazy("A mobile number.")),
    _column(
        "email", "Электрондық пошта", "Электронная почта", gettext_lazy("Optional.")
    ),
    _column(
        "position",
        "Лауазымы",
        "Должность",
        gettext_lazy("Such as teacher of mathematics."),
        required=True,
    ),
    _column(
        "category", "Біліктілік санаты", "Квалификационная категория", _CHOICE_HELP
    ),
    _column(
        "category_given_on",
        "Санат берілген күні",
        "Дата присвоения категории",
        _DATE_HELP,
    ),
    _column(
        "attestation_due_on",
        "Келесі аттестация",
        "Следующая аттестация",
        gettext_lazy(
            "Optional: 5 years after the category date, 3 for the director "
            "and deputy heads."
        ),
    ),
    _column("education", "Білімі", "Образование", gettext_lazy("Optional.")),
    _column(
        "subjects",
        "Пәндері",
        "Предметы",
        gettext_lazy("Subject names separated by commas, in any language."),
    ),
    _column(
        "hired_on", "Жұмысқа қабылданған күні", "Дата приёма на работу", _DATE_HELP
    ),
    _column(
        "load_rate",
        "Апталық жүктеме (сағат)",
        "Недельная нагрузка (часы)",
        gettext_lazy("Hours a week; 16 when empty."),
    ),
]

GUARDIAN_COLUMNS = [
    _column(
        "child_iin",
        "Баланың ЖСН",
        "ИИН ребёнка",
        gettext_lazy("The IIN of a student of your school."),
        required=True,
    ),
    _column(
        "iin",
        "Ата-ананың ЖСН",
        "ИИН родителя",
        gettext_lazy("12 digits. A parent already on Sabaq is found by it."),
        required=True,
    ),
    _column(
        "surname",
        "Тегі",
        "Фамилия",
        gettext_lazy("Needed for a parent new to Sabaq."),
    ),
    _column("name", "Аты", "Имя", gettext_lazy("Needed for a parent new to Sabaq.")),
    _column("patronymic", "Әкесінің аты", "Отчество", gettext_lazy("Optional.")),
    _column("relation", "Туыстығы", "Кем приходится", _CHOICE_HELP, required=True),
    _column("phone", "Телефон", "Телефон", gettext_lazy("A mobile number.")),
]

COLUMNS = {
    "students": STUDENT_COLUMNS,
    "staff": STAFF_COLUMNS,
    "guardians": GUARDIAN_COLUMNS,
}

# Values typed in a choice column: the labels in Kazakh, Russian and English
# and the stored codes all count; these are other common ways to write them.
_SYNONYMS: dict[type[TextChoices], dict[str, str]] = {
    Sex: {
        "м": "male", "муж": "male", "ер": "male", "ұл": "male", "m": "male",
        "ж": "female", "жен": "female", "әйел": "female", "қыз": "female",
        "f": "female",
    },
    InstructionLanguage: {
        "қазақша": "kk", "казахский язык": "kk", "қазақ": "kk",
        "орысша": "ru", "русский язык": "ru", "орыс": "ru",
        "английский язык": "en", "ағылшын": "en",
    },
}  # fmt: skip


def template_headers(kind: str) -> list[str]:
    return [column.header for column in COLUMNS[kind]]


def choice_values(choices: type[TextChoices]) -> list[str]:
    """The labels to show on the import page, in the viewer's language."""
    return [str(label) for value, label in choices.choices if value]


# Reading a sheet


@dataclass(frozen=True)
class Problem:
    row: int | None
    """The row number as Excel shows it; None for the file as a whole."""

    column: str
    """The column heading, with its letter (`B · Тегі / Фамилия`)."""

    message: str


@dataclass
class ImportReport:
    kind: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    enrolled: int = 0
    linked: int = 0
    problems: list[Problem] = field(default_factory=list)
    new_people: list[int] = field(default_factory=list)
    """Ids of the accounts the import made: they need login slips."""

    saved: bool = False


@dataclass
class _Sheet:
    columns: dict[str, tuple[int, str]]
    rows: list[tuple[int, dict[str, Any]]]
    problems: list[Problem]

    def label(self, key: str, spec: Sequence[Column]) -> str:
        if key in self.columns:
            index, text = self.columns[key]
            return f"{get_column_letter(index + 1)} · {text}"
        for column in spec:
            if column.key == key:
                return column.header
        return ""


def _normal(text: str) -> str:
    text = str(text).replace("ё", "е").replace("Ё", "Е").replace("*", "")
    return " ".join(text.split()).strip(" .:").casefold()


def _header_lookup(columns: Sequence[Column]) -> dict[str, Column]:
    lookup: dict[str, Column] = {}
    for column in columns:
        for variant in (column.header, column.kk, column.ru, column.key):
            lookup.setdefault(_normal(variant), column)
        lookup[_normal(f"{column.kk}/{column.ru}")] = column
    return lookup


def _unreadable() -> list[Problem]:
    return [
        Problem(
            row=None,
            column="",
            message=_(
                "This file cannot be read as an Excel workbook. Save it from "
                "Excel as “Excel Workbook (.xlsx)” and try again."
            ),
        )
    ]


def _read_sheet(data: bytes, columns: Sequence[Column]) -> _Sheet:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            return _Sheet({}, [], _unreadable())
        cells = read_rows(data)
    except Exception:
        # Whatever is wrong inside the file, the person can only save it
        # again from Excel; the details go to the log.
        logger.warning("An uploaded import file could not be read", exc_info=True)
        return _Sheet({}, [], _unreadable())

    if not cells or not any(_text(cell) for cell in cells[0]):
        return _Sheet(
            {},
            [],
            [
                Problem(
                    row=1,
                    column="",
                    message=_(
                        "The first row must hold the column headings of the "
                        "template; it is empty."
                    ),
                )
            ],
        )

    lookup = _header_lookup(columns)
    found: dict[str, tuple[int, str]] = {}
    problems: list[Problem] = []
    for index, cell in enumerate(cells[0]):
        text = _text(cell)
        column = lookup.get(_normal(text)) if text else None
        if column is None:
            continue
        if column.key in found:
            problems.append(
                Problem(
                    row=1,
                    column=f"{get_column_letter(index + 1)} · {text}",
                    message=_("This column appears twice; keep one of them."),
                )
            )
            continue
        found[column.key] = (index, text)
    for column in columns:
        if column.required and column.key not in found:
            problems.append(
                Problem(
                    row=1,
                    column=column.header,
                    message=_(
                        "This column is missing. Add it with this heading, as "
                        "in the template."
                    ),
                )
            )

    rows: list[tuple[int, dict[str, Any]]] = []
    for number, cells_of_row in enumerate(cells[1:], start=2):
        values = {
            key: cells_of_row[index] if index < len(cells_of_row) else None
            for key, (index, _text_) in found.items()
        }
        if any(_text(value) for value in values.values()):
            rows.append((number, values))
    if len(rows) > MAX_ROWS:
        problems.append(
            Problem(
                row=None,
                column="",
                message=_(
                    "The file has %(count)d rows; import at most %(limit)d at "
                    "a time by splitting it."
                )
                % {"count": len(rows), "limit": MAX_ROWS},
            )
        )
    if not rows and not problems:
        problems.append(
            Problem(row=2, column="", message=_("The file has no rows to import."))
        )

    return _Sheet(found, rows, problems)


# Cell values


class _CellError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return str(value).strip()


def _iin(value: Any) -> str:
    # Excel keeps an IIN typed as a number without its leading zero.
    if isinstance(value, int | float) and float(value).is_integer():
        return f"{int(value):012d}"
    return re.sub(r"[\s\-]", "", _text(value))


def _date(value: Any) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    for pattern in ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise _CellError(_("Write the date as DD.MM.YYYY, such as 01.09.2025."))


def _decimal(value: Any) -> Decimal | None:
    text = _text(value).replace(",", ".").replace(" ", "")
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise _CellError(_("Write a number, such as 16 or 17.5.")) from None


def _choice_lookup(choices: type[TextChoices]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            for value, label in choices.choices:
                if value:
                    lookup.setdefault(_normal(str(label)), value)
    for value in choices.values:
        if value:
            lookup.setdefault(_normal(value), value)
    lookup.update(_SYNONYMS.get(choices, {}))
    return lookup


def _choice(value: Any, choices: type[TextChoices], lookup: dict[str, str]) -> str:
    text = _text(value)
    if not text:
        return ""
    found = lookup.get(_normal(text))
    if found is None:
        raise _CellError(
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": text, "choices": ", ".join(choice_values(choices))}
        )
    return found


# Classes written as 5 Ә, 5Ә, 5 «Ә», 5-ә; Latin letters that look Cyrillic
# (a Latin A typed for А) are read as the Cyrillic ones.
_CLASS_NAME = re.compile(r"^\s*(\d{1,2})\s*[-–«\"'“]?\s*(\w)\s*[»\"'”]?\s*$")
_LATIN_LOOKALIKES = str.maketrans("ABCEHKMOPTXY", "АВСЕНКМОРТХУ")


def parse_class_name(text: str) -> tuple[int, str] | None:
    match = _CLASS_NAME.match(text)
    if match is None or match[2].isdigit():
        return None
    return int(match[1]), match[2].upper().translate(_LATIN_LOOKALIKES)


# Writing in bulk


def _audit(
    actor: Membership,
    action: str,
    school_id: int,
    target: Any,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    """An audit row as `core.services.audit_record` writes it, unsaved.

    TODO: core has no bulk form of audit_record; imports build the same rows
    here and insert them at once, and should use one when core offers it.
    """
    return AuditEntry(
        actor_id=actor.user_id,
        action=action,
        school_id=school_id,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        before=before,
        after=after,
    )


def _login_base(surname: str, name: str) -> str:
    """The start of a login, as `accounts.services.login_suggest` makes it."""
    base = f"{surname}.{name}".lower().translate(_TRANSLITERATION)
    base = re.sub(r"[^a-z0-9.]+", "", base).strip(".") or "user"
    return base[:40]


def _logins_allocate(names: Sequence[tuple[str, str]]) -> list[str]:
    """Free logins for many new people with a few queries, not one each."""
    bases = [_login_base(surname, name) for surname, name in names]
    unique = sorted(set(bases))
    taken: set[str] = set()
    for start in range(0, len(unique), 100):
        chunk = unique[start : start + 100]
        query = reduce(or_, (Q(login__istartswith=base) for base in chunk))
        taken |= {
            login.lower()
            for login in User.objects.filter(query).values_list("login", flat=True)
        }
    logins = []
    for base in bases:
        login, number = base, 2
        while login in taken:
            login, number = f"{base}{number}", number + 1
        taken.add(login)
        logins.append(login)

    return logins


def _new_accounts(
    actor: Membership, school_id: int, people: Sequence[dict[str, Any]]
) -> tuple[list[User], list[AuditEntry]]:
    """Accounts without a usable password: the first one is a login slip."""
    logins = _logins_allocate([(p["surname"], p["name"]) for p in people])
    users = []
    for login, fields in zip(logins, people, strict=True):
        user = User(
            login=login,
            must_change_password=True,
            language=Language.KAZAKH,
            **fields,
        )
        user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users)
    audits = [
        _audit(
            actor,
            "accounts.person_create",
            school_id,
            user,
            after=snapshot(user, ["login", *PERSON_FIELDS]),
        )
        for user in users
    ]

    return users, audits


def _roles_give(
    actor: Membership, school_id: int, people: Iterable[User], role: str
) -> list[AuditEntry]:
    """The role here for each person who lacks it, in two queries."""
    people = list({person.pk: person for person in people}.values())
    existing = {
        membership.user_id: membership
        for membership in Membership.objects.filter(
            user__in=people, organisation_id=school_id, role=role
        )
    }
    revived = [m for m in existing.values() if not m.is_active]
    new = [
        Membership(user=person, organisation_id=school_id, role=role)
        for person in people
        if person.pk not in existing
    ]
    for membership in revived:
        membership.is_active = True
    Membership.objects.bulk_update(revived, ["is_active"])
    Membership.objects.bulk_create(new)
    given = {m.user_id for m in revived} | {m.user_id for m in new}

    return [
        _audit(
            actor,
            "accounts.membership_add",
            school_id,
            person,
            after={"role": role, "organisation": school_id},
        )
        for person in people
        if person.pk in given
    ]


def _accounts_update(
    actor: Membership,
    school_id: int,
    changes: Sequence[tuple[User, dict[str, Any]]],
) -> list[AuditEntry]:
    """Names and phones of people the school already has, where they differ."""
    fields = ["surname", "name", "patronymic", "phone", "email"]
    changed, audits = [], []
    for person, values in changes:
        before = snapshot(person, PERSON_FIELDS)
        for key, value in values.items():
            setattr(person, key, value)
        after = snapshot(person, PERSON_FIELDS)
        if after != before:
            changed.append(person)
            audits.append(
                _audit(
                    actor,
                    "accounts.person_update",
                    school_id,
                    person,
                    before=before,
                    after=after,
                )
            )
    User.objects.bulk_update(changed, fields)

    return audits


@dataclass(frozen=True)
class _People:
    """What Sabaq knows of the people a sheet names, found in bulk by IIN."""

    by_iin: dict[str, User]
    roles_here: dict[int, set[str]]
    students_elsewhere: set[int]

    @classmethod
    def load(cls, iins: Iterable[str], school_id: int) -> "_People":
        by_iin = {u.iin: u for u in User.objects.filter(iin__in=set(iins)) if u.iin}
        roles_here: dict[int, set[str]] = {}
        elsewhere: set[int] = set()
        memberships = Membership.objects.filter(
            user__in=by_iin.values(), is_active=True
        ).values_list("user_id", "organisation_id", "role")
        for user_id, organisation_id, role in memberships:
            if organisation_id == school_id:
                roles_here.setdefault(user_id, set()).add(role)
            elif role == Role.STUDENT:
                elsewhere.add(user_id)
        return cls(by_iin=by_iin, roles_here=roles_here, students_elsewhere=elsewhere)


def _save(
    report: ImportReport, action: str, write: Callable[[], None], actor: Membership
) -> ImportReport:
    """Run the writes of an import in one transaction, all or nothing."""
    try:
        with transaction.atomic():
            write()
            AuditEntry.objects.create(
                actor_id=actor.user_id,
                action=action,
                school_id=actor.organisation_pk,
                after={
                    "rows": report.rows,
                    "created": report.created,
                    "updated": report.updated,
                    "enrolled": report.enrolled,
                    "linked": report.linked,
                },
            )
    except IntegrityError:
        # Someone else saved the same people in the meantime.
        logger.warning("Import in school %s hit a conflict", actor.organisation_pk)
        raise ApplicationError(
            _(
                "Someone changed the same people while the file was being "
                "imported. Nothing was saved; import the file again."
            )
        ) from None
    report.saved = True
    logger.info(
        "Import %s finished in school %s: %s rows, %s new, %s updated",
        action,
        actor.organisation_pk,
        report.rows,
        report.created,
        report.updated,
    )

    return report


class _RowProblems:
    """Collects the problems of one row, named by the sheet's column labels."""

    def __init__(
        self,
        sheet: _Sheet,
        spec: Sequence[Column],
        report: ImportReport,
        row: int,
    ) -> None:
        self.sheet = sheet
        self.spec = spec
        self.report = report
        self.row = row
        self.count = 0

    def add(self, key: str, message: str) -> None:
        column = self.sheet.label(key, self.spec) if key != "__all__" else ""
        self.report.problems.append(
            Problem(row=self.row, column=column, message=message)
        )
        self.count += 1

    def add_messages(self, key: str, error: ValidationError) -> None:
        for message in error.messages:
            self.add(key, message)

    def add_error(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for key, messages in error.message_dict.items():
                for message in messages:
                    self.add(key, message)
        else:
            self.add_messages("__all__", error)


def _convert(
    values: dict[str, Any],
    converters: dict[str, Callable[[Any], Any]],
    problems: _RowProblems,
) -> dict[str, Any]:
    converted: dict[str, Any] = {}
    for key, convert in converters.items():
        try:
            converted[key] = convert(values.get(key))
        except _CellError as error:
            problems.add(key, error.message)
            converted[key] = None
    return converted


def _given(values: dict[str, Any]) -> set[str]:
    return {key for key, value in values.items() if _text(value)}


def _enrol_day(year: SchoolYear) -> datetime.date:
    """Classes start today, or on the first day of a year yet to begin."""
    today = timezone.localdate()
    return min(max(today, year.starts_on), year.ends_on)


# Students


@dataclass
class _StudentRow:
    number: int
    account: dict[str, Any]
    record: dict[str, Any]
    given: set[str]
    school_class: SchoolClass | None


def students_import(*, actor: Membership, data: bytes, dry_run: bool) -> ImportReport:
    """Students from a sheet: accounts, files and classes, all or nothing."""
    school_id = _school_id_of_admin(actor)
    sheet = _read_sheet(data, STUDENT_COLUMNS)
    report = ImportReport(kind="students", dry_run=dry_run, rows=len(sheet.rows))
    report.problems.extend(sheet.problems)
    if report.problems:
        return report

    year = selectors.current_school_year(school_id=school_id)
    classes = (
        {(c.grade, c.letter): c for c in SchoolClass.objects.filter(year=year)}
        if year is not None
        else {}
    )
    lookups = {
        name: _choice_lookup(choices)
        for name, choices in (
            ("sex", Sex),
            ("language", InstructionLanguage),
            ("health_group", HealthGroup),
            ("social_category", SocialCategory),
        )
    }
    converters: dict[str, Callable[[Any], Any]] = {
        "iin": _iin,
        "surname": _text,
        "name": _text,
        "patronymic": _text,
        "phone": _text,
        "birth_date": _date,
        "sex": lambda v: _choice(v, Sex, lookups["sex"]),
        "address": _text,
        "citizenship": _text,
        "language": lambda v: _choice(v, InstructionLanguage, lookups["language"]),
        "health_group": lambda v: _choice(v, HealthGroup, lookups["health_group"]),
        "special_needs": _text,
        "social_category": lambda v: _choice(
            v, SocialCategory, lookups["social_category"]
        ),
        "file_number": _text,
        "admitted_on": _date,
        "admission_order": _text,
        "admitted_from": _text,
    }

    planned: list[_StudentRow] = []
    row_problems: dict[int, _RowProblems] = {}
    first_row_of: dict[str, int] = {}
    for number, values in sheet.rows:
        problems = _RowProblems(sheet, STUDENT_COLUMNS, report, number)
        row_problems[number] = problems
        converted = _convert(values, converters, problems)
        if not converted["iin"]:
            problems.add("iin", _("Enter the IIN: it tells one person from another."))
        fields = None
        try:
            fields = student_fields_clean(
                **{k: v for k, v in converted.items() if v is not None}
            )
        except ValidationError as error:
            problems.add_error(error)
        iin = fields.account["iin"] if fields else None
        if iin and iin in first_row_of:
            problems.add(
                "iin",
                _("This IIN is already on row %(row)d.") % {"row": first_row_of[iin]},
            )
        elif iin:
            first_row_of[iin] = number

        school_class = None
        class_text = _text(values.get("school_class"))
        if class_text:
            school_class = _class_find(class_text, year, classes, problems)
        if fields is not None and not problems.count:
            planned.append(
                _StudentRow(
                    number=number,
                    account=fields.account,
                    record=fields.record,
                    given=_given(values),
                    school_class=school_class,
                )
            )

    people = _People.load((row.account["iin"] for row in planned), school_id)
    known = [
        people.by_iin[r.account["iin"]]
        for r in planned
        if r.account["iin"] in people.by_iin
    ]
    records = {
        record.student_id: record
        for record in StudentRecord.objects.filter(
            school_id=school_id, student__in=known, is_archived=False
        )
    }
    enrolments = {
        enrolment.student_id: enrolment
        for enrolment in Enrolment.objects.filter(
            student__in=known, ends_on__isnull=True
        ).select_related("school_class__year")
    }
    for row in planned:
        problems = row_problems[row.number]
        person = people.by_iin.get(row.account["iin"])
        if person is None:
            report.created += 1
        else:
            report.updated += 1
            if person.pk in people.students_elsewhere:
                problems.add(
                    "iin",
                    _(
                        "A student with this IIN studies at another school on "
                        "Sabaq. Ask that school to transfer them to yours."
                    ),
                )
        if row.school_class is not None:
            current = enrolments.get(person.pk) if person else None
            if current is None or current.school_class_id != row.school_class.pk:
                report.enrolled += 1
            if current is not None and current.school_class_id != row.school_class.pk:
                if current.school_class.year.school_id != school_id:
                    problems.add(
                        "school_class",
                        _("This student is still in a class of another school."),
                    )
                elif current.starts_on >= _enrol_day(row.school_class.year):
                    problems.add(
                        "school_class",
                        _(
                            "The student's current class starts on "
                            "%(date)s; change their class on their file page."
                        )
                        % {"date": current.starts_on.strftime("%d.%m.%Y")},
                    )

    report.problems.sort(key=lambda p: p.row or 0)
    if report.problems or dry_run:
        return report

    def write() -> None:
        audits: list[AuditEntry] = []
        new_rows = [r for r in planned if r.account["iin"] not in people.by_iin]
        new_users, created_audits = _new_accounts(
            actor, school_id, [r.account for r in new_rows]
        )
        audits += created_audits
        report.new_people = [user.pk for user in new_users]
        person_of = {id(r): u for r, u in zip(new_rows, new_users, strict=True)}
        updates = []
        for row in planned:
            person = people.by_iin.get(row.account["iin"])
            if person is None:
                continue
            person_of[id(row)] = person
            if people.roles_here.get(person.pk):
                values = {
                    "surname": row.account["surname"],
                    "name": row.account["name"],
                }
                for key in ("patronymic", "phone"):
                    if key in row.given:
                        values[key] = row.account[key]
                updates.append((person, values))
        audits += _accounts_update(actor, school_id, updates)
        audits += _roles_give(actor, school_id, person_of.values(), Role.STUDENT)

        new_records, changed_records = [], []
        for row in planned:
            person = person_of[id(row)]
            record = records.get(person.pk)
            if record is None:
                record = StudentRecord(
                    school_id=school_id, student=person, **row.record
                )
                new_records.append(record)
                continue
            before = snapshot(record, STUDENT_RECORD_FIELDS)
            for key, value in row.record.items():
                derived = key in ("birth_date", "sex") and row.account["iin"]
                if key in row.given or derived:
                    setattr(record, key, value)
            after = snapshot(record, STUDENT_RECORD_FIELDS)
            if after != before:
                changed_records.append(record)
                audits.append(
                    _audit(
                        actor,
                        "people.student_record_update",
                        school_id,
                        record,
                        before=before,
                        after=after,
                    )
                )
        StudentRecord.objects.bulk_create(new_records)
        StudentRecord.objects.bulk_update(changed_records, STUDENT_RECORD_FIELDS)
        audits += [
            _audit(
                actor,
                "people.student_record_create",
                school_id,
                record,
                after=snapshot(record, STUDENT_RECORD_FIELDS),
            )
            for record in new_records
        ]

        ended, started = [], []
        for row in planned:
            if row.school_class is None:
                continue
            person = person_of[id(row)]
            current = enrolments.get(person.pk)
            if current is not None and current.school_class_id == row.school_class.pk:
                continue
            day = _enrol_day(row.school_class.year)
            if current is not None:
                current.ends_on = day - datetime.timedelta(days=1)
                ended.append(current)
                audits.append(
                    _audit(
                        actor,
                        "people.enrolment_end",
                        school_id,
                        person,
                        after={
                            "class": current.school_class_id,
                            "ends_on": str(current.ends_on),
                        },
                    )
                )
            started.append(
                Enrolment(student=person, school_class=row.school_class, starts_on=day)
            )
            audits.append(
                _audit(
                    actor,
                    "people.enrolment_add",
                    school_id,
                    person,
                    after={"class": row.school_class.pk, "starts_on": str(day)},
                )
            )
        Enrolment.objects.bulk_update(ended, ["ends_on"])
        Enrolment.objects.bulk_create(started)
        AuditEntry.objects.bulk_create(audits)

    return _save(report, "people.students_import", write, actor)


def _class_find(
    text: str,
    year: SchoolYear | None,
    classes: dict[tuple[int, str], SchoolClass],
    problems: _RowProblems,
) -> SchoolClass | None:
    if year is None:
        problems.add(
            "school_class",
            _(
                "The school has no school year in Sabaq yet, so no class can "
                "be given; leave the class empty."
            ),
        )
        return None
    parsed = parse_class_name(text)
    if parsed is None:
        problems.add(
            "school_class", _("Write the class as a grade and a letter, such as 5 Ә.")
        )
        return None
    school_class = classes.get(parsed)
    if school_class is None:
        problems.add(
            "school_class",
            _("There is no class %(name)s in the school year %(year)s.")
            % {"name": f"{parsed[0]} «{parsed[1]}»", "year": year},
        )
        return None
    if year.is_closed:
        problems.add(
            "school_class", _("This school year is closed and cannot be changed.")
        )
        return None
    return school_class


# Staff


@dataclass
class _StaffRow:
    number: int
    account: dict[str, Any]
    record: dict[str, Any]
    subjects: list[Subject]
    given: set[str]


def _subjects_parse(
    text: str, lookup: dict[str, Subject], problems: _RowProblems
) -> list[Subject]:
    subjects = []
    for part in re.split(r"[,;\n]", text):
        if not part.strip():
            continue
        subject = lookup.get(_normal(part))
        if subject is None:
            problems.add(
                "subjects",
                _("There is no subject “%(name)s” on the list.")
                % {"name": part.strip()},
            )
        elif subject not in subjects:
            subjects.append(subject)
    return subjects


def staff_import(*, actor: Membership, data: bytes, dry_run: bool) -> ImportReport:
    """Teachers and other staff from a sheet: accounts and staff files.

    People new to the school get the teacher role; the director's and
    deputy heads' roles are given on their person page, never by a file.
    """
    school_id = _school_id_of_admin(actor)
    sheet = _read_sheet(data, STAFF_COLUMNS)
    report = ImportReport(kind="staff", dry_run=dry_run, rows=len(sheet.rows))
    report.problems.extend(sheet.problems)
    if report.problems:
        return report

    subject_lookup: dict[str, Subject] = {}
    for subject in selectors.subjects_for_staff(actor=actor):
        for variant in (
            subject.code,
            subject.name_kk,
            subject.name_ru,
            subject.name_en,
        ):
            if variant:
                subject_lookup.setdefault(_normal(variant), subject)
    category_lookup = _choice_lookup(QualificationCategory)
    converters: dict[str, Callable[[Any], Any]] = {
        "iin": _iin,
        "surname": _text,
        "name": _text,
        "patronymic": _text,
        "phone": _text,
        "email": _text,
        "position": _text,
        "category": lambda v: _choice(v, QualificationCategory, category_lookup),
        "category_given_on": _date,
        "attestation_due_on": _date,
        "education": _text,
        "hired_on": _date,
        "load_rate": _decimal,
    }
    converted_rows = []
    for number, values in sheet.rows:
        problems = _RowProblems(sheet, STAFF_COLUMNS, report, number)
        converted_rows.append(
            (number, values, _convert(values, converters, problems), problems)
        )
    people = _People.load((c["iin"] for _n, _v, c, _p in converted_rows), school_id)

    planned: list[_StaffRow] = []
    first_row_of: dict[str, int] = {}
    for number, values, converted, problems in converted_rows:
        account = {
            "surname": converted["surname"],
            "name": converted["name"],
            "patronymic": converted["patronymic"],
            "phone": "",
            "email": converted["email"],
            "iin": "",
        }
        if not account["surname"]:
            problems.add("surname", _("Enter the surname."))
        if not account["name"]:
            problems.add("name", _("Enter the name."))
        if not converted["iin"]:
            problems.add("iin", _("Enter the IIN: it tells one person from another."))
        else:
            try:
                account["iin"] = parse_iin(converted["iin"]).iin
            except ValidationError as error:
                problems.add_messages("iin", error)
        if account["iin"] in first_row_of:
            problems.add(
                "iin",
                _("This IIN is already on row %(row)d.")
                % {"row": first_row_of[account["iin"]]},
            )
        elif account["iin"]:
            first_row_of[account["iin"]] = number
        if converted["phone"]:
            try:
                account["phone"] = normalize_phone(converted["phone"])
            except ValidationError as error:
                problems.add_messages("phone", error)

        person = people.by_iin.get(account["iin"])
        roles = people.roles_here.get(person.pk, set()) if person else set()
        subjects = _subjects_parse(
            _text(values.get("subjects")), subject_lookup, problems
        )
        try:
            cleaned = staff_fields_clean(
                school_id=school_id,
                is_head=bool(roles & {Role.DIRECTOR, Role.DEPUTY_HEAD}),
                subjects=subjects,
                **{
                    key: converted[key]
                    for key in STAFF_RECORD_FIELDS
                    if converted.get(key) is not None
                },
            )
        except ValidationError as error:
            problems.add_error(error)
            continue
        if not problems.count:
            planned.append(
                _StaffRow(
                    number=number,
                    account=account,
                    record=cleaned.record,
                    subjects=cleaned.subjects,
                    given=_given(values),
                )
            )
    report.problems.sort(key=lambda p: p.row or 0)
    if report.problems:
        return report

    known = [
        people.by_iin[r.account["iin"]]
        for r in planned
        if r.account["iin"] in people.by_iin
    ]
    records = {
        record.person_id: record
        for record in StaffRecord.objects.filter(
            school_id=school_id, person__in=known
        ).prefetch_related("subjects")
    }
    report.created = len(planned) - len(known)
    report.updated = len(known)
    if dry_run:
        return report

    def write() -> None:
        audits: list[AuditEntry] = []
        new_rows = [r for r in planned if r.account["iin"] not in people.by_iin]
        new_users, created_audits = _new_accounts(
            actor, school_id, [r.account for r in new_rows]
        )
        audits += created_audits
        report.new_people = [user.pk for user in new_users]
        person_of = {id(r): u for r, u in zip(new_rows, new_users, strict=True)}
        updates, need_role = [], list(new_users)
        for row in planned:
            person = people.by_iin.get(row.account["iin"])
            if person is None:
                continue
            person_of[id(row)] = person
            roles = people.roles_here.get(person.pk, set())
            if roles:
                values = {
                    "surname": row.account["surname"],
                    "name": row.account["name"],
                }
                for key in ("patronymic", "phone", "email"):
                    if key in row.given:
                        values[key] = row.account[key]
                updates.append((person, values))
            if not roles & STAFF_ROLES:
                need_role.append(person)
        audits += _accounts_update(actor, school_id, updates)
        audits += _roles_give(actor, school_id, need_role, Role.TEACHER)

        new_records: list[tuple[StaffRecord, _StaffRow]] = []
        changed_records: list[StaffRecord] = []
        subject_sets: dict[int, list[Subject]] = {}
        for row in planned:
            person = person_of[id(row)]
            record = records.get(person.pk)
            if record is None:
                record = StaffRecord(school_id=school_id, person=person, **row.record)
                new_records.append((record, row))
                continue
            old_subjects = list(record.subjects.all())
            before = staff_snapshot(record, old_subjects)
            # An attestation date follows a newly given category date.
            given = row.given | (
                {"attestation_due_on"} if "category_given_on" in row.given else set()
            )
            for key, value in row.record.items():
                if key in given:
                    setattr(record, key, value)
            subjects = row.subjects if "subjects" in row.given else old_subjects
            after = staff_snapshot(record, subjects)
            if after != before:
                changed_records.append(record)
                subject_sets[record.pk] = subjects
                audits.append(
                    _audit(
                        actor,
                        "people.staff_record_update",
                        school_id,
                        record,
                        before=before,
                        after=after,
                    )
                )
        StaffRecord.objects.bulk_create([record for record, _row in new_records])
        StaffRecord.objects.bulk_update(changed_records, STAFF_RECORD_FIELDS)
        for record, row in new_records:
            subject_sets[record.pk] = row.subjects
            audits.append(
                _audit(
                    actor,
                    "people.staff_record_create",
                    school_id,
                    record,
                    after=staff_snapshot(record, row.subjects),
                )
            )
        through = StaffRecord.subjects.through
        through.objects.filter(staffrecord_id__in=list(subject_sets)).delete()
        through.objects.bulk_create(
            through(staffrecord_id=record_id, subject_id=subject.pk)
            for record_id, subjects in subject_sets.items()
            for subject in subjects
        )
        AuditEntry.objects.bulk_create(audits)

    return _save(report, "people.staff_import", write, actor)


# Guardians


@dataclass
class _GuardianRow:
    number: int
    child: User
    iin: str
    account: dict[str, Any]
    relation: str
    given: set[str]


@dataclass
class _GuardianCells:
    number: int
    values: dict[str, Any]
    converted: dict[str, Any]
    iins: dict[str, str]
    phone: str
    problems: "_RowProblems"


def guardians_import(*, actor: Membership, data: bytes, dry_run: bool) -> ImportReport:
    """Parents and other legal representatives linked to students by IIN."""
    school_id = _school_id_of_admin(actor)
    sheet = _read_sheet(data, GUARDIAN_COLUMNS)
    report = ImportReport(kind="guardians", dry_run=dry_run, rows=len(sheet.rows))
    report.problems.extend(sheet.problems)
    if report.problems:
        return report

    relation_lookup = _choice_lookup(Relation)
    converters: dict[str, Callable[[Any], Any]] = {
        "child_iin": _iin,
        "iin": _iin,
        "surname": _text,
        "name": _text,
        "patronymic": _text,
        "relation": lambda v: _choice(v, Relation, relation_lookup),
        "phone": _text,
    }
    cells: list[_GuardianCells] = []
    for number, values in sheet.rows:
        problems = _RowProblems(sheet, GUARDIAN_COLUMNS, report, number)
        converted = _convert(values, converters, problems)
        iins = {}
        for key in ("child_iin", "iin"):
            if not converted[key]:
                problems.add(key, _("Enter the IIN: it tells one person from another."))
                continue
            try:
                iins[key] = parse_iin(converted[key]).iin
            except ValidationError as error:
                problems.add_messages(key, error)
        if converted["relation"] == "":
            problems.add(
                "relation", _("Choose how this person is related to the child.")
            )
        phone = ""
        if converted["phone"]:
            try:
                phone = normalize_phone(converted["phone"])
            except ValidationError as error:
                problems.add_messages("phone", error)
        cells.append(_GuardianCells(number, values, converted, iins, phone, problems))

    child_iins = {c.iins["child_iin"] for c in cells if "child_iin" in c.iins}
    children = {
        child.iin: child
        for child in User.objects.filter(
            iin__in=child_iins,
            memberships__organisation_id=school_id,
            memberships__role=Role.STUDENT,
            memberships__is_active=True,
        )
    }
    people = _People.load((c.iins["iin"] for c in cells if "iin" in c.iins), school_id)
    links = {
        (link.guardian_id, link.child_id): link
        for link in Guardianship.objects.filter(
            guardian__in=people.by_iin.values(), child__in=children.values()
        )
    }

    planned: list[_GuardianRow] = []
    seen: dict[tuple[str, str], int] = {}
    new_guardians: dict[str, int] = {}
    for row in cells:
        problems = row.problems
        if problems.count:
            continue
        child = children.get(row.iins["child_iin"])
        if child is None:
            problems.add("child_iin", _("No student of your school has this IIN."))
            continue
        if row.iins["iin"] == row.iins["child_iin"]:
            problems.add("iin", _("This is the child's own IIN."))
            continue
        pair = (row.iins["iin"], row.iins["child_iin"])
        if pair in seen:
            problems.add(
                "iin",
                _("This parent and child are already on row %(row)d.")
                % {"row": seen[pair]},
            )
            continue
        seen[pair] = row.number
        account = {
            "surname": row.converted["surname"],
            "name": row.converted["name"],
            "patronymic": row.converted["patronymic"],
            "phone": row.phone,
            "iin": row.iins["iin"],
        }
        if row.iins["iin"] not in people.by_iin:
            if not account["surname"]:
                problems.add(
                    "surname", _("Enter the surname of a parent new to Sabaq.")
                )
            if not account["name"]:
                problems.add("name", _("Enter the name of a parent new to Sabaq."))
            if problems.count:
                continue
            new_guardians.setdefault(row.iins["iin"], row.number)
        planned.append(
            _GuardianRow(
                number=row.number,
                child=child,
                iin=row.iins["iin"],
                account=account,
                relation=row.converted["relation"],
                given=_given(row.values),
            )
        )
    report.problems.sort(key=lambda p: p.row or 0)
    if report.problems:
        return report

    report.created = len(new_guardians)
    for planned_row in planned:
        guardian = people.by_iin.get(planned_row.iin)
        link = links.get((guardian.pk, planned_row.child.pk)) if guardian else None
        if link is None:
            report.linked += 1
        elif link.relation != planned_row.relation:
            report.updated += 1
    if dry_run:
        return report

    def write() -> None:
        audits: list[AuditEntry] = []
        first_rows: dict[str, _GuardianRow] = {}
        for row in planned:
            first_rows.setdefault(row.iin, row)
        new_users, created_audits = _new_accounts(
            actor, school_id, [first_rows[iin].account for iin in new_guardians]
        )
        audits += created_audits
        report.new_people = [user.pk for user in new_users]
        guardian_of = {**people.by_iin, **{u.iin: u for u in new_users if u.iin}}

        updates = []
        for iin, row in first_rows.items():
            person = people.by_iin.get(iin)
            if person is None or not people.roles_here.get(person.pk):
                continue
            values: dict[str, Any] = {
                key: row.account[key]
                for key in ("surname", "name", "patronymic", "phone")
                if key in row.given and row.account[key]
            }
            updates.append((person, values))
        audits += _accounts_update(actor, school_id, updates)
        audits += _roles_give(
            actor, school_id, [guardian_of[iin] for iin in first_rows], Role.PARENT
        )

        new_links, changed_links = [], []
        for row in planned:
            guardian = guardian_of[row.iin]
            link = links.get((guardian.pk, row.child.pk))
            if link is None:
                new_links.append(
                    Guardianship(
                        guardian=guardian, child=row.child, relation=row.relation
                    )
                )
                audits.append(
                    _audit(
                        actor,
                        "people.guardian_link",
                        school_id,
                        row.child,
                        after={"guardian": guardian.pk, "relation": row.relation},
                    )
                )
            elif link.relation != row.relation:
                audits.append(
                    _audit(
                        actor,
                        "people.guardian_link",
                        school_id,
                        row.child,
                        before={"guardian": guardian.pk, "relation": link.relation},
                        after={"guardian": guardian.pk, "relation": row.relation},
                    )
                )
                link.relation = row.relation
                changed_links.append(link)
        Guardianship.objects.bulk_create(new_links)
        Guardianship.objects.bulk_update(changed_links, ["relation"])
        AuditEntry.objects.bulk_create(audits)

    return _save(report, "people.guardians_import", write, actor)


IMPORTERS = {
    "students": students_import,
    "staff": staff_import,
    "guardians": guardians_import,
}


# Exports: the template's columns, so a fixed sheet imports back


def _label(choices: type[TextChoices], value: str) -> str:
    return str(dict(choices.choices).get(value, value)) if value else ""


def students_export_rows(*, actor: Membership) -> tuple[list[str], list[list[Any]]]:
    rows = []
    for student in selectors.school_students(actor=actor):
        record = selectors.prefetched_first(student, "open_records")
        enrolment = selectors.prefetched_first(student, "current_enrolments")
        values: dict[str, Any] = {
            "iin": student.iin or "",
            "surname": student.surname,
            "name": student.name,
            "patronymic": student.patronymic,
            "phone": student.phone_display,
            "school_class": (
                f"{enrolment.school_class.grade} {enrolment.school_class.letter}"
                if enrolment
                else ""
            ),
        }
        if record is not None:
            values |= {
                key: getattr(record, key)
                for key in STUDENT_RECORD_FIELDS
                if key not in ("sex", "language", "health_group", "social_category")
            }
            values |= {
                "sex": _label(Sex, record.sex),
                "language": _label(InstructionLanguage, record.language),
                "health_group": _label(HealthGroup, record.health_group),
                "social_category": _label(SocialCategory, record.social_category),
            }
        rows.append([values.get(column.key, "") for column in STUDENT_COLUMNS])

    return template_headers("students"), rows


def staff_export_rows(*, actor: Membership) -> tuple[list[str], list[list[Any]]]:
    rows = []
    for person in selectors.staff_members(actor=actor):
        record = selectors.prefetched_first(person, "staff_files")
        values: dict[str, Any] = {
            "iin": person.iin or "",
            "surname": person.surname,
            "name": person.name,
            "patronymic": person.patronymic,
            "phone": person.phone_display,
            "email": person.email,
        }
        if record is not None:
            values |= {key: getattr(record, key) for key in STAFF_RECORD_FIELDS}
            values["category"] = _label(QualificationCategory, record.category)
            values["load_rate"] = float(record.load_rate)
            values["subjects"] = ", ".join(s.name for s in record.subjects.all())
        rows.append([values.get(column.key, "") for column in STAFF_COLUMNS])

    return template_headers("staff"), rows
