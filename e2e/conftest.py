"""Fixtures for browser tests: Chromium, the live server, the demo district.

Browser tests drive Debian's Chromium through Playwright against
pytest-django's `live_server`. They run in their own pytest process
(`pytest -m e2e e2e/`) because Playwright's event loop breaks the async tests.

Every browser context is watched: a request to any host but the live server,
a console error, a Content Security Policy report or an uncaught JavaScript
error fails the test that caused it. A failed test leaves a full-page
screenshot in `test-results/`, named after the test.
"""

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import conftest as root_conftest

# Playwright's sync API runs an event loop in the test thread; the ORM must
# still be usable from browser tests (and only from them).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
RESULTS_DIR = Path(__file__).resolve().parent.parent / "test-results"
DESKTOP = {"width": 1280, "height": 800}

_REPORTS = pytest.StashKey[dict]()
_WATCHES = pytest.StashKey[list]()
_skipped_for = []


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Read here, not at import, so that values from `.env` (loaded with the
    # settings) count too.
    chromium = Path(os.environ.get("SABAQ_CHROMIUM") or "/usr/bin/chromium")
    if not chromium.exists():
        reason = (
            f"Browser tests need Chromium at {chromium}; install Debian's "
            "`chromium` or point SABAQ_CHROMIUM at another binary."
        )
        if os.environ.get("SABAQ_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason} (SABAQ_REQUIRE_BROWSER=1)", pytrace=False)
        _skipped_for.append(reason)
        pytest.skip(reason)

    return {
        **browser_type_launch_args,
        "executable_path": str(chromium),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    # A browser set up in Kazakh, as on school computers: Django picks a
    # visitor's language from Accept-Language, and Chromium would send en-US.
    return {
        **browser_context_args,
        "base_url": live_server.url,
        "viewport": DESKTOP,
        "locale": "kk-KZ",
    }


@pytest.fixture
def demo(transactional_db, live_server):
    """The demo district, rebuilt when the previous test's flush removed it.

    Transactional tests empty every table after they run, so the district that
    the session set up exists only for the first browser test.
    """
    from django.db import transaction

    from sabaq.orgs.demo import REGION_NAME_KK
    from sabaq.orgs.models import Region

    if not Region.objects.filter(name_kk=REGION_NAME_KK).exists():
        # All or nothing, as in `demo_data`: a build that fails half-way
        # must not leave a region that the next test takes for the whole.
        with transaction.atomic():
            _national_subjects_restore()
            root_conftest.build_demo()

    return root_conftest.load_demo()


def _national_subjects_restore() -> None:
    """Put back the national subject list that a data migration loads.

    The flush after a transactional test empties it with every other table,
    and the demo's schools pick their subjects from it.
    """
    from importlib import import_module

    from django.apps import apps

    from sabaq.schools.models import Subject

    if not Subject.objects.filter(school=None).exists():
        migration = import_module("sabaq.schools.migrations.0003_national_subject_list")
        migration.load_subjects(apps, None)


@dataclass
class SiteWatch:
    """What one browser context asked for and complained about."""

    origin: str
    requests: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def attach(self, context) -> None:
        context.on("request", self._on_request)
        context.on("response", self._on_response)
        context.on("console", self._on_console)
        context.on("weberror", self._on_weberror)

    def _on_request(self, request) -> None:
        self.requests.append(f"{request.method} {request.url}")
        parts = urlsplit(request.url)
        if parts.scheme in {"data", "blob", "about"}:
            return
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.problems.append(
                f"request outside the site: {request.method} {request.url}"
            )

    def _on_response(self, response) -> None:
        if response.status >= 500:
            self.problems.append(f"server error {response.status}: {response.url}")

    def _on_console(self, message) -> None:
        text = message.text
        if message.type == "error" or "Content Security Policy" in text:
            where = message.location.get("url", "")
            self.problems.append(f"console {message.type} on {where}: {text}")

    def _on_weberror(self, error) -> None:
        self.problems.append(f"JavaScript error: {error.error}")


@pytest.fixture
def new_context(new_context, live_server, request):
    """pytest-playwright's context factory, with every context watched."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(live_server.url))
    watches = request.node.stash.setdefault(_WATCHES, [])
    contexts = []

    def make(**kwargs):
        context = new_context(**kwargs)
        watch = SiteWatch(origin=origin)
        watch.attach(context)
        watches.append(watch)
        contexts.append(context)
        return context

    yield make

    # Runs before pytest-playwright closes the contexts, so the pages of a
    # failed test can still be photographed.
    report = request.node.stash.get(_REPORTS, {}).get("call")
    if report is not None and report.failed:
        _screenshot_failure(request.node, contexts)


def _screenshot_failure(item, contexts) -> None:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "-", item.name).strip("-")
    pages = [page for context in contexts for page in context.pages]
    for number, page in enumerate(pages, start=1):
        suffix = "" if number == 1 else f"-{number}"
        # A page that cannot be photographed must not hide the real failure.
        try:
            page.screenshot(path=RESULTS_DIR / f"{name}{suffix}.png", full_page=True)
        except Exception as error:
            item.add_report_section("teardown", "screenshot", repr(error))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    # The test body passed; now the pages it opened must have stayed inside
    # the site and free of errors.
    result = yield
    problems = []
    for watch in item.stash.get(_WATCHES, []):
        problems += watch.problems
    if problems:
        requests = [r for watch in item.stash[_WATCHES] for r in watch.requests]
        pytest.fail(
            "The pages misbehaved:\n  "
            + "\n  ".join(problems)
            + "\nRequests made:\n  "
            + "\n  ".join(requests),
            pytrace=False,
        )

    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report

    return report


def pytest_terminal_summary(terminalreporter):
    if _skipped_for:
        terminalreporter.write_sep("=", "browser tests skipped", yellow=True)
        terminalreporter.write_line(_skipped_for[0])
