"""The HTML report: one self-contained page per menu and a ranked index of them all.

Templates live in `ivraudit/templates/` and only lay out the data `pagedata` built;
autoescaping is on, and menu text is only ever passed as data, never as a template.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import jinja2
import markupsafe

from ivraudit import __version__
from ivraudit.audit import Audit
from ivraudit.format.text import printable
from ivraudit.report.branding import Branding
from ivraudit.report.callsview import ANSWER_NOTE, OVERLOADED
from ivraudit.report.pagedata import Page, Portfolio, build_page, build_portfolio, slugs
from ivraudit.report.palette import DARK, LIGHT, css_variables

if TYPE_CHECKING:
    from ivraudit.report.beforeafter import DiffPage, SuggestPage


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    # Cached: building the environment is pure, and every page of a run shares it.
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("ivraudit", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_printable,
    )
    env.filters["css_string"] = css_string
    return env


def css_string(value: str) -> markupsafe.Markup:
    """Return `value` as a quoted CSS string, every character but letters, digits and
    spaces escaped: menu text in a style sheet can then close neither the string nor
    the <style> element."""
    text = printable(str(value))
    if len(text) > 80:  # one line of a page margin
        text = text[:79] + "…"
    body = "".join(
        c if c.isascii() and (c.isalnum() or c == " ") else f"\\{ord(c):x} " for c in text
    )
    return markupsafe.Markup(f'"{body}"')


def _printable(value: Any) -> Any:
    # Every value a template prints passes here: menu text can hold ESC sequences that
    # would reach a terminal showing the page's source, so they print as escapes.
    # Markup the builder made itself (inline SVG, CSS) is ours and passes unchanged.
    if isinstance(value, str) and not isinstance(value, markupsafe.Markup):
        return printable(value)
    return value


def _render(template: str, branding: Branding, **context: Any) -> str:
    return (
        _environment()
        .get_template(template)
        .render(
            version=__version__,
            branding=branding,
            light=css_variables(LIGHT),
            dark=css_variables(DARK),
            **context,
        )
    )


def render_page(page: Page, *, index_href: str | None = None) -> str:
    """Return the HTML of one menu's page; `index_href` links back to the portfolio."""
    return _render(
        "page.html.j2",
        page.branding,
        page=page,
        index_href=index_href,
        answer_note=ANSWER_NOTE,
        overloaded=OVERLOADED,
    )


def render_index(portfolio: Portfolio) -> str:
    """Return the HTML of the portfolio: every menu ranked by score."""
    return _render("index.html.j2", portfolio.branding, portfolio=portfolio)


def render_one(
    audit: Audit,
    branding: Branding | None = None,
    suggestions: Mapping[str, Any] | None = None,
) -> str:
    """Return the page of one menu, on its own (no index to link back to)."""
    return render_page(build_page(audit, "menu", suggestions, branding))


def build_site(
    audits: Sequence[Audit],
    branding: Branding | None = None,
    suggestions: Sequence[Mapping[str, Any] | None] | None = None,
) -> dict[str, str]:
    """Return the portfolio's files, `index.html` and one page per menu, by file name."""
    branding = branding or Branding()
    names = slugs([a.file for a in audits])
    found = suggestions if suggestions is not None else [None] * len(audits)
    pages = [
        build_page(a, slug, sug, branding)
        for a, slug, sug in zip(audits, names, found, strict=True)
    ]
    files = {
        "index.html": render_index(
            build_portfolio(list(zip(audits, pages, strict=True)), branding, found)
        )
    }
    for page in pages:
        files[f"{page.slug}.html"] = render_page(page, index_href="index.html")
    return files


def render_diff_page(page: DiffPage) -> str:
    """Return the HTML of `ivraudit diff OLD NEW --format html`: one menu before and after."""
    return _render("diff.html.j2", page.branding, page=page, answer_note=ANSWER_NOTE)


def render_suggest_page(page: SuggestPage) -> str:
    """Return the HTML of `ivraudit suggest FILE --format html`: the menu beside its rewrite."""
    return _render("suggest.html.j2", page.branding, page=page, answer_note=ANSWER_NOTE)
