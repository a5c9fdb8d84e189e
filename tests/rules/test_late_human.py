"""IVR105: the nearest person by menu choices, and the route its message shows."""

from __future__ import annotations

from tests.rules.common import findings

DEEP = """\
ivraudit: 1
name: Deep
nodes:
  main: {options: [{key: 1, label: more, goto: b}, {key: 2, label: hours, goto: hours}]}
  b: {options: [{key: 3, label: more, goto: c}]}
  c: {options: [{key: 1, label: more, goto: checking}]}
  checking:
    type: branch
    routes:
      - {when: office open, share: 0.8, goto: d}
      - {when: office closed, share: 0.2, goto: hours}
  d:
    options: [{key: 1, label: more, goto: e}]
    no_match: {goto: desk}
  e: {options: [{key: 1, label: a person, goto: far}]}
  hours: {type: self_service, prompt: "We open at nine."}
  far: {type: agent}
  desk: {type: agent}
"""


def test_message_names_the_nearest_person_and_the_route() -> None:
    (finding,) = findings(DEEP, "IVR105")
    assert finding.node == "desk"
    assert finding.message == (
        "the nearest person, 'desk', takes 4 menu choices to reach (more than 3), "
        "via main (key 1) → b (key 3) → c (key 1) → checking (80% route) → d (a wrong key) → desk"
    )


def test_limit_is_an_option() -> None:
    assert findings(DEEP, "IVR105", {"max_menus": 4}) == []
    assert len(findings(DEEP, "IVR105", {"max_menus": 2})) == 1


def test_the_count_is_the_contract_figure() -> None:
    from ivraudit import build_graph, compute_metrics, loads_menu

    menu = loads_menu(DEEP, "m.yaml")
    assert compute_metrics(menu, build_graph(menu)).time_to_human_presses == 4
