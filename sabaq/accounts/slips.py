"""Printed login slips: one per person, cut lines between them, one PDF.

Rendered in the request on purpose: the slips carry first passwords in plain
text, which must never be written to disk, a queue or a broker.
"""

from django.conf import settings
from django.template.loader import render_to_string

from sabaq.accounts.services import IssuedPassword
from sabaq.core.documents import html_to_pdf
from sabaq.orgs.models import Organisation


def login_slips_pdf(
    *, request, school: Organisation, issued: list[IssuedPassword]
) -> bytes:
    html = render_to_string(
        "accounts/login_slips.html",
        {"school": school, "issued": issued, "site_url": settings.SITE_URL},
        request=request,
    )
    return html_to_pdf(html)
