"""IVR401: how trapped nodes are grouped into regions and where each region is reported."""

from __future__ import annotations

from tests.rules.common import findings

EXITS = """\
  main:
    options:
      - {key: 1, label: the news, goto: news}
      - {key: 2, label: the quiz, goto: quiz}
      - {key: 0, label: a person, goto: desk}
    no_input: {goto: desk}
    no_match: {goto: desk}
  desk: {type: agent}
"""


def _menu(nodes: str, entry: str = "main") -> str:
    return f"ivraudit: 1\nname: T\nentry: {entry}\nnodes:\n{EXITS}{nodes}"


def test_one_finding_per_region_listing_its_nodes_in_file_order() -> None:
    text = _menu(
        """\
  quiz_menu:
    options: [{key: 1, label: again, goto: quiz}]
    no_input: {goto: quiz}
    no_match: {goto: quiz_menu}
  quiz: {type: message, prompt: "Q?", next: quiz_menu}
  news: {type: message, prompt: "None.", next: news_more}
  news_more: {type: message, prompt: "Still none.", next: news}
"""
    )
    got = findings(text, "IVR401")
    assert [f.node for f in got] == ["quiz", "news"]  # file order of the doors
    assert "(trapped: 'quiz_menu', 'quiz')" in got[0].message
    assert "(trapped: 'news', 'news_more')" in got[1].message
    assert got[0].message.startswith("callers who reach 'quiz' can never get to a person")


def test_the_door_is_where_callers_come_in_not_the_first_node_in_the_file() -> None:
    # 'a' comes first in the file and has as few presses as 'b', but only 'b' is entered.
    text = _menu(
        """\
  a: {type: message, prompt: "A.", next: b}
  b: {type: message, prompt: "B.", next: a}
  news: {type: message, prompt: "None.", next: b}
  quiz: {type: hangup}
"""
    )
    got = findings(text, "IVR401")
    assert [f.node for f in got] == ["news"]
    assert "(trapped: 'a', 'b', 'news')" in got[0].message


def test_nodes_fed_by_a_loop_belong_to_its_region() -> None:
    # A trapped branch feeding two loops joins them into one weakly connected region.
    text = _menu(
        """\
  news:
    type: branch
    routes:
      - {when: morning, share: 1, goto: loop1}
      - {when: evening, share: 1, goto: loop2}
  loop1: {type: message, prompt: "1.", next: loop1}
  loop2: {type: message, prompt: "2.", next: loop2}
  quiz: {type: hangup}
"""
    )
    got = findings(text, "IVR401")
    assert len(got) == 1 and got[0].node == "news"


def test_a_branch_with_one_way_out_is_not_trapped_but_its_closed_route_is() -> None:
    text = _menu(
        """\
  news:
    type: branch
    routes:
      - {when: open, share: 1, goto: desk}
      - {when: closed, share: 1, goto: hold}
  hold: {type: message, prompt: "Please hold.", next: hold}
  quiz: {type: hangup}
"""
    )
    assert [f.node for f in findings(text, "IVR401")] == ["hold"]


def test_an_entry_inside_the_trap_is_the_door() -> None:
    text = """\
ivraudit: 1
name: T
entry: b
nodes:
  a: {type: message, prompt: "A.", next: b}
  b: {type: message, prompt: "B.", next: a}
"""
    got = findings(text, "IVR401")
    assert [f.node for f in got] == ["b"]


def test_long_regions_are_listed_in_part() -> None:
    loop = "".join(
        f'  n{i}: {{type: message, prompt: "{i}.", next: n{(i + 1) % 9}}}\n' for i in range(9)
    )
    text = _menu(loop + '  news: {type: message, prompt: "x", next: n0}\n  quiz: {type: hangup}\n')
    (got,) = findings(text, "IVR401")
    assert got.message.endswith("'n4', 'n5' and 4 more)")


def test_a_disconnect_is_a_way_out() -> None:
    # Without handlers the loop's menu disconnects: IVR402's concern, not a trap.
    text = _menu(
        """\
  news: {type: message, prompt: "None.", next: again}
  again:
    options: [{key: 1, label: the news, goto: news}]
  quiz: {type: hangup}
"""
    )
    assert findings(text, "IVR401") == []
