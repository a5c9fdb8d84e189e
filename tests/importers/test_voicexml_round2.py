"""VoiceXML read the way an interpreter runs it (issue 20, point 8): an `<if>` runs one
of its branches, so its branches are the routes of a decision."""

from __future__ import annotations

from pathlib import Path

from ivraudit.format.model import Menu, Node
from ivraudit.importers import import_file
from ivraudit.importers.voicexml import read
from tests.importers.common import assert_imports_as_it_scores, reachable, run, write


def words_on(menu: Menu, start: str) -> list[str]:
    """Return the prompts heard from `start` up to the first node that is not a message."""
    out, node = [], menu.node(start)
    while node.type == "message":
        out.append(node.prompt or "")
        node = menu.node(node.next or "")
    return out


def after_messages(menu: Menu, start: str) -> Node:
    node = menu.node(start)
    while node.type == "message" and node.next:
        node = menu.node(node.next)
    return node


# Three branches that differ in what they say and where they go, then content after the
# </if> that only the branch without a goto reaches.
BRANCHES = """\
<?xml version="1.0"?>
<vxml version="2.1">
  <form id="welcome">
    <block>
      <prompt>Thank you for calling.</prompt>
      <if cond="caller.tier == 'gold'">
        <prompt>Welcome back, gold member.</prompt>
        <goto next="#agent"/>
      <elseif cond="lang == 'es'"/>
        <prompt>Para espanol.</prompt>
        <goto next="#spanish"/>
      <else/>
        <assign name="seen" expr="true"/>
      </if>
      <prompt>Main menu.</prompt>
      <goto next="#main"/>
    </block>
  </form>
  <menu id="main">
    <prompt>For sales press 1. For billing press 2.</prompt>
    <choice dtmf="1" next="#agent">Sales</choice>
    <choice dtmf="2" next="#spanish">Billing</choice>
  </menu>
  <form id="agent">
    <block><transfer dest="tel:+15550100"/></block>
  </form>
  <form id="spanish">
    <block><prompt>Adios.</prompt><disconnect/></block>
  </form>
</vxml>
"""


def test_if_branches_are_a_decision_each_with_its_own_prompts_and_goto(tmp_path: Path) -> None:
    menu = import_file(write(tmp_path, "branches.vxml", BRANCHES))
    assert words_on(menu, menu.entry) == ["Thank you for calling."]
    branch = after_messages(menu, menu.entry)
    assert branch.type == "branch"
    routes = {r.when: r for r in branch.routes}
    assert list(routes) == ["caller.tier == 'gold'", "lang == 'es'", "otherwise"]
    assert {r.share for r in branch.routes} == {1.0}  # equal shares: nothing is known
    gold, spanish, other = (routes[w].goto for w in routes)
    # Each route says its own words and goes its own way; no branch plays another's.
    assert words_on(menu, gold) == ["Welcome back, gold member."]
    assert after_messages(menu, gold).type == "agent"
    assert words_on(menu, spanish) == ["Para espanol.", "Adios."]  # then form 'spanish'
    assert after_messages(menu, spanish).type == "hangup"
    assert words_on(menu, other) == ["Main menu."]  # past the </if>
    assert after_messages(menu, other).id == "main"
    prompts = " ".join(n.prompt or "" for n in menu.nodes)
    assert prompts.count("Welcome back") == 1 and prompts.count("Para espanol") == 1
    # The menu behind the <else/> is reached, and the person behind the first branch.
    assert {"main", "to_tel_15550100"} <= reachable(menu)
    assert any("exactly one of its branches" in a for a in menu.assumptions)


def test_if_without_else_goes_past_it_when_no_condition_holds(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "noelse.vxml",
        """\
        <vxml version="2.1">
          <form id="start">
            <block>
              <if cond="closed"><prompt>We are closed.</prompt><disconnect/></if>
              <prompt>Please hold.</prompt>
              <transfer dest="sip:desk@example.com"/>
            </block>
          </form>
        </vxml>
        """,
    )
    menu = import_file(path)
    branch = menu.node(menu.entry)
    assert [r.when for r in branch.routes] == ["closed", "otherwise"]
    closed, other = (r.goto for r in branch.routes)
    assert words_on(menu, closed) == ["We are closed."]
    assert after_messages(menu, closed).type == "hangup"
    assert words_on(menu, other) == ["Please hold."]
    assert after_messages(menu, other).queue == "sip:desk@example.com"
    # A closed flag not set is the normal way: every call reaches the desk.
    assert {r.when: r.share for r in branch.routes} == {"closed": 0.0, "otherwise": 1.0}


def test_branches_that_only_log_or_assign_decide_nothing(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "quiet.vxml",
        """\
        <vxml version="2.1">
          <form id="start">
            <block>
              <prompt>Hello.</prompt>
              <if cond="debug"><log expr="'in'"/><elseif cond="x"/><assign name="y" expr="1"/>
              <else/><if cond="z"><var name="w"/></if></if>
              <goto next="#bye"/>
            </block>
          </form>
          <form id="bye"><block><prompt>Goodbye.</prompt><exit/></block></form>
        </vxml>
        """,
    )
    menu = import_file(path)
    assert not [n for n in menu.nodes if n.type == "branch"]
    assert words_on(menu, menu.entry) == ["Hello.", "Goodbye."]
    assert not any("exactly one of its branches" in a for a in menu.assumptions)


def test_filled_that_is_not_a_one_key_menu_is_an_input_then_a_decision(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "account.vxml",
        """\
        <vxml version="2.1">
          <form id="account">
            <field name="acct">
              <grammar mode="dtmf" src="builtin:dtmf/digits?length=8"/>
              <prompt>Enter your account number.</prompt>
            </field>
            <filled>
              <if cond="acct.length == 8">
                <prompt>Thank you.</prompt>
                <transfer dest="tel:+15550199"/>
              <else/>
                <prompt>That number is not valid.</prompt>
                <disconnect/>
              </if>
            </filled>
          </form>
        </vxml>
        """,
    )
    menu = import_file(path)
    entry = menu.node(menu.entry)
    assert entry.type == "input" and entry.collects == "acct"
    branch = menu.node(entry.next or "")
    assert [r.when for r in branch.routes] == ["acct.length == 8", "otherwise"]
    valid, invalid = (r.goto for r in branch.routes)
    assert words_on(menu, valid) == ["Thank you."]
    assert after_messages(menu, valid).queue == "tel:+15550199"
    assert words_on(menu, invalid) == ["That number is not valid."]


def test_condition_text_is_kept_on_one_printable_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "cond.vxml",
        '<vxml version="2.1"><form id="f"><block>'
        '<if cond="a &amp;&amp;\n   b\u0085"><prompt>A.</prompt><exit/></if>'
        "<prompt>B.</prompt></block></form></vxml>\n",
    )
    flow = read(path.read_text(encoding="utf-8"), str(path))
    [decision] = [s for s in flow.steps if s.kind == "decision"]
    assert [when for when, _ in decision.routes] == ["a && b", "otherwise"]


def test_import_then_score_equals_score(tmp_path: Path) -> None:
    assert_imports_as_it_scores(write(tmp_path, "branches.vxml", BRANCHES), tmp_path)


def test_many_ifs_in_a_row_and_deeply_nested_are_read_without_recursing(
    tmp_path: Path,
) -> None:
    row = "".join(f'<if cond="v{i}"><prompt>P{i}.</prompt></if>' for i in range(5000))
    path = write(
        tmp_path,
        "row.vxml",
        f'<vxml version="2.1"><form id="f"><block>{row}<exit/></block></form></vxml>\n',
    )
    flow = read(path.read_text(encoding="utf-8"), str(path))
    assert sum(s.kind == "decision" for s in flow.steps) == 5000
    # Ids grow from the block's, not from each other: the last is as short as the first.
    assert max(len(s.id) for s in flow.steps) < 30
    nested = '<if cond="c"><prompt>In.</prompt>' * 150 + "<exit/>" + "</if>" * 150
    deep = write(
        tmp_path,
        "deep.vxml",
        f'<vxml version="2.1"><form id="f"><block>{nested}</block></form></vxml>\n',
    )
    result = run("score", str(deep), "--format", "json")
    assert result.exit_code == 0, result.output
    # Conditions only, the one prompt at the bottom: as deep as the XML reader allows.
    bare = '<if cond="c">' * 196 + "<prompt>Bottom.</prompt>" + "</if>" * 196
    deepest = write(
        tmp_path,
        "deepest.vxml",
        f'<vxml version="2.1"><form id="f"><block>{bare}</block></form></vxml>\n',
    )
    flow = read(deepest.read_text(encoding="utf-8"), str(deepest))
    assert sum(s.kind == "decision" for s in flow.steps) == 196


def test_a_submit_in_a_branch_leaves_for_its_document(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "submit.vxml",
        """\
        <vxml version="2.1">
          <form id="f">
            <field name="acct"><prompt>Your account number?</prompt></field>
            <filled>
              <if cond="acct.length == 8"><submit next="lookup.jsp" namelist="acct"/>
              <else/><prompt>Goodbye.</prompt><exit/></if>
            </filled>
          </form>
        </vxml>
        """,
    )
    menu = import_file(path)
    branch = menu.node(menu.node(menu.entry).next or "")
    found = menu.node(branch.routes[0].goto)
    assert found.type == "self_service" and found.id == "flow_lookup.jsp"


def test_a_goto_by_expression_is_followed_or_named_not_a_hang_up(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "expr.vxml",
        """\
        <vxml version="2.1">
          <form id="f">
            <block>
              <if cond="vip"><goto expr="'#desk'"/>
              <else/><goto expr="application.nextPage"/></if>
            </block>
          </form>
          <form id="desk"><block><transfer dest="tel:+15550100"/></block></form>
        </vxml>
        """,
    )
    menu = import_file(path)
    vip, other = (menu.node(r.goto) for r in menu.node(menu.entry).routes)
    assert vip.type == "agent" and vip.queue == "tel:+15550100"
    assert other.type == "self_service" and other.id == "flow_application.nextPage"
