"""Server time of the foundation's pages, measured in-process.

Builds a throw-away test database (SQLite, or PostgreSQL when DATABASE_URL is
set), loads the demo district, then requests each page many times as its
persona and prints the median and 95th percentile in milliseconds with the
number of queries per request.

    .venv/bin/python bench/pages.py [--repeat 200]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402 (the path and settings must be set first)

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
)

PAGES = [
    ("login page", None, "/login/"),
    ("director home", "director", "/"),
    ("people list", "deputy", "/people/"),
    ("audit log", "deputy", "/school/audit/"),
    ("teacher home", "class_teacher", "/"),
    ("parent home", "parent_both", "/"),
    ("district home", "district_officer", "/"),
    ("API: me", "student_aruzhan", "/api/v1/me/"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from conftest import build_demo, load_demo
        from sabaq.accounts.selectors import SESSION_KEY

        build_demo()
        demo = load_demo()
        print(f"database: {connection.vendor}; {args.repeat} requests a page")
        print(f"{'page':<16} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
        for label, persona, url in PAGES:
            client = Client()
            if persona:
                membership = demo.memberships[persona]
                client.force_login(
                    membership.user, backend="sabaq.accounts.backends.LoginOrIINBackend"
                )
                session = client.session
                session[SESSION_KEY] = membership.pk
                session.save()
            client.get(url)  # warm caches and templates
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            times.sort()
            p95 = times[int(len(times) * 0.95) - 1]
            print(
                f"{label:<16} {statistics.median(times):>10.2f} {p95:>8.2f} "
                f"{len(queries.captured_queries):>8}"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
