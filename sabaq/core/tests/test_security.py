"""The site loads nothing from outside, stays small, and deploys safely."""

import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from sabaq.core.middleware import CONTENT_SECURITY_POLICY

ROOT = Path(settings.BASE_DIR)
PAGE_BUDGET_BYTES = 100 * 1024
PERSONAS = ["director", "class_teacher", "student_aruzhan", "parent_ru", "admin"]


def _assets(html: str) -> list[str]:
    return re.findall(r'<(?:script|link)[^>]+(?:src|href)="(/static/[^"]+)"', html)


def test_policy_allows_only_this_site():
    directives = dict(
        part.strip().split(" ", 1) for part in CONTENT_SECURITY_POLICY.split(";")
    )
    for directive, sources in directives.items():
        for source in sources.split():
            assert source in {"'self'", "'none'", "data:"}, (directive, source)
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"


@pytest.mark.django_db
def test_login_page_carries_the_policy_and_no_outside_address(client):
    response = client.get("/login/")

    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    html = response.content.decode()
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)


@pytest.mark.parametrize("persona", PERSONAS)
def test_home_page_with_its_assets_weighs_under_100_kb_compressed(
    client_as, demo, persona
):
    client = client_as(demo.membership(persona))
    response = client.get("/")
    html = response.content.decode()
    total = len(gzip.compress(response.content))
    for asset in _assets(html):
        asset_response = client.get(asset)
        assert asset_response.status_code == 200, asset
        body = b"".join(asset_response.streaming_content)
        total += len(gzip.compress(body))

    assert response.status_code == 200
    assert total < PAGE_BUDGET_BYTES


def test_templates_have_no_inline_styles_or_scripts():
    # Inline code would be blocked by the policy; PDF templates are exempt
    # because WeasyPrint, not a browser, reads them.
    problems = []
    for path in (ROOT / "sabaq").rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        if "@page" in text:
            continue
        if re.search(r"\sstyle=\"", text) or "<style" in text:
            problems.append(f"{path}: inline style")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            problems.append(f"{path}: inline script")
        if re.search(r"\son[a-z]+=\"", text):
            problems.append(f"{path}: inline event handler")

    assert problems == []


def _environment(**values: str) -> dict[str, str]:
    # The browser tests' escape hatch must not leak into a deployment check.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**env, **values}


def test_production_settings_pass_the_deployment_check():
    env = _environment(
        **{
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "k" * 20 + "-production-check-" + "q" * 30,
            "ALLOWED_HOSTS": "sabaq.example.kz",
            "DATABASE_URL": "sqlite:///:memory:",
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_a_short_secret_key():
    env = _environment(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="short",
        DATABASE_URL="sqlite:///:memory:",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
