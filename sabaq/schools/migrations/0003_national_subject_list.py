"""The national list of subjects of Kazakhstan's schools, in three languages.

Codes are stable: other rows and later migrations refer to subjects by code.
Grades say where a subject appears in the typical curricula (Order No. 500,
as amended for 2024/25); they drive hints such as subgroup splits, never
what a school may teach.
"""

from django.db import migrations

# code, Kazakh, Russian, English, area, first grade, last grade
NATIONAL_SUBJECTS = [
    ("literacy", "Сауат ашу", "Обучение грамоте", "Literacy", "other", 1, 1),
    ("literary_reading", "Әдебиеттік оқу", "Литературное чтение", "Literary reading", "other", 1, 4),
    ("kazakh_language", "Қазақ тілі", "Казахский язык", "Kazakh language", "kazakh", 1, 12),
    ("kazakh_literature", "Қазақ әдебиеті", "Казахская литература", "Kazakh literature", "kazakh", 5, 12),
    ("kazakh_language_literature", "Қазақ тілі мен әдебиеті", "Казахский язык и литература", "Kazakh language and literature", "kazakh", 5, 12),
    ("russian_language", "Орыс тілі", "Русский язык", "Russian language", "russian", 1, 12),
    ("russian_literature", "Орыс әдебиеті", "Русская литература", "Russian literature", "russian", 5, 12),
    ("russian_language_literature", "Орыс тілі мен әдебиеті", "Русский язык и литература", "Russian language and literature", "russian", 3, 12),
    ("foreign_language", "Шетел тілі", "Иностранный язык", "Foreign language", "foreign_language", 3, 12),
    ("english", "Ағылшын тілі", "Английский язык", "English", "foreign_language", 3, 12),
    ("german", "Неміс тілі", "Немецкий язык", "German", "foreign_language", 3, 12),
    ("french", "Француз тілі", "Французский язык", "French", "foreign_language", 3, 12),
    ("mathematics", "Математика", "Математика", "Mathematics", "other", 1, 6),
    ("algebra", "Алгебра", "Алгебра", "Algebra", "other", 7, 9),
    ("algebra_and_analysis", "Алгебра және анализ бастамалары", "Алгебра и начала анализа", "Algebra and elements of analysis", "other", 10, 12),
    ("geometry", "Геометрия", "Геометрия", "Geometry", "other", 7, 12),
    ("digital_literacy", "Цифрлық сауаттылық", "Цифровая грамотность", "Digital literacy", "informatics", 1, 4),
    ("informatics", "Информатика", "Информатика", "Informatics", "informatics", 5, 12),
    ("knowing_the_world", "Дүниетану", "Познание мира", "Knowing the world", "other", 1, 4),
    ("natural_science", "Жаратылыстану", "Естествознание", "Natural science", "other", 1, 6),
    ("physics", "Физика", "Физика", "Physics", "other", 7, 12),
    ("chemistry", "Химия", "Химия", "Chemistry", "other", 7, 12),
    ("biology", "Биология", "Биология", "Biology", "other", 7, 12),
    ("geography", "География", "География", "Geography", "other", 7, 12),
    ("history_of_kazakhstan", "Қазақстан тарихы", "История Казахстана", "History of Kazakhstan", "other", 5, 12),
    ("world_history", "Дүниежүзі тарихы", "Всемирная история", "World history", "other", 5, 12),
    ("man_society_law", "Адам. Қоғам. Құқық", "Человек. Общество. Право", "Man. Society. Law", "other", 10, 12),
    ("basics_of_law", "Құқық негіздері", "Основы права", "Basics of law", "other", 9, 9),
    ("entrepreneurship", "Кәсіпкерлік және бизнес негіздері", "Основы предпринимательства и бизнеса", "Basics of entrepreneurship and business", "other", 10, 12),
    ("art_work", "Көркем еңбек", "Художественный труд", "Art work", "art_work", 2, 9),
    ("labour_training", "Еңбекке баулу", "Трудовое обучение", "Labour training", "other", 1, 1),
    ("visual_arts", "Бейнелеу өнері", "Изобразительное искусство", "Visual arts", "other", 1, 1),
    ("music", "Музыка", "Музыка", "Music", "other", 1, 6),
    ("physical_education", "Дене шынықтыру", "Физическая культура", "Physical education", "other", 1, 12),
    ("self_knowledge", "Өзін-өзі тану", "Самопознание", "Self-knowledge", "other", 1, 12),
    ("graphics_and_design", "Графика және жобалау", "Графика и проектирование", "Graphics and design", "other", 10, 12),
    ("military_training", "Алғашқы әскери және технологиялық дайындық", "Начальная военная и технологическая подготовка", "Initial military and technological training", "other", 10, 12),
]  # fmt: skip


def load_subjects(apps, schema_editor):
    Subject = apps.get_model("schools", "Subject")
    for (
        code,
        name_kk,
        name_ru,
        name_en,
        area,
        grade_from,
        grade_to,
    ) in NATIONAL_SUBJECTS:
        Subject.objects.update_or_create(
            school=None,
            code=code,
            defaults={
                "name_kk": name_kk,
                "name_ru": name_ru,
                "name_en": name_en,
                "area": area,
                "grade_from": grade_from,
                "grade_to": grade_to,
            },
        )


def unload_subjects(apps, schema_editor):
    # Subjects that schools already use stay: they are protected by their
    # subgroups and personal files, and history must not lose its names.
    Subject = apps.get_model("schools", "Subject")
    SchoolSubject = apps.get_model("schools", "SchoolSubject")
    Subgroup = apps.get_model("schools", "Subgroup")
    used = set(SchoolSubject.objects.values_list("subject_id", flat=True)) | set(
        Subgroup.objects.values_list("subject_id", flat=True)
    )
    codes = [row[0] for row in NATIONAL_SUBJECTS]
    Subject.objects.filter(school=None, code__in=codes).exclude(pk__in=used).delete()


class Migration(migrations.Migration):
    dependencies = [("schools", "0002_holiday_kind_subject_grades_and_checks")]

    operations = [migrations.RunPython(load_subjects, unload_subjects)]
