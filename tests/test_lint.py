"""The rules engine through the library: suppressions, configuration, order, the score cap."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

import pytest

from ivraudit import MenuError, Severity, audit_menu, build_graph, compute_metrics, loads_menu
from ivraudit.format.loader import load_menu
from ivraudit.judge.config import Config
from ivraudit.judge.findings import Finding
from ivraudit.judge.lint import run_rules
from tests.conftest import ROOT

# IVR402 twice at main (5:5) and twice at sales (10:5); IVR301 at 6:9 and 7:9 (node main).
MENU = textwrap.dedent(
    """\
    ivraudit: 1
    name: Lint
    nodes:
      main:
        options:
          - {key: 1, say: "Press 1 for sales.", goto: sales}
          - {key: 2, say: "Press 2 for news.", goto: news}
          - {key: 0, label: a person, goto: desk}
      sales:
        options:
          - {key: 1, label: offers, goto: offers}
          - {key: 0, label: a person, goto: desk}
      news: {type: self_service, prompt: "No news."}
      offers: {type: self_service, prompt: "Ten percent off."}
      desk: {type: agent}
    """
)
MAIN_402 = [("IVR402", "main", 5, 5)] * 2
MAIN_301 = [("IVR301", "main", 6, 9), ("IVR301", "main", 7, 9)]
SALES_402 = [("IVR402", "sales", 10, 5)] * 2
BASE = MAIN_402 + MAIN_301 + SALES_402

# A trap: 'news' leads only back to itself (IVR401, an error, at 10:9).
TRAP = textwrap.dedent(
    """\
    ivraudit: 1
    name: Trap
    nodes:
      main:
        options:
          - {key: 1, label: the news, goto: news}
          - {key: 0, label: a person, goto: desk}
        no_input: {goto: desk}
        no_match: {goto: desk}
      news: {type: message, prompt: "None.", next: news}
      desk: {type: agent}
    """
)


def lint(text: str, config: Config | None = None, source: str = "m.yaml") -> tuple[Finding, ...]:
    """Return the findings of every enabled rule on the menu `text`."""
    menu = loads_menu(text, source)
    g = build_graph(menu)
    return run_rules(menu, g, compute_metrics(menu, g), config or Config())


def places(findings: tuple[Finding, ...]) -> list[tuple[str, str | None, int, int]]:
    """Return (rule, node, line, column) of each finding."""
    return [(f.rule, f.node, f.pos.line, f.pos.column) for f in findings]


def after_line(text: str, line: str, insert: str) -> str:
    """Return `text` with `insert` as a new line after the first line equal to `line`."""
    lines = text.splitlines(keepends=True)
    i = lines.index(line + "\n")
    return "".join([*lines[: i + 1], insert + "\n", *lines[i + 1 :]])


def on_line(text: str, line: str, comment: str) -> str:
    """Return `text` with `comment` appended to the first line equal to `line`."""
    assert line + "\n" in text
    return text.replace(line + "\n", f"{line}  {comment}\n", 1)


def shifted(findings: list[tuple[str, str, int, int]], after: int) -> list:
    """Return `findings` with those below line `after` moved one line down."""
    return [(r, n, line + (line > after), c) for r, n, line, c in findings]


MAIN = "  main:"
SALES = "  sales:"
OPT1 = '      - {key: 1, say: "Press 1 for sales.", goto: sales}'
OPT2 = '      - {key: 2, say: "Press 2 for news.", goto: news}'
NEWS = '  news: {type: self_service, prompt: "No news."}'
ZERO = "      - {key: 0, label: a person, goto: desk}"  # main's (line 8), then sales' (12)
NEWS_IGNORE = '  news: {type: self_service, prompt: "No news.", ignore: {IVR999: typo}}'


def test_the_base_menu() -> None:
    """The menu the suppression tests start from has the findings they silence."""
    assert places(lint(MENU)) == BASE


# -- suppressions that silence -----------------------------------------------------


def _sales_ignore(rule: str) -> Callable[[str], str]:
    """Return an edit adding `ignore: {RULE: reason}` to sales, after its options (line 13)."""

    def edit(text: str) -> str:
        lines = text.splitlines(keepends=True)
        return "".join(
            [*lines[:12], f'    ignore: {{{rule}: "the desk calls back"}}\n', *lines[12:]]
        )

    return edit


@pytest.mark.parametrize(
    ("edit", "left"),
    [
        pytest.param(_sales_ignore("IVR402"), MAIN_402 + MAIN_301, id="node-ignore-id"),
        pytest.param(_sales_ignore("dead-end"), MAIN_402 + MAIN_301, id="node-ignore-alias"),
        pytest.param(_sales_ignore("ivr402"), MAIN_402 + MAIN_301, id="node-ignore-lower-id"),
        pytest.param(
            lambda t: after_line(t, ZERO, "    ignore: {dead-end: x}"),
            MAIN_301 + shifted(SALES_402, 8),
            id="node-ignore-only-that-rule",
        ),
        pytest.param(
            lambda t: on_line(t, OPT1, "# ivraudit: ignore[IVR301] our brand"),
            [*MAIN_402, MAIN_301[1], *SALES_402],
            id="comment-on-the-finding-line",
        ),
        pytest.param(
            lambda t: on_line(t, OPT2, "# ivraudit: ignore[key-first] our brand"),
            [*MAIN_402, MAIN_301[0], *SALES_402],
            id="comment-alias",
        ),
        pytest.param(
            lambda t: on_line(t, SALES, "# ivraudit: ignore[IVR402] the desk calls back"),
            MAIN_402 + MAIN_301,
            id="comment-on-the-node-id-line",
        ),
        pytest.param(
            lambda t: on_line(t, MAIN, "# ivraudit: ignore[IVR301] house style"),
            MAIN_402 + SALES_402,
            id="comment-on-the-id-line-covers-all-the-nodes-lines",
        ),
        pytest.param(
            lambda t: on_line(t, MAIN, "# ivraudit: ignore[IVR402, key-first] legacy"),
            SALES_402,
            id="comment-two-rules",
        ),
        pytest.param(
            lambda t: on_line(t, MAIN, "#ivraudit:ignore[dead-end,IVR301] legacy"),
            SALES_402,
            id="comment-tight-spacing",
        ),
    ],
)
def test_suppressions_silence_only_their_rule_and_place(
    edit: Callable[[str], str], left: list
) -> None:
    """Each suppression removes exactly the findings of its rule at its node or line."""
    assert places(lint(edit(MENU))) == left


# -- suppressions that are themselves findings --------------------------------------


def _col(line: str) -> int:
    """Return the 1-based column of the first `#` on `line`."""
    return line.index("#") + 1


@pytest.mark.parametrize(
    ("edit", "where", "node", "message", "left"),
    [
        pytest.param(
            lambda t: on_line(t, NEWS, "# ivraudit: ignore[IVR205] old"),
            (13, _col(NEWS + "  #")),
            None,
            "suppression of IVR205 silences nothing here; remove it",
            BASE,
            id="comment-unused",
        ),
        pytest.param(
            lambda t: on_line(t, NEWS, "# ivraudit: ignore[IVR999] typo"),
            (13, _col(NEWS + "  #")),
            None,
            "suppression names 'IVR999', which is no rule (see `ivraudit rules`)",
            BASE,
            id="comment-unknown",
        ),
        pytest.param(
            lambda t: on_line(t, SALES, "# ivraudit: ignore[IVR402, IVR301] both"),
            (9, _col(SALES + "  #")),
            None,
            "suppression of IVR301 silences nothing here; remove it",
            MAIN_402 + MAIN_301,
            id="comment-one-of-two-unused",
        ),
        pytest.param(
            lambda t: after_line(t, MAIN, "    # ivraudit: ignore[IVR402] on its own line"),
            (5, 5),
            None,
            "suppression of IVR402 silences nothing here; remove it",
            shifted(BASE, 4),
            id="comment-on-a-line-of-its-own",
        ),
        pytest.param(
            lambda t: t.replace(NEWS, NEWS_IGNORE),
            (13, NEWS_IGNORE.index("IVR999") + 1),
            "news",
            "suppression names 'IVR999', which is no rule (see `ivraudit rules`)",
            BASE,
            id="node-ignore-unknown",
        ),
        pytest.param(
            _sales_ignore("key-first"),
            (13, 14),
            "sales",
            "suppression of key-first silences nothing here; remove it",
            BASE,
            id="node-ignore-of-another-nodes-rule",
        ),
    ],
)
def test_unused_and_unknown_suppressions_are_reported_where_they_stand(
    edit: Callable[[str], str],
    where: tuple[int, int],
    node: str | None,
    message: str,
    left: list,
) -> None:
    """A suppression that silences nothing, or names no rule, is an IVR901 at its place."""
    got = lint(edit(MENU))
    stale = [f for f in got if f.rule == "IVR901"]
    assert [(f.pos.line, f.pos.column, f.node, f.message) for f in stale] == [
        (*where, node, message)
    ]
    assert stale[0].severity is Severity.WARNING and stale[0].name == "unused-suppression"
    assert places(tuple(f for f in got if f.rule != "IVR901")) == left


@pytest.mark.parametrize(
    ("config", "stale"),
    [
        (Config(), 0),
        (Config(ignore=frozenset({"IVR402"})), 1),
        (Config(select=frozenset({"IVR301", "IVR901"})), 1),
        (Config(per_file_ignores=(("m.yaml", frozenset({"IVR402"})),)), 1),
        (Config(ignore=frozenset({"IVR402", "IVR901"})), 0),
        (Config(select=frozenset({"IVR301"})), 0),
    ],
    ids=["enabled", "ignored", "not-selected", "per-file-ignored", "IVR901-off", "only-IVR301"],
)
def test_a_suppression_of_a_disabled_rule_is_unused(config: Config, stale: int) -> None:
    """Intended, like ruff's RUF100: a suppression of a rule the config turns off is unused."""
    # It silences nothing, so it is reported unless IVR901 itself is off. Stale ones would
    # otherwise pile up, and hide real findings again when the rule is turned back on.
    text = on_line(MENU, SALES, "# ivraudit: ignore[IVR402] the desk calls back")
    got = lint(text, config)
    assert [f.pos.line for f in got if f.rule == "IVR901"] == [9] * stale
    assert not [f for f in got if f.rule == "IVR402" and f.node == "sales"]


@pytest.mark.parametrize(
    ("insert", "line", "column"),
    [
        (lambda t: on_line(t, MAIN, "# ivraudit: ignore[] no rules named"), 4, 10),
        (lambda t: "# ivraudit: ignore[ , ] none\n" + t, 1, 1),
        (lambda t: after_line(t, MAIN, "    # ivraudit: ignore[]"), 5, 5),
        (lambda t: on_line(t, NEWS, "#ivraudit: ignore[,]"), 13, _col(NEWS + "  #")),
    ],
    ids=["after-a-key", "first-line", "own-line", "only-commas"],
)
def test_a_suppression_naming_no_rule_is_an_input_error(
    insert: Callable[[str], str], line: int, column: int
) -> None:
    """`ignore[]` names nothing: a MenuError at the comment, not a silent no-op."""
    with pytest.raises(MenuError) as caught:
        loads_menu(insert(MENU), "m.yaml")
    err = caught.value
    assert (err.file, err.line, err.column) == ("m.yaml", line, column)
    assert "name the rules to ignore" in err.message


# -- configuration ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "source", "applies"),
    [
        ("m.yaml", "m.yaml", True),
        ("*.yaml", "menus/m.yaml", True),
        ("legacy/*.yaml", "legacy/m.yaml", True),
        ("legacy/*.yaml", "menus/legacy/m.yaml", True),
        ("legacy/*.yaml", "/srv/menus/legacy/m.yaml", True),
        ("legacy/*.yaml", "menus\\legacy\\m.yaml", True),
        ("menus/legacy/*.yaml", "menus/legacy/m.yaml", True),
        ("legacy/*.yaml", "m.yaml", False),
        ("legacy/*.yaml", "notlegacy/m.yaml", False),
        ("legacy/*.yml", "legacy/m.yaml", False),
        ("other.yaml", "m.yaml", False),
    ],
)
def test_per_file_ignores_patterns(pattern: str, source: str, applies: bool) -> None:
    """A pattern matches the menu's path, or a tail of it after a folder separator."""
    config = Config(per_file_ignores=((pattern, frozenset({"IVR402", "IVR301"})),))
    rules = {f.rule for f in lint(MENU, config, source)}
    assert rules == (set() if applies else {"IVR402", "IVR301"})


def test_severity_overrides_change_only_the_named_rules() -> None:
    """`severity` restamps each finding of a rule; the others keep their own."""
    config = Config(severity={"IVR402": Severity.ERROR, "IVR301": Severity.WARNING})
    assert {(f.rule, f.severity) for f in lint(MENU)} == {
        ("IVR402", Severity.WARNING),
        ("IVR301", Severity.INFO),
    }
    assert {(f.rule, f.severity) for f in lint(MENU, config)} == {
        ("IVR402", Severity.ERROR),
        ("IVR301", Severity.WARNING),
    }
    stale = on_line(MENU, NEWS, "# ivraudit: ignore[IVR205] old")
    (meta,) = [
        f for f in lint(stale, Config(severity={"IVR901": Severity.INFO})) if f.rule == "IVR901"
    ]
    assert meta.severity is Severity.INFO


@pytest.mark.parametrize(
    ("options", "extra"),
    [
        ({}, []),
        ({"IVR201": {"max_presses": 2}}, []),
        ({"IVR201": {"max_presses": 1}}, [("IVR201", "offers", 14, 11)]),
        ({"IVR202": {"max_options": 3}}, []),
        ({"IVR202": {"max_options": 2}}, [("IVR202", "main", 5, 5)]),
    ],
    ids=["defaults", "depth-2", "depth-1", "options-3", "options-2"],
)
def test_options_override_thresholds(options: dict, extra: list) -> None:
    """A rule's options from the config replace its defaults."""
    got = places(lint(MENU, Config(options=options)))
    assert sorted(got) == sorted(BASE + extra)


def test_findings_are_sorted_by_file_line_column_rule() -> None:
    """Findings come in place order, rules breaking ties, whatever order the rules ran in."""
    menu = load_menu(ROOT / "menus" / "telecom_hell.yaml")
    g = build_graph(menu)
    got = run_rules(menu, g, compute_metrics(menu, g))
    keys = [(f.pos.file, f.pos.line, f.pos.column, f.rule) for f in got]
    assert keys == sorted(keys)
    assert len({k[1:3] for k in keys}) < len(keys)  # several findings share a place
    ties = [k[3] for k in keys if k[1:3] == (31, 5)]
    assert ties == ["IVR104", "IVR302", "IVR402", "IVR402"]


# -- the score -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "config", "capped_by"),
    [
        (TRAP, None, ("IVR401",)),
        (TRAP.replace("next: news}", 'next: news, ignore: {trap: "being rebuilt"}}'), None, ()),
        (TRAP.replace("next: news}", "next: news}  # ivraudit: ignore[IVR401] rebuilt"), None, ()),
        (TRAP, Config(ignore=frozenset({"IVR401"})), ()),
        (TRAP, Config(severity={"IVR401": Severity.WARNING}), ()),
    ],
    ids=["found", "node-ignore", "comment", "config-ignore", "downgraded"],
)
def test_only_error_findings_left_after_suppression_cap_the_score(
    text: str, config: Config | None, capped_by: tuple[str, ...]
) -> None:
    """A suppressed (or downgraded) error no longer holds the score in the poor band."""
    audit = audit_menu(loads_menu(text, "m.yaml"), config)
    assert audit.score.capped_by == capped_by
    assert [f.rule for f in audit.findings if f.rule == "IVR901"] == []
    if capped_by:
        assert audit.score.value <= 49 < (audit.score.uncapped or 0)
    else:
        assert audit.score.value > 49 and audit.score.uncapped is None


# -- known bugs ------------------------------------------------------------------------


def test_a_suppression_inside_a_quoted_prompt_is_not_a_comment() -> None:
    """Text in a prompt is what callers hear, never a suppression."""
    text = MENU.replace(
        "    options:\n", '    prompt: "Then # ivraudit: ignore[IVR402] x"\n    options:\n', 1
    )
    got = places(lint(text))
    assert got == [("IVR402", "main", 5, 5)] * 2 + shifted(MAIN_301 + SALES_402, 5)
