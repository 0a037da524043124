"""HTML to PDF with WeasyPrint, for every printed form in Sabaq."""

from django.contrib.staticfiles import finders
from django.utils.translation import gettext as _

from sabaq.core.errors import ApplicationError


def _fetch_static_only(url: str, *args, **kwargs):
    # Documents may use the site's own static files and nothing from outside.
    from weasyprint import default_url_fetcher

    if url.startswith("static:"):
        path = finders.find(url.removeprefix("static:"))
        if path:
            return default_url_fetcher("file://" + path)
    raise ValueError(f"Documents load nothing from {url!r}.")


def html_to_pdf(html: str) -> bytes:
    try:
        from weasyprint import HTML
    except OSError:  # Pango or its fonts are missing on this machine.
        raise ApplicationError(
            _(
                "PDF documents cannot be made on this server: the Pango "
                "library is missing."
            )
        ) from None

    return HTML(string=html, url_fetcher=_fetch_static_only).write_pdf()
