"""The printed report: its cover (who it is for, when, which file and which version of
it), the page numbers in the margins, a landscape page for a wide map, and menu text kept
out of the print style sheet's strings."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivraudit import audit_file
from ivraudit.cli import main
from ivraudit.format.text import printable
from ivraudit.importers import import_file, loads_source
from ivraudit.report.branding import Branding
from ivraudit.report.html import build_site, css_string, render_one
from ivraudit.report.pagedata import build_page, map_is_tall, map_is_wide, source_name
from tests.conftest import NO_REALFLOWS, REALFLOWS, ROOT
from tests.report.test_html import Page

CITY = ROOT / "menus" / "city_cabs.yaml"


def _cover(html: str) -> str:
    start = html.index('<header class="cover">')
    return Page(html[start : html.index("</header>", start)]).words


def _print_css(html: str) -> str:
    return html[html.index("@page") : html.index("</style>")]


def test_the_cover_names_client_date_source_and_file_version(tmp_path: Path) -> None:
    out = tmp_path / "p.html"
    result = CliRunner().invoke(
        main,
        [
            *("score", str(CITY), "--format", "html", "-o", str(out)),
            *("--client", "Nimbus Telecom", "--date", "7 December 2026"),
        ],
    )
    assert result.exit_code == 0, result.output
    cover = re.sub(r"\s+", " ", _cover(out.read_text(encoding="utf-8")))
    digest = hashlib.sha256(CITY.read_bytes()).hexdigest()[:12]
    assert "City Cabs booking line" in cover
    for label, value in [
        ("Prepared for", "Nimbus Telecom"),
        ("Date", "7 December 2026"),
        ("Read from", "YAML menu"),
        ("File version", digest),
        ("Audited by", "ivraudit 0."),
    ]:
        assert re.search(rf"{label} ?{re.escape(value)}", cover), label


def test_without_a_date_the_cover_has_none_and_the_page_stays_the_same() -> None:
    audit = audit_file(CITY)
    first, second = render_one(audit, Branding()), render_one(audit_file(CITY), Branding())
    assert first == second
    cover = _cover(first)
    assert "Date" not in cover and "Prepared for" not in cover
    assert "2026" not in cover and "2025" not in cover


def test_the_date_comes_from_the_config_too(tmp_path: Path) -> None:
    menu = tmp_path / "m.yaml"
    menu.write_bytes(CITY.read_bytes())
    cfg = tmp_path / ".ivraudit.yaml"
    cfg.write_text("report:\n  date: Q4 2026\n")
    runner = CliRunner()
    result = runner.invoke(main, ["score", str(menu), "--format", "html"])
    assert result.exit_code == 0, result.output
    assert "Q4 2026" in _cover(result.stdout)
    cfg.write_text("report:\n  date: ''\n")
    result = runner.invoke(main, ["score", str(menu), "--format", "html"])
    assert result.exit_code == 2
    assert f"{cfg}:2:3: error: report 'date' must be a non-empty string" in result.stderr


def test_the_file_version_is_the_digest_of_the_bytes_read(tmp_path: Path) -> None:
    data = CITY.read_bytes()
    assert audit_file(CITY).menu.digest == hashlib.sha256(data).hexdigest()[:12]
    changed = tmp_path / "city.yaml"
    changed.write_bytes(data + b"# one more comment\n")
    assert audit_file(changed).menu.digest != audit_file(CITY).menu.digest
    assert audit_file(changed).menu.name == audit_file(CITY).menu.name


def test_an_export_names_its_platform_and_the_version_of_its_file() -> None:
    flow = REALFLOWS / "twilio-studio" / "flexprojecttemplate_schedule_flow.json"
    if not flow.exists():
        pytest.skip(NO_REALFLOWS)
    menu = import_file(flow)
    assert source_name(menu) == "Twilio Studio flow"
    assert menu.digest == hashlib.sha256(flow.read_bytes()).hexdigest()[:12]
    piped = loads_source(flow.read_bytes(), "flow.json")
    assert (piped.platform, piped.digest) == (menu.platform, menu.digest)
    assert source_name(audit_file(CITY).menu) == "YAML menu"


def test_pages_number_themselves_in_the_print_margins() -> None:
    css = _print_css(render_one(audit_file(CITY)))
    assert '@bottom-right{content:"Page " counter(page) " of " counter(pages)' in css
    assert '@bottom-left{content:"City Cabs booking line"' in css
    # Nothing forces a page break that would leave a page mostly blank.
    assert re.search(r"\.pb\{break-before:auto\}", css)


@pytest.mark.parametrize(
    "name",
    ["</style><script>alert(1)</script>", 'Quote " and \\ backslash', "line\nbreak {}", "é ☎"],
)
def test_menu_text_cannot_leave_the_print_label(name: str) -> None:
    value = str(css_string(name))
    assert value.startswith('"') and value.endswith('"')
    inner = value[1:-1]
    assert not re.search(r'[<>"\'\n{};]', inner)
    # Every escape ends in a space, so a following hex digit is not read into it.
    assert all(m.group(0).endswith(" ") for m in re.finditer(r"\\[0-9a-f]+ ?", inner))
    decoded = re.sub(r"\\([0-9a-f]+) ", lambda m: chr(int(m.group(1), 16)), inner)
    assert decoded == printable(name)


def test_a_hostile_name_stays_inside_its_css_string() -> None:
    audit = audit_file(ROOT / "tests" / "menus" / "hostile.yaml")
    html = render_one(audit)
    css = _print_css(html)
    label = re.search(r"@bottom-left\{content:(\"[^\"]*\")", css)
    assert label is not None
    assert "<" not in label.group(1)
    assert html.count("</style>") == 1  # the menu's name closed no style element


def test_a_wide_map_gets_a_landscape_page() -> None:
    assert map_is_wide(1400, 800) and not map_is_wide(600, 200) and not map_is_wide(900, 900)
    site = build_site([audit_file(ROOT / "menus" / "telecom_hell.yaml")])
    (html,) = (v for k, v in site.items() if k != "index.html")
    page = build_page(audit_file(ROOT / "menus" / "telecom_hell.yaml"), "x")
    first = page.map.parts[0]
    assert page.map_wide == map_is_wide(first.width, first.height)
    assert ('<section aria-labelledby="s-map" class="pb wide">' in html) == page.map_wide
    assert "@page wide{size:landscape}" in html and "section.wide{page:wide" in html


def test_a_tall_map_gets_a_portrait_page_of_its_own() -> None:
    # Taller than half a portrait page at the page's width; a wide map is never tall.
    assert map_is_tall(600, 900) and map_is_tall(900, 1000)
    assert not map_is_tall(600, 300) and not map_is_tall(1400, 800)
    for name, tall in (("city_cabs", True), ("telecom_hell", False)):
        page = build_page(audit_file(ROOT / "menus" / f"{name}.yaml"), "x")
        first = page.map.parts[0]
        assert page.map_tall == map_is_tall(first.width, first.height) == tall
        html = render_one(audit_file(ROOT / "menus" / f"{name}.yaml"))
        assert ('<section aria-labelledby="s-map" class="pb tall">' in html) == tall
