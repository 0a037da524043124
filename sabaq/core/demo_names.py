"""Names for the demo schools, written by the project (no real persons).

`NameMaker` draws full names deterministically from a seed: Kazakh names with
Kazakh patronymics (-ұлы, -қызы) and Russian names with Russian ones
(-ович, -овна), with surnames in the right form for the sex.
"""

import random
from dataclasses import dataclass

KAZAKH_MALE = [
    "Әлихан", "Арман", "Асқар", "Ерасыл", "Нұрислам", "Темірлан", "Ернұр", "Диас",
    "Алдияр", "Бекзат", "Мирас", "Санжар", "Дархан", "Айбек", "Жандос", "Ержан",
    "Нұрсұлтан", "Ақжол", "Рауан", "Елдос", "Саят", "Тимур", "Дамир", "Әділет",
    "Нұрлан", "Бауыржан", "Қайрат", "Серік", "Марат", "Ерлан", "Ғалым", "Құдайберген",
]  # fmt: skip
KAZAKH_FEMALE = [
    "Аружан", "Айша", "Інжу", "Томирис", "Жансая", "Әсел", "Ақбота", "Дана",
    "Аяулым", "Мадина", "Нұрай", "Әйгерім", "Гүлназ", "Сабина", "Айзере", "Балнұр",
    "Мөлдір", "Ұлжан", "Жұлдыз", "Гүлмира", "Сәуле", "Динара", "Айгүл", "Қарлығаш",
]  # fmt: skip
KAZAKH_SURNAMES_MALE = [
    "Ахметов", "Жұмабаев", "Серікбаев", "Нұрланов", "Бекбосынов", "Оспанов",
    "Әбдірахманов", "Тоқтаров", "Қасымов", "Сәрсенов", "Мұхамедиев", "Есенов",
    "Төлеуов", "Байжанов", "Жақсылықов", "Омаров", "Құрманғалиев", "Үсенов",
    "Дәулетов", "Ғабитов", "Исмаилов", "Қалиев", "Смағұлов", "Айтбаев",
]  # fmt: skip
RUSSIAN_MALE = [
    "Максим", "Артём", "Александр", "Дмитрий", "Иван", "Михаил", "Никита",
    "Егор", "Кирилл", "Андрей", "Сергей", "Владимир", "Олег", "Денис", "Павел",
]  # fmt: skip
RUSSIAN_FEMALE = [
    "Анастасия", "Мария", "Дарья", "Полина", "Виктория", "Софья", "Анна",
    "Елизавета", "Екатерина", "Ксения", "Елена", "Ольга", "Наталья", "Ирина",
]  # fmt: skip
RUSSIAN_SURNAMES_MALE = [
    "Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Соколов", "Морозов",
    "Волков", "Лебедев", "Козлов", "Новиков", "Фёдоров", "Ким", "Цой", "Шевченко",
    "Бондаренко", "Ткаченко", "Мельников", "Захаров", "Семёнов",
]  # fmt: skip
RUSSIAN_FATHERS = [
    "Андрей", "Сергей", "Александр", "Владимир", "Олег", "Игорь", "Виктор",
    "Николай", "Юрий", "Павел", "Дмитрий", "Михаил",
]  # fmt: skip

_RUSSIAN_PATRONYMIC = {
    "Андрей": ("Андреевич", "Андреевна"), "Сергей": ("Сергеевич", "Сергеевна"),
    "Александр": ("Александрович", "Александровна"),
    "Владимир": ("Владимирович", "Владимировна"), "Олег": ("Олегович", "Олеговна"),
    "Игорь": ("Игоревич", "Игоревна"), "Виктор": ("Викторович", "Викторовна"),
    "Николай": ("Николаевич", "Николаевна"), "Юрий": ("Юрьевич", "Юрьевна"),
    "Павел": ("Павлович", "Павловна"), "Дмитрий": ("Дмитриевич", "Дмитриевна"),
    "Михаил": ("Михайлович", "Михайловна"),
}  # fmt: skip
_UNCHANGED_SURNAMES = {"Ким", "Цой", "Шевченко", "Бондаренко", "Ткаченко"}


@dataclass(frozen=True)
class FullName:
    surname: str
    name: str
    patronymic: str
    sex: str


def _female_surname(surname: str) -> str:
    if surname in _UNCHANGED_SURNAMES:
        return surname
    if surname.endswith(("ов", "ев", "ин", "ёв")):
        return surname + "а"
    return surname


class NameMaker:
    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)

    def kazakh(self, sex: str) -> FullName:
        father = self.random.choice(KAZAKH_MALE)
        surname = self.random.choice(KAZAKH_SURNAMES_MALE)
        if sex == "male":
            return FullName(
                surname, self.random.choice(KAZAKH_MALE), father + "ұлы", sex
            )
        return FullName(
            _female_surname(surname),
            self.random.choice(KAZAKH_FEMALE),
            father + "қызы",
            sex,
        )

    def russian(self, sex: str) -> FullName:
        father = self.random.choice(RUSSIAN_FATHERS)
        surname = self.random.choice(RUSSIAN_SURNAMES_MALE)
        male, female = _RUSSIAN_PATRONYMIC[father]
        if sex == "male":
            return FullName(surname, self.random.choice(RUSSIAN_MALE), male, sex)
        return FullName(
            _female_surname(surname), self.random.choice(RUSSIAN_FEMALE), female, sex
        )

    def person(self, language: str) -> FullName:
        sex = self.random.choice(["male", "female"])
        return self.kazakh(sex) if language == "kk" else self.russian(sex)
