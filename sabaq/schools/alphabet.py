"""Alphabetical order as Kazakh schools use it.

Databases sort Cyrillic by code point, which puts Ә, Ғ, Қ, Ң, Ө, Ұ, Ү, Һ and І
after Я. Class lists and subgroup splits follow the Kazakh alphabet instead.
"""

from sabaq.schools.models import CLASS_LETTERS

_POSITION = {letter: index for index, letter in enumerate(CLASS_LETTERS)}
_AFTER_ALPHABET = len(CLASS_LETTERS)


def alphabetical_key(text: str) -> tuple[tuple[int, str], ...]:
    """A sort key placing Kazakh and Russian letters in the Kazakh order.

    Latin letters, digits and signs come after the alphabet, in code-point
    order among themselves.
    """
    return tuple((_POSITION.get(char, _AFTER_ALPHABET), char) for char in text.upper())


def person_key(person) -> tuple:
    """Sort people by surname, name and patronymic in the Kazakh order."""
    return (
        alphabetical_key(person.surname),
        alphabetical_key(person.name),
        alphabetical_key(person.patronymic),
    )
