"""Messages of the accounts app as tests expect them, in the active language.

The source sentences are spelled out once here; each helper returns what
`gettext` gives for them, so a test holds whether or not a translation is
compiled, and fails when the page shows anything else.
"""

from django.utils.translation import gettext, ngettext

WRONG_LOGIN = "The login or the password is not correct."


def wrong_login() -> str:
    return gettext(WRONG_LOGIN)


def locked(minutes: int) -> str:
    return ngettext(
        "This account is locked for %(minutes)d minute after too many failed "
        "attempts. Try again later or ask your school for a new password.",
        "This account is locked for %(minutes)d minutes after too many failed "
        "attempts. Try again later or ask your school for a new password.",
        minutes,
    ) % {"minutes": minutes}
