"""Validators for Kazakhstan identifiers: the IIN and mobile phone numbers.

The rules are those of Government Decree No. 406 (IIN structure) and the
national numbering plan; `shared/domain-kz.md` §4 lists them with test numbers.
"""

import datetime
import re
from dataclasses import dataclass
from typing import Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

Sex = Literal["male", "female"]

_WEIGHTS_FIRST = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_WEIGHTS_SECOND = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
_CENTURY_BY_DIGIT = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}
_SEPARATORS = re.compile(r"[\s\-().]")
_KZ_MOBILE = re.compile(r"7(?:0[0-25-8]|47|6[0-4]|7[15-8]|85)\d{7}")


@dataclass(frozen=True)
class IINDetails:
    iin: str
    birth_date: datetime.date
    sex: Sex


def iin_check_digit(first_eleven: str) -> int | None:
    """Return the check digit for 11 digits, or None if no IIN can end them."""
    digits = [int(ch) for ch in first_eleven]
    for weights in (_WEIGHTS_FIRST, _WEIGHTS_SECOND):
        remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if remainder != 10:
            return remainder
    return None


def parse_iin(value: str, *, today: datetime.date | None = None) -> IINDetails:
    """Check an IIN and return the birth date and sex it encodes.

    Raises ValidationError whose message says which rule the number breaks.
    """
    iin = _SEPARATORS.sub("", value or "")
    # isdigit() alone also takes other scripts' digits (fullwidth, Arabic),
    # which would be stored as typed and escape the unique IIN.
    if not (iin.isascii() and iin.isdigit()) or len(iin) != 12:
        raise ValidationError(_("An IIN has exactly 12 digits."), code="iin_length")

    # In an IIN the 5th digit is the tens of the birth day (0-3); a business
    # number (BIN) keeps its legal-entity type there (4, 5 or 6).
    if iin[4] in "456":
        raise ValidationError(
            _("This looks like a business number (BIN), not a personal IIN."),
            code="iin_is_bin",
        )

    century_digit = int(iin[6])
    if century_digit not in _CENTURY_BY_DIGIT:
        raise ValidationError(
            _("The 7th digit of an IIN (century and sex) must be from 1 to 6."),
            code="iin_century",
        )

    year = _CENTURY_BY_DIGIT[century_digit] + int(iin[0:2])
    try:
        birth_date = datetime.date(year, int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        raise ValidationError(
            _("The first six digits of an IIN must be a real birth date (YYMMDD)."),
            code="iin_date",
        ) from None
    if birth_date > (today or datetime.date.today()):
        raise ValidationError(
            _("The birth date in this IIN is in the future."), code="iin_date"
        )

    if iin_check_digit(iin[:11]) != int(iin[11]):
        raise ValidationError(
            _("The last digit of this IIN does not match; check it for a typo."),
            code="iin_check_digit",
        )

    sex: Sex = "male" if century_digit % 2 == 1 else "female"

    return IINDetails(iin=iin, birth_date=birth_date, sex=sex)


def validate_iin(value: str) -> None:
    parse_iin(value)


def normalize_phone(value: str) -> str:
    """Turn the ways people type a Kazakh mobile number into `+77xxxxxxxxx`."""
    raw = _SEPARATORS.sub("", value or "")
    if raw.startswith("+7"):
        national = raw[2:]
    elif len(raw) == 11 and raw[0] in "78":
        national = raw[1:]
    elif len(raw) == 10 and raw[0] == "7":
        national = raw
    else:
        # Too short or too long (say `8 701 234 56 7`): a format problem.
        national = ""
    if not (national.isascii() and national.isdigit()) or len(national) != 10:
        raise ValidationError(
            _("Enter a mobile number of 10 digits after +7, such as +7 701 234 56 78."),
            code="phone_format",
        )
    if not _KZ_MOBILE.fullmatch(national):
        raise ValidationError(
            _(
                "%(code)s is not a Kazakh mobile operator code; enter a mobile "
                "number such as +7 701 234 56 78."
            ),
            code="phone_not_mobile",
            params={"code": national[:3]},
        )

    return "+7" + national


def validate_phone(value: str) -> None:
    normalize_phone(value)


def format_phone(e164: str) -> str:
    """Show `+77012345678` as `+7 (701) 234-56-78`."""
    if not e164 or len(e164) != 12 or not e164.startswith("+7"):
        return e164
    n = e164[2:]
    return f"+7 ({n[0:3]}) {n[3:6]}-{n[6:8]}-{n[8:10]}"


def iin_build(birth_date: datetime.date, sex: Sex, serial: int) -> str:
    """Make a valid IIN for a birth date, sex and serial (demo data, tests).

    Serials whose digits admit no check digit are skipped to the next one.
    """
    century_digit = {1800: 1, 1900: 3, 2000: 5}[birth_date.year // 100 * 100]
    if sex == "female":
        century_digit += 1
    while True:
        first_eleven = f"{birth_date:%y%m%d}{century_digit}{serial % 10000:04d}"
        check = iin_check_digit(first_eleven)
        if check is not None:
            return first_eleven + str(check)
        serial += 1
