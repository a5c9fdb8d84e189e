"""The HTML report, read back as data: parsed pages, the map's SVG, ranking, escaping."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivraudit import audit_file
from ivraudit.cli import main
from ivraudit.report.branding import Branding, contrast
from ivraudit.report.grouping import group_findings
from ivraudit.report.html import build_site, render_one
from ivraudit.report.mapscene import PICTURE_BOXES, Scene
from ivraudit.report.menumap import map_lines
from ivraudit.report.pagedata import build_page, slugs
from ivraudit.report.palette import DARK, LIGHT, MARK_COLOURS, TEXT_COLOURS
from tests.conftest import FIXTURES, NO_REALFLOWS, REALFLOWS, ROOT

MENUS = sorted((ROOT / "menus").glob("*.yaml"))
HOSTILE = FIXTURES / "hostile.yaml"
SVG = "{http://www.w3.org/2000/svg}"
# A 1x1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


class Page(HTMLParser):
    """Every element (tag, attributes), the text outside scripts and styles, the scripts."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._in: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag in ("script", "style", "title"):
            self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if "script" in self._in:
            self.scripts.append(data)
        elif "style" not in self._in:
            self.text.append(data)

    def all(self, tag: str, cls: str | None = None) -> list[dict[str, str | None]]:
        return [
            a
            for t, a in self.elements
            if t == tag and (cls is None or cls in (a.get("class") or "").split())
        ]

    @property
    def words(self) -> str:
        return "".join(self.text)


def _map_svg(html: str) -> ET.Element:
    start = html.index('<svg class="map"')
    end = html.index("</svg>", start) + len("</svg>")
    return ET.fromstring(html[start:end])


@pytest.fixture(scope="module")
def site() -> dict[str, str]:
    return build_site([audit_file(p) for p in [*MENUS, HOSTILE]])


def test_the_site_has_an_index_and_a_page_per_menu(site: dict[str, str]) -> None:
    assert sorted(site) == sorted(
        ["index.html", *(f"{p.stem}.html" for p in MENUS), "hostile.html"]
    )


def test_the_index_ranks_menus_by_score_and_links_each_page(site: dict[str, str]) -> None:
    index = Page(site["index.html"])
    rows = [a for a in index.all("td") if a.get("data-label") == "Score"]
    scores = [int(a["data-v"] or 0) for a in rows]
    assert scores == sorted(scores, reverse=True)
    links = [a["href"] for a in index.all("a") if a.get("href", "").endswith(".html")]
    assert sorted(links) == sorted(name for name in site if name != "index.html")
    ranks = [a["data-v"] for a in index.all("td") if a.get("data-label") == "Rank"]
    assert ranks == [str(i) for i in range(1, len(site))]
    assert len(index.scripts) == 1 and "sort" in index.scripts[0]


@pytest.mark.parametrize("menu", MENUS, ids=[p.stem for p in MENUS])
def test_every_example_page_has_its_sections_and_a_map(menu: Path, site: dict[str, str]) -> None:
    html = site[f"{menu.stem}.html"]
    page = Page(html)
    audit = audit_file(menu)
    headings = [t for t in page.words.split("\n") if t]
    for heading in ("Score", "Key figures", "Menu map", "Findings ("):
        assert any(h.startswith(heading) for h in headings), heading
    svg = _map_svg(html)
    groups = svg.findall(f".//{SVG}g")
    nodes = [g for g in groups if "nd" in (g.get("class") or "").split()]
    assert len(nodes) == len(Scene(audit).layer)  # every step a caller can reach, once
    # Every box tells the second it is reached; ids are only in the tooltips.
    texts = ["".join(t.itertext()) for t in svg.iter(f"{SVG}text")]
    assert sum(1 for t in texts if t.startswith("at ")) == len(nodes)
    assert audit.menu.entry not in texts
    assert all(g.find(f"{SVG}title") is not None for g in nodes)
    assert svg.find(f"{SVG}title") is not None and svg.find(f"{SVG}desc") is not None
    # The route to a person is highlightable and on by default.
    radios = page.all("input", "jr")
    assert radios[0]["id"] == "jr-h" and "checked" in radios[0]
    if audit.metrics.best_route:
        assert any("h" in (p.get("class") or "").split() for p in svg.iter(f"{SVG}path"))
    assert len(radios) == 2 + sum(1 for j in audit.metrics.intent_routes if j.steps)
    assert not page.scripts  # a page needs no script
    assert not re.search(r"\b(?:src|href)=\"(?:https?:)?//", html)  # nothing from a network


def _texts(svg: ET.Element, cls: str) -> list[str]:
    return ["".join(t.itertext()) for t in svg.iter(f"{SVG}text") if t.get("class") == cls]


def test_traps_and_dead_ends_are_marked_on_the_map(site: dict[str, str]) -> None:
    marks = _texts(_map_svg(site["telecom_hell.html"]), "mark")
    assert marks and all("dead end" in m for m in marks)
    water = _map_svg(site["water_utility.html"])
    assert "⚠ trap: no way out" in _texts(water, "mark")


def _box_titles(svg: ET.Element) -> dict[str, tuple[float, str]]:
    """Return each box's title (its bold lines) by its tooltip's first word, the id."""
    out = {}
    for g in svg.iter(f"{SVG}g"):
        if "nd" not in (g.get("class") or "").split():
            continue
        tip = g.find(f"{SVG}title")
        rect = g.find(f"{SVG}rect")
        assert tip is not None and rect is not None
        name = " ".join(_texts(g, "nm"))
        out[(tip.text or "").split()[0]] = (float(rect.get("x", 0)), name)
    return out


def test_the_map_speaks_callers_words(site: dict[str, str]) -> None:
    svg = _map_svg(site["telecom_hell.html"])
    boxes = _box_titles(svg)
    # Options are named by their words and read in spoken order under their menu.
    spoken = ["mobile", "billing", "tech", "upgrades", "leaving", "stores"]
    assert boxes["mobile"][1] == "Press 1 for mobile services."
    assert [boxes[n][0] for n in spoken] == sorted(boxes[n][0] for n in spoken)
    ids = [n for n in boxes if "_" in n]  # ids a caller would never say: tooltips only
    assert ids and not any(n in name for n in ids for _, name in boxes.values())
    # Prompts are quoted on the page itself, not only in tooltips.
    assert "“Mobile services.”" in _texts(svg, "said")
    # Silence and wrong keys are a badge in the menu's box, not stubs of their own.
    assert "silence, wrong key: call ends" in _texts(svg, "err")
    assert len(svg.findall(f".//{SVG}rect[@class='badge']")) == len(_texts(svg, "err"))
    assert not any("#disconnect" in n for n in boxes)
    assert not [p for p in svg.iter(f"{SVG}path") if "dash" in (p.get("class") or "")]
    # A jump back up is a note too, with the option's words: "↩ 9: Press 9 to hear …".
    assert any(t.startswith("↩ 9: Press 9 to hear") for t in _texts(svg, "note"))


def test_repeated_findings_are_folded_by_rule(site: dict[str, str]) -> None:
    audit = audit_file(ROOT / "menus/telecom_hell.yaml")
    n = sum(1 for f in audit.findings if f.rule == "IVR301")
    assert n > 5
    # Findings read by what the rule checks; the id stays beside it, for reference.
    assert f"Key named before its function IVR301 \u00d7 {n}" in re.sub(
        r"[ \t\n]+", " ", Page(site["telecom_hell.html"]).words
    )
    groups = group_findings(audit.findings)
    assert [g.severity for g in groups] == ["warning", "info"]
    assert sum(r.count for g in groups for r in g.rules) == len(audit.findings)


def test_long_durations_read_as_minutes(site: dict[str, str]) -> None:
    words = Page(site["telecom_hell.html"]).words
    assert "8:55" in words  # billing_query, calls.intents.billing_query.seconds_resolved
    assert "535.1" not in words and "696.4" not in words


HOSTILE_BITS = ("<script>", "</svg>", "{{ 7*7 }}", "{% raw %}", "onerror=alert(1)", '"quoted"')


def test_hostile_text_stays_text(site: dict[str, str]) -> None:
    html = site["hostile.html"]
    page = Page(html)
    assert not page.scripts
    assert [t for t, _ in page.elements].count("img") == 0
    assert not any(k.startswith("on") for _, a in page.elements for k in a)
    words = page.words
    for bit in HOSTILE_BITS:
        assert bit in words, bit
    svg = _map_svg(html)  # the map is still well-formed XML
    assert any("</text></svg>" in (t.text or "") for t in svg.iter(f"{SVG}title"))
    index = Page(site["index.html"])
    assert len(index.scripts) == 1
    assert "Evil <script>alert('name')</script>" in index.words


def test_a_menu_page_alone_from_the_cli(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "page.html"
    result = CliRunner().invoke(
        main, ["score", str(ROOT / "menus/city_cabs.yaml"), "--format", "html", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    page = Page(out.read_text(encoding="utf-8"))
    assert "City Cabs booking line" in page.words
    assert not page.all("a", "nav")  # no index to go back to


def test_html_score_takes_one_menu(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["score", str(ROOT / "menus"), "--format", "html"])
    assert result.exit_code == 2
    assert "ivraudit report" in result.output


def test_report_command_writes_the_portfolio(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", str(ROOT / "menus"), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["index.html", *(f"{p.stem}.html" for p in MENUS)]
    )


def test_report_keeps_going_past_a_bad_menu(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("ivraudit: 1\nname: x\nnodes: {main: {options: [{key: 1, goto: nowhere}]}}\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["report", str(bad), str(ROOT / "menus/city_cabs.yaml"), "-o", str(out)]
    )
    assert result.exit_code == 2
    assert re.search(r"bad\.yaml:\d+:\d+: error: ", result.stderr)
    assert (out / "city_cabs.html").is_file() and not (out / "bad.html").exists()


def test_output_is_deterministic() -> None:
    a = audit_file(ROOT / "menus/telecom_hell.yaml")
    assert render_one(a) == render_one(audit_file(ROOT / "menus/telecom_hell.yaml"))


def test_branding_flags_show_and_escape(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG)
    out = tmp_path / "p.html"
    args = ["score", str(ROOT / "menus/city_cabs.yaml"), "--format", "html", "-o", str(out)]
    args += ["--title", "Audit <b>", "--client", "Nimbus & Co", "--logo", str(logo)]
    args += ["--accent", "#FF0", "--footer", "Confidential </footer>"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    page = Page(html)
    for text in ("Audit <b>", "Nimbus & Co", "Confidential </footer>"):
        assert text in page.words
    (img,) = page.all("img")
    assert (img["src"] or "").startswith("data:image/png;base64,")
    assert "--accent: #ffff00; --accent-text: #000000;" in html


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--accent", "red", "#rgb or #rrggbb"),
        ("--accent", "#12345", "#rgb or #rrggbb"),
        ("--accent", "#fff;}body{", "#rgb or #rrggbb"),
        ("--logo", "menus/city_cabs.yaml", "logo must be one of"),
    ],
)
def test_bad_branding_flags_are_usage_errors(flag: str, value: str, message: str) -> None:
    args = ["score", "menus/city_cabs.yaml", "--format", "html", flag, value]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 2
    assert message in result.output


def test_a_logo_that_lies_about_its_type_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "x.png"
    fake.write_text("<svg onload=alert(1)>")
    big = tmp_path / "big.png"
    big.write_bytes(PNG + b"\0" * 300_000)
    for path, message in ((fake, "not a PNG"), (big, "is larger than 256 KiB")):
        result = CliRunner().invoke(
            main, ["score", "menus/city_cabs.yaml", "--format", "html", "--logo", str(path)]
        )
        assert result.exit_code == 2 and message in result.output


def test_branding_from_the_config_with_located_errors(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(PNG)
    menu = tmp_path / "m.yaml"
    menu.write_text((ROOT / "menus/city_cabs.yaml").read_text(encoding="utf-8"))
    cfg = tmp_path / ".ivraudit.yaml"
    cfg.write_text("report:\n  client: From Config\n  logo: logo.png\n  accent: '#6a4c93'\n")
    out = tmp_path / "p.html"
    runner = CliRunner()
    result = runner.invoke(main, ["score", str(menu), "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "From Config" in Page(html).words and "data:image/png;base64," in html
    result = runner.invoke(
        main, ["score", str(menu), "--format", "html", "-o", str(out), "--client", "Flag"]
    )
    assert "Flag" in Page(out.read_text(encoding="utf-8")).words

    cfg.write_text("report:\n  client: ok\n  accent: purple\n")
    result = runner.invoke(main, ["score", str(menu), "--format", "html"])
    assert result.exit_code == 2
    assert f"{cfg}:3:3: error: accent colour must be #rgb or #rrggbb" in result.stderr
    cfg.write_text("report:\n  logo: missing.png\n")
    result = runner.invoke(main, ["score", str(menu), "--format", "html"])
    assert result.exit_code == 2 and f"{cfg}:2:3: error: cannot read logo" in result.stderr
    cfg.write_text("report:\n  colour: '#fff'\n")
    result = runner.invoke(main, ["score", str(menu)])
    assert result.exit_code == 2 and f"{cfg}:2:3: error: 'report' sets some of" in result.stderr


def test_suggestions_render_when_given() -> None:
    audit = audit_file(ROOT / "menus/telecom_hell.yaml")
    figures = {
        "score": 35,
        "time_to_human_seconds": 100.4,
        "typical_call_seconds": 295.7,
        "resolved_share": 1.0,
        "intent_seconds": {},
    }
    after = {**figures, "score": 41, "typical_call_seconds": 277.3}
    sugg = {
        "file": audit.file,
        "name": audit.menu.name,
        "before": figures,
        "suggestions": [
            {
                "id": "cut-preamble:welcome",
                "kind": "cut-preamble",
                "title": "Cut the welcome <message>",
                "why": "It is long.",
                "change": "Say less.",
                "nodes": ["welcome"],
                "line": 16,
                "column": 5,
                "fixes": ["IVR302", "IVR303"],
                "after": after,
                "saves_seconds": 18.4,
                "score_gain": 6,
            },
            {
                "id": "callback:x",
                "kind": "callback",
                "title": "Offer a callback",
                "why": "",
                "change": "",
                "nodes": [],
                "line": 70,
                "column": 3,
                "fixes": [],
                "after": None,
                "saves_seconds": None,
                "score_gain": None,
            },
        ],
        "combined": {"applied": ["cut-preamble:welcome"], "after": after},
        "optimum": {
            "max_options": 5,
            "typical_call_seconds": 218.56,
            "menu": [["billing_query"], [["pay_bill"], ["upgrade", "moving_home"]]],
        },
    }
    html = render_one(audit, Branding(), sugg)
    words = re.sub(r"[ \t\n]+", " ", Page(html).words)
    assert "Fix these first" in words
    assert "Cut the welcome <message>" in words
    assert "saves 18.4\u00a0s per typical call" in words
    assert "4:56 → 4:37" in words and "35 → 41" in words
    assert "Not measured in the model" in words
    assert "takes 3:39 per typical call" in words
    # Without the gap `suggest` measures, the page gives none rather than another one.
    assert "from it today" not in words
    assert "2 → a menu of" in words and "2 → Upgrade, Moving home" in words
    assert "moving_home" not in words


def test_the_gap_to_the_best_menu_is_the_suggest_page_s(tmp_path: Path) -> None:
    """The score page and `suggest --format html` give one distance to the best menu,
    and name its options in words, not intent ids."""
    runner = CliRunner()
    menu = str(ROOT / "menus/telecom_hell.yaml")
    score, sugg = tmp_path / "score.html", tmp_path / "suggest.html"
    runner.invoke(main, ["score", menu, "--format", "html", "-o", str(score)])
    runner.invoke(main, ["suggest", menu, "--format", "html", "-o", str(sugg)])
    here = re.sub(r"[ \t\n]+", " ", Page(score.read_text(encoding="utf-8")).words)
    there = re.sub(r"[ \t\n]+", " ", Page(sugg.read_text(encoding="utf-8")).words)
    now = re.search(r"This menu is ([\d.:]+(?:\xa0s)?) from it now", there)
    assert now, there
    assert f"this menu is {now.group(1)} from it today" in here
    assert "0.0\u00a0s from it today" not in here
    assert "2 → Billing query" in here and "2 → billing_query" not in here


def test_without_suggestions_their_sections_are_left_out() -> None:
    page = build_page(audit_file(ROOT / "menus/city_cabs.yaml"), "x")
    assert not page.suggestions_known and not page.fix_first
    words = Page(render_one(audit_file(ROOT / "menus/city_cabs.yaml"))).words
    assert "Fix these first" not in words and "Suggestions" not in words


def test_page_names_are_distinct_and_safe() -> None:
    assert slugs(["a/x.yaml", "b/x.yaml", "c/X.yml", "index.json", "we ird<>.yaml"]) == (
        "x",
        "x-2",
        "x-3",
        "index-2",
        "we-ird",
    )


@pytest.mark.parametrize("scheme", [LIGHT, DARK], ids=["light", "dark"])
def test_palette_meets_wcag_aa(scheme: dict[str, str]) -> None:
    for name in TEXT_COLOURS:
        for bg in ("bg", "panel"):
            assert contrast(scheme[name], scheme[bg]) >= 4.5, (name, bg)
    for name in MARK_COLOURS:
        for bg in ("bg", "panel"):
            assert contrast(scheme[name], scheme[bg]) >= 3.0, (name, bg)


@pytest.mark.parametrize("accent", ["#000", "#fff", "#0072b2", "#ffff00", "#777777"])
def test_header_text_reads_on_any_accent(accent: str) -> None:
    b = Branding(accent=accent)
    assert contrast(b.accent, b.accent_text) >= 4.5


def test_a_rule_that_fires_thousands_of_times_lists_the_first_hundred() -> None:
    from ivraudit.format.model import Position
    from ivraudit.judge.findings import Finding, Severity

    many = [
        Finding("IVR301", "key-first", Severity.INFO, "prompts", Position("m", i, 1), f"m{i}")
        for i in range(1, 251)
    ]
    (group,) = group_findings(many)
    (rule,) = group.rules
    assert rule.count == 250 and len(rule.items) == 100
    assert rule.items[0].where == "line 1:1"


def test_large_menus_are_reported_without_waiting_for_suggestions() -> None:
    from dataclasses import replace

    from ivraudit.report.fixes import MAX_SUGGEST_NODES, suggestions_for

    audit = audit_file(ROOT / "menus/city_cabs.yaml")
    big = replace(audit, metrics=replace(audit.metrics, nodes=MAX_SUGGEST_NODES + 1))
    assert suggestions_for(big) is None


def test_a_large_menu_maps_its_top_levels_whole() -> None:
    from ivraudit.analysis.outline import Line

    def line(level: int) -> Line:
        return Line(level, f"n{level}", "menu", "1", "", 0.0, 0.0)

    # A root with 3 children of 200 lines each, two levels deep.
    outline = [line(0)]
    for _ in range(3):
        outline += [line(1)] + [line(2)] * 199
    shown = map_lines(outline, limit=400)
    assert [ln.level for ln in shown] == [0, 1, 1, 1]
    assert map_lines(outline[:50], limit=400) == tuple(outline[:50])


def test_report_reads_platform_exports_and_shows_their_assumptions(tmp_path: Path) -> None:
    flows = sorted((REALFLOWS / "amazon-connect").glob("*.json"))[:1]
    if not flows:
        pytest.skip(NO_REALFLOWS)
    result = CliRunner().invoke(
        main, ["report", str(flows[0]), "-o", str(tmp_path), "--hold-seconds", "90"]
    )
    assert result.exit_code == 0, result.output
    page = Page((tmp_path / f"{slugs([str(flows[0])])[0]}.html").read_text(encoding="utf-8"))
    assert "Assumptions" in page.words and "Amazon Connect" in page.words


def test_fix_first_is_measured_gains_and_no_gain_changes_are_listed_in_brief() -> None:
    from ivraudit.report.fixes import suggestions_for

    audit = audit_file(ROOT / "menus/telecom_hell.yaml")
    page = build_page(audit, "x", suggestions=suggestions_for(audit))
    assert page.fix_first and all(f.measured and f.gain for f in page.fix_first)
    assert page.minor_fixes and all(f.gain == "" for f in page.minor_fixes)
    assert not any(f.minor for f in page.fixes)
    html = render_one(audit, Branding(), suggestions_for(audit))
    words = re.sub(r"[ \t\n]+", " ", Page(html).words)
    assert "Also worth doing (no measurable time saved)" in words
    first = words[words.index("Fix these first") : words.index("Key figures")]
    assert "not measured" not in first and "Say the function before the key" not in first


def _boxes(svg: ET.Element) -> list[tuple[float, float, float, float]]:
    return [
        tuple(float(r.get(k, 0)) for k in ("x", "y", "width", "height"))  # type: ignore[misc]
        for r in svg.iter(f"{SVG}rect")
        if r.get("class") == "bx"
    ]


def _ends(path: str) -> tuple[float, float, float, float]:
    numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", path)]
    return numbers[0], numbers[1], numbers[-2], numbers[-1]


@pytest.mark.parametrize("name", ["telecom_hell", "council_services", "city_cabs"])
def test_no_box_or_label_lies_under_a_line(site: dict[str, str], name: str) -> None:
    svg = _map_svg(site[f"{name}.html"])
    boxes = _boxes(svg)
    paths = [p.get("d", "") for p in svg.iter(f"{SVG}path") if "e" in (p.get("class") or "")]
    assert boxes and paths
    for x, y, w, h in boxes:  # boxes do not overlap
        others = [b for b in boxes if b != (x, y, w, h)]
        assert not [
            b
            for b in others
            if b[0] < x + w and x < b[0] + b[2] and b[1] < y + h and y < b[1] + b[3]
        ]
    for d in paths:
        # A line leaves a box's bottom edge and enters the next row's top; a cubic with
        # upright ends stays inside the band between them, where no box stands.
        x1, y1, x2, y2 = _ends(d)
        assert y2 > y1
        assert any(abs(y + h - y1) < 0.05 and x <= x1 <= x + w for x, y, w, h in boxes)
        assert any(abs(y - 3 - y2) < 0.05 and x <= x2 <= x + w for x, y, w, h in boxes)
        assert not [b for b in boxes if b[1] < y2 and b[1] + b[3] > y1 + 0.05]


def test_a_large_menu_is_drawn_in_parts_that_open(tmp_path: Path) -> None:
    from benchmarks.generate import generate_menu

    menu = tmp_path / "big.yaml"
    menu.write_text(generate_menu(150), encoding="utf-8")
    audit = audit_file(menu)
    html = render_one(audit, Branding())
    page = Page(html)
    parts = page.all("details", "mappart")
    assert len(parts) >= 2
    svgs = [
        ET.fromstring(m.group(0)) for m in re.finditer(r'<svg class="map".*?</svg>', html, re.S)
    ]
    assert len(svgs) == len(parts) + 1
    sizes = [len(_boxes(s)) for s in svgs]
    assert max(sizes) <= PICTURE_BOXES
    # Each box once, and each part's top also in the picture above it.
    assert sum(sizes) - len(parts) == len(Scene(audit).layer)
    # A cut box leads to its part, whose content the browser opens on the link.
    links = [a.get("href") for s in svgs for a in s.iter(f"{SVG}a")]
    assert len(links) == len(parts)
    for href in links:
        assert f'<div class="mapwrap" id="{href[1:]}" ' in html
    assert render_one(audit, Branding()) == html  # deterministic


def test_index_top_suggestions_state_seconds_saved_and_headings_show_they_sort(
    site: dict[str, str],
) -> None:
    index = site["index.html"]
    # The committed example index has suggestions; the fixture's site may not.
    committed = (ROOT / "reports/html/index.html").read_text(encoding="utf-8")
    assert "(saves " in committed and "no time saved, score +" in committed
    tops = re.findall(r'data-label="Top suggestion">([^<]*)<', index)
    assert tops
    for top in tops:
        assert top in ("none found", "—") or re.search(r"\((saves |no time saved|not me)", top)
    assert 'aria-sort="ascending">Rank' in index and "<h1>Menus ranked by score</h1>" in index


# -- the portfolio index: what each menu was read from, its summary and the levers


def _row_cells(index: str) -> list[dict[str, str]]:
    rows = []
    for row in re.findall(r"<tr>\n(<td.*?)</tr>", index, re.S):
        cells = re.findall(r'<td[^>]*data-label="([^"]+)"[^>]*>(.*?)</td>', row, re.S)
        rows.append({label: Page(html).words for label, html in cells})
    return rows


def test_the_index_names_placeholders_by_their_file_and_says_what_each_was_read_from(
    tmp_path: Path,
) -> None:
    text = (ROOT / "menus/city_cabs.yaml").read_text(encoding="utf-8")
    named = tmp_path / "acme_main_flow.yaml"
    named.write_text(text.replace("name: City Cabs booking line", "name: '{{flow_name}}'"))
    audits = [audit_file(named), audit_file(ROOT / "menus/trattoria.yaml")]
    flows = sorted((REALFLOWS / "webex").glob("*.json"))
    if flows:
        from ivraudit.audit import audit_menu
        from ivraudit.importers import import_file

        audits.append(audit_menu(import_file(flows[0])))
    rows = _row_cells(build_site(audits)["index.html"])
    by_file = {r["Menu"].split(" ")[0]: r for r in rows}
    assert "acme_main_flow" in by_file and "{{flow_name}}" not in "".join(by_file)
    assert by_file["acme_main_flow"]["Read from"] == "YAML menu"
    assert by_file["acme_main_flow"]["Menu"].endswith("acme_main_flow.yaml")
    if flows:
        assert any(r["Read from"] == "Webex Contact Center flow" for r in rows)


def test_the_index_gives_no_typical_call_or_share_resolved_without_a_call_mix(
    tmp_path: Path,
) -> None:
    """A menu without intents has neither on its page, so its index row shows neither:
    not "never" beside "100%" resolved for a line no caller can leave."""
    stranded = tmp_path / "stranded.yaml"
    stranded.write_text(
        "ivraudit: 1\nname: Stranded\nnodes:\n  main:\n    prompt: Hello.\n"
        "    options:\n      - {key: 1, label: hours, goto: hours}\n"
        "  hours: {type: self_service, prompt: We open at nine.}\n",
        encoding="utf-8",
    )
    audits = [audit_file(FIXTURES / "plain_line.yaml"), audit_file(stranded)]
    audits.append(audit_file(ROOT / "menus/telecom_hell.yaml"))
    rows = {r["Menu"].split(" ")[0]: r for r in _row_cells(build_site(audits)["index.html"])}
    for name in ("Plain", "Stranded"):
        assert rows[name]["Typical call"] == "—" and rows[name]["Calls resolved"] == "—"
    assert rows["Stranded"]["Time to a person"] == "never"
    nimbus = rows["Nimbus"]
    assert nimbus["Typical call"] == "3:34" and nimbus["Calls resolved"] == "61%"
    assert nimbus["Time to a person"] == "62.8\u00a0s"


def test_the_index_worst_is_what_costs_callers_most() -> None:
    from ivraudit.report.fixes import suggestions_for

    audit = audit_file(ROOT / "menus/telecom_hell.yaml")
    site = build_site([audit], suggestions=[suggestions_for(audit)])
    (row,) = _row_cells(site["index.html"])
    worst = row["Costs callers most"]
    # Not the dead end that fires 16 times: the holds of minutes, with what they cost.
    assert "IVR402" not in worst and re.search(r"IVR1(06|09|10)", worst)
    assert re.search(r"costs \d+:\d\d per call on average", worst.replace("\u00a0", " "))


def test_the_index_sums_the_month_of_menus_with_traffic_and_says_which_have_none(
    tmp_path: Path,
) -> None:
    from ivraudit.report.fixes import suggestions_for
    from tests.conftest import WATER_BUSY_HOUR

    water = tmp_path / "water.yaml"
    water.write_text(WATER_BUSY_HOUR, encoding="utf-8")
    names = [water, ROOT / "menus/telecom_hell.yaml", ROOT / "menus/trattoria.yaml"]
    audits = [audit_file(p) for p in names]
    index = build_site(audits, suggestions=[suggestions_for(a) for a in audits])["index.html"]
    words = re.sub(r"\s+", " ", Page(index).words.replace("\u00a0", " "))
    usd, gbp = (a.metrics.calls.month for a in audits[:2])
    assert f"Calls a month{usd.calls + gbp.calls:,.0f} calls" in words
    assert f"USD {usd.cost:,.2f}" in words and f"GBP {gbp.cost:,.2f}" in words
    assert "1 of 3 menus state no calls an hour and are not counted." in words
    levers = re.findall(r'<ol class="fixfirst levers">(.*?)</ol>', index, re.S)
    assert levers and levers[0].count("<li>") == 3
    # Money in two currencies is not compared: the levers say caller-hours and money.
    assert len(re.findall(r"saves (GBP|USD) [\d,.]+ and [\d,.]+ caller-hours a month", words)) == 3
    assert index.index('id="s-month"') < index.index('id="ranking"')


def test_an_index_without_traffic_says_so_and_still_names_levers() -> None:
    from ivraudit.report.fixes import suggestions_for

    audits = [audit_file(ROOT / "menus/trattoria.yaml"), audit_file(HOSTILE)]
    index = build_site(audits, suggestions=[suggestions_for(a) for a in audits])["index.html"]
    words = Page(index).words
    assert "No menu states its calls an hour, so there is no month to total." in words
    assert "Calls a month" not in words


def test_the_score_table_does_not_repeat_its_heading() -> None:
    """The section's heading names the table once; its first column says what a row is."""
    html = render_one(audit_file(ROOT / "menus/city_cabs.yaml"))
    head = re.search(r"<thead><tr><th[^>]*>([^<]*)</th>", html[html.index('id="s-score"') :])
    assert head and head.group(1) == "Part"
    assert html.count(">How the score was made</th>") == 0
