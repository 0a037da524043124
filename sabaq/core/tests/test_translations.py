"""The Kazakh and Russian catalogues are complete, faithful and compiled.

Every message must have a reviewed translation (no empty or fuzzy entries),
keep the placeholders of its English source, be present in the committed
`.mo` file that `make run` loads, and every string marked for translation in
the code or templates must already be in the catalogues. A failure lists the
strings to fix; `make messages` regenerates and compiles both catalogues.
"""

import contextlib
import re
import shutil
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
LANGUAGES = ["kk", "ru"]
PLURAL_FORMS = {
    "kk": "nplurals=2; plural=(n!=1);",
    "ru": (
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
        "(n%100<10 || n%100>=20) ? 1 : 2);"
    ),
}

# What `bin/messages` leaves out of extraction; keep the two lists in step.
IGNORED_DIRS = {".venv", "var", "e2e", "test-results", "node_modules"}
SOURCE_SUFFIXES = {".py", ".html", ".txt"}
GETTEXT_TOOLS = ("xgettext", "msguniq", "msgmerge", "msgattrib")

# `%(name)s`, `%(minutes)d`, bare `%s`; `%%` is a literal percent sign.
PRINTF = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +\-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?"
    r"(?P<conversion>[diouxXeEfFgGcrsa%])"
)
# `{name}`, `{0}`, `{}` and `{name:>3}`; `{{` and `}}` are literal braces.
BRACE = re.compile(r"(?<!\{)\{(?P<name>\w*)(?:[!:][^{}]*)?\}(?!\})")


def catalogue_path(language: str, suffix: str = "po") -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"django.{suffix}"


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(catalogue_path(language)))


def live_entries(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete]


def describe(entry: polib.POEntry) -> str:
    context = f"[{entry.msgctxt}] " if entry.msgctxt else ""
    return f"{context}{entry.msgid!r}"


def placeholders(text: str, *, printf_positional: bool) -> Counter:
    found: Counter = Counter()
    for match in PRINTF.finditer(text):
        if match["conversion"] == "%":
            continue
        if match["name"] is not None:
            found[f"%({match['name']}){match['conversion']}"] += 1
        elif printf_positional:
            # A bare `%` is only a placeholder when xgettext saw a format.
            found[f"%{match['conversion']}"] += 1
    for match in BRACE.finditer(text):
        found[f"{{{match['name']}}}"] += 1

    return found


def translations(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def is_translated(entry: polib.POEntry, nplurals: int) -> bool:
    forms = translations(entry)
    if entry.msgid_plural and len(forms) != nplurals:
        return False
    return "fuzzy" not in entry.flags and all(form.strip() for form in forms)


def nplurals_of(po: polib.POFile) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", po.metadata.get("Plural-Forms", ""))
    return int(match[1]) if match else 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_header_names_the_language_and_its_plural_rule(language):
    po = catalogue(language)

    assert po.metadata.get("Language") == language
    assert po.metadata.get("Plural-Forms") == PLURAL_FORMS[language]
    assert po.metadata.get("Content-Type") == "text/plain; charset=UTF-8"
    assert not po.metadata_is_fuzzy, "Remove the fuzzy flag from the header."


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_has_a_reviewed_translation(language):
    po = catalogue(language)
    nplurals = nplurals_of(po)

    problems = []
    for entry in live_entries(po):
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {describe(entry)}")
        elif entry.msgid_plural and len(translations(entry)) != nplurals:
            problems.append(
                f"{len(translations(entry))} plural forms, {nplurals} needed: "
                f"{describe(entry)}"
            )
        elif not all(form.strip() for form in translations(entry)):
            problems.append(f"untranslated: {describe(entry)}")

    assert not problems, f"{catalogue_path(language)}:\n" + "\n".join(problems)


def placeholder_problems(entry: polib.POEntry) -> list[str]:
    """How the translations of `entry` differ from its source's placeholders."""
    positional = "python-format" in entry.flags
    singular = placeholders(entry.msgid, printf_positional=positional)
    plural = placeholders(entry.msgid_plural or "", printf_positional=positional)

    problems = []
    for index, form in enumerate(translations(entry)):
        if not form:
            continue  # reported by the completeness test
        found = placeholders(form, printf_positional=positional)
        if not entry.msgid_plural:
            allowed = [singular]
        elif index == 0:
            # The English singular may say "one" instead of the number.
            allowed = [singular, plural]
        else:
            allowed = [plural]
        if found not in allowed:
            expected = " or ".join(str(sorted(a.elements())) for a in allowed)
            problems.append(
                f"{describe(entry)} form {index}: has "
                f"{sorted(found.elements())}, expected {expected}"
            )

    return problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_of_the_source(language):
    po = catalogue(language)

    problems = [
        problem for entry in live_entries(po) for problem in placeholder_problems(entry)
    ]

    assert not problems, f"{catalogue_path(language)}:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("entry", "problem_count"),
    [
        (polib.POEntry(msgid="%(code)s is wrong", msgstr="%(code)s қате"), 0),
        (polib.POEntry(msgid="%(code)s is wrong", msgstr="%(kod)s қате"), 1),
        (polib.POEntry(msgid="%(n)d min", msgstr="%(n)s мин."), 1),
        (polib.POEntry(msgid="{name} left", msgstr="{name} шықты"), 0),
        (polib.POEntry(msgid="{name} left", msgstr="шықты"), 1),
        (polib.POEntry(msgid="100%% done", msgstr="100%% дайын"), 0),
        (
            polib.POEntry(
                msgid="%s saved",
                msgstr="Сохранено",
                flags=["python-format"],
            ),
            1,
        ),
        (
            polib.POEntry(
                msgid="One lesson",
                msgid_plural="%(count)d lessons",
                msgstr_plural={0: "%(count)d урок", 1: "%(count)d урока", 2: "уроков"},
            ),
            1,
        ),
        (
            polib.POEntry(
                msgid="One lesson",
                msgid_plural="%(count)d lessons",
                msgstr_plural={0: "Бір сабақ", 1: "%(count)d сабақ"},
            ),
            0,
        ),
    ],
)
def test_placeholder_check_reads_printf_and_brace_styles(entry, problem_count):
    assert len(placeholder_problems(entry)) == problem_count


def mo_contents(mo: polib.MOFile) -> set[tuple]:
    return {
        (
            entry.msgctxt,
            entry.msgid,
            entry.msgid_plural,
            entry.msgstr,
            tuple(sorted(entry.msgstr_plural.items())),
        )
        for entry in mo
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_committed_mo_file_matches_its_po_file(language, tmp_path):
    committed = catalogue_path(language, "mo")
    assert committed.is_file(), f"{committed} is missing: run `make messages`."

    fresh_path = tmp_path / "django.mo"
    catalogue(language).save_as_mofile(str(fresh_path))
    fresh = polib.mofile(str(fresh_path))
    current = polib.mofile(str(committed))

    stale = mo_contents(fresh) ^ mo_contents(current)
    assert not stale, (
        f"{committed} is stale ({len(stale)} differing entries, such as "
        f"{sorted(stale, key=str)[0][1]!r}): run `make messages`."
    )
    for key in ("Language", "Plural-Forms"):
        assert current.metadata.get(key) == fresh.metadata.get(key)


def copy_sources(root: Path, target: Path) -> None:
    """Copy what makemessages reads, so extraction never writes in `root`.

    makemessages writes a `.py` twin beside each template it reads and sends
    strings to any `locale` folder it meets; a copy without those folders
    keeps the working tree and the committed catalogues untouched.
    """

    skipped_dirs = IGNORED_DIRS | {"locale", "__pycache__"}

    def ignore(directory: str, names: list[str]) -> set[str]:
        skipped = set()
        for name in names:
            path = Path(directory, name)
            if path.is_dir():
                if name in skipped_dirs or name.startswith("."):
                    skipped.add(name)
            elif path.suffix not in SOURCE_SUFFIXES:
                skipped.add(name)
        return skipped

    shutil.copytree(root, target, ignore=ignore)


def extracted_messages(source_root: Path, work_dir: Path) -> list[polib.POEntry]:
    """Run makemessages over a copy of `source_root` and return the template."""
    sources = work_dir / "src"
    locale_dir = work_dir / "locale"
    copy_sources(source_root, sources)
    locale_dir.mkdir()

    with (
        override_settings(LOCALE_PATHS=[str(locale_dir)]),
        contextlib.chdir(sources),
    ):
        call_command(
            "makemessages",
            locale=["kk"],
            keep_pot=True,
            no_location=True,
            verbosity=0,
        )

    return live_entries(polib.pofile(str(locale_dir / "django.pot")))


def untranslated_in(source_root: Path, work_dir: Path) -> dict[str, list[str]]:
    """Each language's source strings that lack a reviewed translation."""
    extracted = extracted_messages(source_root, work_dir)
    missing = {}
    for language in LANGUAGES:
        po = catalogue(language)
        nplurals = nplurals_of(po)
        known = {(entry.msgctxt, entry.msgid): entry for entry in live_entries(po)}
        missing[language] = [
            describe(entry)
            for entry in extracted
            if (found := known.get((entry.msgctxt, entry.msgid))) is None
            or not is_translated(found, nplurals)
        ]

    return missing


needs_gettext = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in GETTEXT_TOOLS),
    reason="GNU gettext (xgettext, msgmerge) is not installed; CI installs it.",
)


@needs_gettext
def test_every_string_in_the_source_is_translated(tmp_path):
    missing = untranslated_in(Path(settings.BASE_DIR), tmp_path)

    report = [
        f"{language}: {message}"
        for language, messages in missing.items()
        for message in messages
    ]
    assert not report, (
        "Strings in the code or templates without a translation; run "
        "`make messages` and translate them:\n" + "\n".join(report)
    )


@needs_gettext
def test_untranslated_template_string_is_reported(tmp_path):
    probe = tmp_path / "probe" / "app" / "templates" / "app"
    probe.mkdir(parents=True)
    (probe / "page.html").write_text(
        "{% load i18n %}\n"
        '<h1>{% translate "Log in" %}</h1>\n'
        '<p>{% translate "A sentence that nobody has translated yet." %}</p>\n',
        encoding="utf-8",
    )

    missing = untranslated_in(tmp_path / "probe", tmp_path / "work")

    for language in LANGUAGES:
        assert missing[language] == ["'A sentence that nobody has translated yet.'"]
