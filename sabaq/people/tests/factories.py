"""Rows the people tests need that the demo district does not have.

The school year, shift and classes are written directly, as fixtures: the
schools app owns their services and they are not what these tests test.
"""

import datetime
import io
import itertools

from django.utils import timezone
from openpyxl import Workbook

from sabaq.accounts.models import Membership, Role, User
from sabaq.core.tests.factories import UserFactory
from sabaq.core.validators import iin_build
from sabaq.orgs.models import Organisation
from sabaq.schools.models import SchoolClass, SchoolYear, Shift

_serials = itertools.count(7000)


def current_year(school: Organisation) -> SchoolYear:
    """A school year of the school that includes today."""
    today = timezone.localdate()
    first = today.year if today.month >= 9 else today.year - 1
    year, _created = SchoolYear.objects.get_or_create(
        school=school,
        starts_on=datetime.date(first, 9, 1),
        defaults={"ends_on": datetime.date(first + 1, 5, 25)},
    )
    return year


def school_class(
    school: Organisation, grade: int = 5, letter: str = "Ә"
) -> SchoolClass:
    year = current_year(school)
    shift, _created = Shift.objects.get_or_create(school=school, number=1)
    school_class, _created = SchoolClass.objects.get_or_create(
        year=year,
        grade=grade,
        letter=letter,
        defaults={"language": "kk", "shift": shift},
    )
    return school_class


def new_iin(born: datetime.date = datetime.date(2013, 3, 14), sex: str = "male") -> str:
    """A valid IIN nobody in the test database has yet."""
    while True:
        iin = iin_build(born, sex, next(_serials))
        if not User.objects.filter(iin=iin).exists():
            return iin


def person_in(school: Organisation, role: str = Role.STUDENT, **fields) -> User:
    """A person with a role in the school, and an IIN unless one is given."""
    fields.setdefault("iin", new_iin())
    person = UserFactory(**fields)
    Membership.objects.create(user=person, organisation=school, role=role)
    return person


def xlsx(headers: list[str], rows: list[list[object]]) -> bytes:
    """A workbook as a school would upload it: one sheet, headings first."""
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
