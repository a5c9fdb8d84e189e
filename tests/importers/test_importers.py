"""Importers on small inline exports: detection, the mapping on its own, assumptions,
options, and hostile input refused in one located line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ivraudit.format.errors import MenuError
from ivraudit.format.model import Position
from ivraudit.importers import REGISTRY, guess, import_file
from ivraudit.importers.flow import Choice, Flow, Settings, Step, to_menu
from tests.importers.common import run, write

ROOT = Path(__file__).resolve().parents[2]


def at(line: int) -> Position:
    return Position("f", line, 1)


# -- the mapping, without any platform -----------------------------------------------


def test_mapping_merges_transfers_skips_passes_and_lists_assumptions_once() -> None:
    flow = Flow(
        "test",
        "Test platform",
        "Shop",
        "log",
        (
            Step("log", "pass", at(1), next="menu"),
            Step(
                "menu",
                "menu",
                at(2),
                name="main",
                prompt="<speak>Press 1 for sales, 2 for help.</speak>",
                choices=(
                    Choice("1", "q1", at(3)),
                    Choice("2", "q2", at(4)),
                    Choice("22", None, at(5)),
                ),
                no_input="menu",
                retries=0,
                timeout=7,
            ),
            Step("q1", "queue", at(6), target="Sales"),
            Step("q2", "queue", at(7), target="Sales"),
            Step("greet", "message", at(8), audio="hello.wav", next="menu"),
        ),
        at(1),
    )
    menu = to_menu(flow, Settings(holds={"Sales": 12.0}), "f")
    assert menu.entry == "main"
    assert [n.id for n in menu.nodes] == ["main", "queue_Sales"]  # one node per queue
    main = menu.node("main")
    assert main.prompt == "Press 1 for sales, 2 for help."  # SSML tags are not spoken
    assert [(o.key, o.goto) for o in main.options] == [("1", "queue_Sales"), ("2", "queue_Sales")]
    assert main.no_input is not None and main.no_input.goto == "main"
    assert menu.node("queue_Sales").hold_seconds == 12.0
    assert menu.timing.timeout_seconds == 7.0
    assert menu.assumptions == (
        "read as Test platform (test)",
        "entries that are not one key (22) are not counted as options",
        "hold time of 'Sales': 12 s, given",
    )


def test_audio_prompt_gets_the_prompt_seconds_and_one_assumption() -> None:
    steps = (
        Step("a", "message", at(1), audio="a.wav", next="b"),
        Step("b", "message", at(2), audio="b.wav", next=None),
    )
    menu = to_menu(Flow("t", "T", "n", "a", steps, at(1)), Settings(prompt_seconds=2.5), "f")
    assert [n.prompt_seconds for n in menu.nodes if n.type == "message"] == [2.5, 2.5]
    notes = [a for a in menu.assumptions if "audio" in a]
    assert notes == [
        "2 audio files play without text; each is counted as 2.5 s "
        "(--prompt-seconds): timing is estimated"
    ]


def test_a_loop_of_silent_steps_ends_the_call_instead_of_hanging() -> None:
    steps = (Step("a", "pass", at(1), next="b"), Step("b", "pass", at(2), next="a"))
    menu = to_menu(Flow("t", "T", "n", "a", steps, at(1)), Settings(), "f")
    assert [n.type for n in menu.nodes] == ["hangup"]


def test_a_long_chain_does_not_recurse() -> None:
    steps = tuple(
        Step(f"s{i}", "message", at(i + 1), prompt="Hello.", next=f"s{i + 1}") for i in range(5000)
    )
    menu = to_menu(Flow("t", "T", "n", "s0", steps, at(1)), Settings(), "f")
    assert len(menu.nodes) == 5001


# -- detection -----------------------------------------------------------------------


def test_our_own_menus_are_never_taken_for_an_export() -> None:
    for path in sorted((ROOT / "menus").glob("*.yaml")):
        assert guess(path.read_text(encoding="utf-8")) is None, path
    assert guess('{"ivraudit": 1, "name": "x", "nodes": {}}') is None


def test_our_format_behaves_as_before_even_when_broken(tmp_path: Path) -> None:
    path = write(tmp_path, "m.yaml", "name: x\nnodes: {}\n")
    result = run("score", str(path))
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"{path}:1:1: error: missing required key 'ivraudit' (the format version: 1)\n"
    )


def test_every_importer_is_named_for_from_and_listed(tmp_path: Path) -> None:
    listed = run("import", "--list")
    assert listed.exit_code == 0
    for name, importer in REGISTRY.items():
        assert f"{name} " in listed.output and importer.title in listed.output


# -- options and configuration -------------------------------------------------------

CONNECT = json.dumps(
    {
        "Version": "2019-10-30",
        "StartAction": "m",
        "Actions": [
            {
                "Identifier": "m",
                "Type": "GetParticipantInput",
                "Parameters": {"PromptId": "arn:aws:connect:x:1:instance/i/prompt/hello.wav"},
                "Transitions": {
                    "Conditions": [
                        {"NextAction": "q", "Condition": {"Operator": "Equals", "Operands": ["1"]}}
                    ]
                },
            },
            {
                "Identifier": "q",
                "Type": "UpdateContactTargetQueue",
                "Parameters": {"QueueId": "arn:aws:connect:x:1:instance/i/queue/Billing"},
                "Transitions": {"NextAction": "t"},
            },
            {"Identifier": "t", "Type": "TransferContactToQueue", "Transitions": {}},
        ],
    },
    indent=1,
)


def test_config_import_table_sets_prompt_and_hold_and_options_override(tmp_path: Path) -> None:
    flow = write(tmp_path, "flow.json", CONNECT)
    write(
        tmp_path, ".ivraudit.yaml", "import:\n  prompt-seconds: 3\n  hold-seconds: {Billing: 45}\n"
    )
    data = json.loads(run("score", str(flow), "--format", "json").stdout)
    assert "hold time of 'Billing': 45 s, given" in data["assumptions"]
    assert any("counted as 3 s" in a for a in data["assumptions"])
    data = json.loads(
        run(
            "score",
            str(flow),
            "--format",
            "json",
            "--hold-seconds",
            "Billing=5",
            "--prompt-seconds",
            "1",
        ).stdout
    )
    assert "hold time of 'Billing': 5 s, given" in data["assumptions"]
    assert any("counted as 1 s" in a for a in data["assumptions"])


def test_bad_import_table_is_one_located_error(tmp_path: Path) -> None:
    flow = write(tmp_path, "flow.json", CONNECT)
    write(tmp_path, ".ivraudit.yaml", "import:\n  hold-seconds: lots\n")
    result = run("score", str(flow))
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert ":2:" in line and "hold-seconds" in line


def test_bad_hold_option_and_calls_file_are_usage_errors(tmp_path: Path) -> None:
    flow = write(tmp_path, "flow.json", CONNECT)
    bad = run("score", str(flow), "--hold-seconds", "Billing=soon")
    assert bad.exit_code == 2 and "QUEUE=SECONDS" in bad.stderr
    calls = write(tmp_path, "calls.csv", "path,calls\n1,many\n")
    result = run("score", str(flow), "--calls", str(calls))
    assert result.exit_code == 2
    assert result.stderr == f"{calls}:2:3: error: 'many' is not a number of calls\n"


def test_imported_file_header_names_source_and_assumptions(tmp_path: Path) -> None:
    flow = write(tmp_path, "flow.json", CONNECT)
    out = tmp_path / "menu.yaml"
    assert run("import", str(flow), "-o", str(out)).exit_code == 0
    head = out.read_text(encoding="utf-8").splitlines()[:6]
    assert head == [
        f"# Imported by ivraudit from {flow}",
        "# Assumptions (the export does not say):",
        "#   - read as Amazon Connect flow (amazon-connect)",
        "#   - an audio file plays without text; each is counted as 4 s "
        "(--prompt-seconds): timing is estimated",
        "#   - hold time of 'Billing': 60 s, assumed (--hold-seconds QUEUE=SECONDS)",
        "ivraudit: 1",
    ]


def test_text_report_lists_the_assumptions(tmp_path: Path) -> None:
    flow = write(tmp_path, "flow.json", CONNECT)
    result = run("score", str(flow), "--width", "160")
    assert result.exit_code == 0
    assert "Assumptions (the export does not say; see docs/importers.md):" in result.output
    assert "hold time of 'Billing': 60 s, assumed" in result.output


def test_diff_compares_two_exports(tmp_path: Path) -> None:
    old = write(tmp_path, "old.json", CONNECT)
    new = write(tmp_path, "new.json", CONNECT.replace('"1"', '"0"'))
    result = run("diff", str(old), str(new), "--format", "json")
    assert result.exit_code == 0, result.output


# -- hostile input ---------------------------------------------------------------------

HOSTILE = {
    "laughs.vxml": (
        '<?xml version="1.0"?>\n<!DOCTYPE l [<!ENTITY a "x"><!ENTITY b "&a;&a;">]>\n'
        '<vxml version="2.1"><menu id="m"><prompt>&b;</prompt></menu></vxml>\n',
        (2, 1),
        "DTDs, entities and external references are refused",
    ),
    "external.vxml": (
        '<?xml version="1.0"?>\n<!DOCTYPE l [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
        '<vxml version="2.1"><menu id="m"><prompt>&e;</prompt></menu></vxml>\n',
        (2, 1),
        "DTDs, entities and external references are refused",
    ),
    "page.vxml": (
        '<vxml version="2.1">\n  <menu id="m"><prompt>Hi <%= name %></prompt></menu>\n</vxml>\n',
        (2, 27),
        "server-template markup (JSP/ASP '<%')",
    ),
    "deep.json": (
        '{"StartAction": "a", "Actions": ' + "[" * 100 + "]" * 100 + "}",
        (1, 96),
        "JSON nested deeper than 64 levels",
    ),
    "template.json": (
        '{"Version": "2019-10-30", "StartAction": "a",\n "Actions": [${actions}]}',
        (2, 14),
        "template placeholder '${actions}' where a value belongs",
    ),
    "percent.json": (
        '{"Version": "2019-10-30", "StartAction": %%START%%, "Actions": []}',
        (1, 42),
        "template placeholder '%%START%%'",
    ),
    # The placeholder at the parser's column, not an earlier one inside a string.
    "second.json": (
        '{"StartAction": "a", "Actions": [{"Identifier": "a", "Parameters":\n'
        '{"Text":"hi %%Y%%"},"Transitions":{"NextAction": %%NEXT%%}}]}',
        (2, 50),
        "template placeholder '%%NEXT%%'",
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_export_is_refused_in_one_located_line(name: str, tmp_path: Path) -> None:
    text, (line, column), message = HOSTILE[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = run("score", str(path))
    assert result.exit_code == 2
    [err] = result.stderr.splitlines()
    assert err.startswith(f"{path}:{line}:{column}: error: "), err
    assert message in err
    assert result.stdout == ""


def test_companion_given_with_from_stays_a_companion(tmp_path: Path) -> None:
    plan = write(
        tmp_path,
        "extensions.conf",
        """
        [ivr]
        exten => s,1,Background(welcome)
         same => n,WaitExten(5)
        exten => 1,1,Queue(sales)
        exten => 0,1,Dial(PJSIP/100)
        """,
    )
    queues = write(tmp_path, "queues.conf", "[sales]\nstrategy=ringall\nmember => PJSIP/1\n")
    menu = import_file(plan, "asterisk", companions=[queues])
    assert "queues.conf given: sales defined" in menu.assumptions
    main = menu.node(menu.entry)
    assert [(o.key, o.goto) for o in main.options] == [("1", "queue_sales"), ("0", "to_PJSIP_100")]
    assert main.options[0].pos.line == 4  # the option's own line in the dialplan


def test_unreadable_export_names_itself(tmp_path: Path) -> None:
    with pytest.raises(MenuError) as info:
        import_file(tmp_path / "missing.json")
    assert "cannot read file" in info.value.message


def test_diff_base_reads_an_export_at_a_revision(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    flow = write(tmp_path, "flow.json", CONNECT)

    def git(*args: str) -> None:
        subprocess.run(
            [
                "git",
                "-c",
                "user.email=a@b",
                "-c",
                "user.name=t",
                "-c",
                "commit.gpgsign=false",
                *args,
            ],
            cwd=tmp_path,
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    git("add", "flow.json")
    git("commit", "-q", "-m", "flow")
    flow.write_text(CONNECT.replace('"Operands": ["1"]', '"Operands": ["0"]'), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("diff", "--base", "HEAD", "flow.json", "--format", "json")
    assert result.exit_code == 0, result.output
    [menu] = json.loads(result.stdout)["menus"]
    assert (menu["file"], menu["added"]) == ("flow.json", False)  # read at HEAD as well


FREEPBX = """\
[ivr-1] ; Main Menu
exten => s,1,Set(TIMEOUT_LOOPCOUNT=0)
exten => s,n,Answer
exten => s,n(skip),Set(IVR_MSG=custom/main-menu)
exten => s,n(start),Set(TIMEOUT(digit)=3)
exten => s,n,ExecIf($["${IVR_MSG}" != ""]?Background(${IVR_MSG}))
exten => s,n,WaitExten(10,)
exten => 1,1(ivrsel-1),Goto(ext-queues,400,1)
exten => 2,1(ivrsel-2),Goto(ivr-2,s,1)
exten => 3,1(ivrsel-3),Goto(ext-group,600,1)
exten => 0,1(ivrsel-0),Goto(from-did-direct,100,1)
exten => 9,1(ivrsel-9),Goto(app-blackhole,hangup,1)
exten => t,1,Set(TIMEOUT_LOOPCOUNT=$[${TIMEOUT_LOOPCOUNT}+1])
exten => t,n,GotoIf($[${TIMEOUT_LOOPCOUNT} > 3]?final)
exten => t,n,Goto(s,start)
exten => t,n(final),Playback(no-valid-responce-transfering)
exten => t,n,Goto(ext-queues,400,1)

[ivr-2] ; Billing
exten => s,1,Background(custom/billing)
exten => s,n,WaitExten(5)
exten => 1,1(ivrsel-1),Goto(ext-queues,401,1)
exten => *,1(ivrsel-*),Goto(ivr-1,s,1)
"""


def test_freepbx_destinations_are_queues_groups_extensions_and_hangups(tmp_path: Path) -> None:
    path = write(tmp_path, "extensions_additional.conf", FREEPBX)
    menu = import_file(path)
    assert menu.name == "Main Menu"  # the comment FreePBX writes after the context
    main = menu.node(menu.entry)
    assert main.prompt == "(audio: custom/main-menu)"  # Background inside ExecIf, IVR_MSG set
    assert [(o.key, o.goto) for o in main.options] == [
        ("1", "queue_400"),
        ("2", "Billing"),  # the menu is named by the comment after its context
        ("3", "to_ring_group_600"),
        ("0", "to_extension_100"),
        ("9", "app-blackhole_hangup"),
    ]
    assert menu.node("app-blackhole_hangup").type == "hangup"
    # The timeout counter is the menu's retries (issue 20): three more tries, then on
    # from `final` to the queue.
    assert main.no_input is not None and main.no_input.retries == 3
    final = menu.node(main.no_input.goto)
    assert (final.type, final.next) == ("message", "queue_400")
    assert [o.key for o in menu.node("Billing").options] == ["1", "*"]


def test_control_characters_from_an_export_never_reach_the_terminal(tmp_path: Path) -> None:
    evil = "\x1b[2J"
    data = json.loads(CONNECT)
    data["Actions"][1]["Parameters"]["QueueId"] = f"arn:x/queue/Q{evil}"
    data["Actions"][0]["Parameters"] = {"Text": f"Press 1.{evil}"}
    flow = write(tmp_path, "flow.json", json.dumps(data))
    result = run("score", str(flow), "--no-color")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output
    assert "Q\\x1b[2J" in result.output  # shown, escaped
    out = tmp_path / "menu.yaml"
    assert run("import", str(flow), "-o", str(out)).exit_code == 0
    assert "\x1b" not in out.read_text(encoding="utf-8").split("ivraudit: 1")[0]


def test_connect_stored_input_and_compare_on_it_are_one_menu(tmp_path: Path) -> None:
    actions = [
        {
            "Identifier": "in",
            "Type": "GetParticipantInput",
            "Parameters": {
                "Text": "Press 1 for sales or 2 for billing.",
                "StoreInput": "True",
                "InputTimeLimitSeconds": "6",
            },
            "Transitions": {
                "NextAction": "cmp",
                "Errors": [{"ErrorType": "InputTimeLimitExceeded", "NextAction": "bye"}],
            },
        },
        {
            "Identifier": "cmp",
            "Type": "Compare",
            "Parameters": {"ComparisonValue": "$.StoredCustomerInput"},
            "Transitions": {
                "NextAction": "bye",
                "Conditions": [
                    {"NextAction": "bye", "Condition": {"Operator": "Equals", "Operands": ["1"]}},
                    {"NextAction": "bye", "Condition": {"Operator": "Equals", "Operands": ["2"]}},
                ],
                "Errors": [{"ErrorType": "NoMatchingCondition", "NextAction": "in"}],
            },
        },
        {"Identifier": "bye", "Type": "DisconnectParticipant", "Transitions": {}},
    ]
    flow = write(
        tmp_path,
        "flow.json",
        json.dumps({"Version": "2019-10-30", "StartAction": "in", "Actions": actions}, indent=1),
    )
    menu = import_file(flow)
    main = menu.node(menu.entry)
    assert main.type == "menu" and [o.key for o in main.options] == ["1", "2"]
    assert main.no_match is not None and main.no_match.goto == main.id
    assert menu.timing.timeout_seconds == 6.0


FIELD_MENU = """\
<?xml version="1.0"?>
<vxml version="2.1">
  <form id="main">
    <field name="choice">
      <grammar mode="dtmf" src="builtin:dtmf/digits?length=1"/>
      <prompt>For sales press 1. For support press 2.</prompt>
      <noinput><reprompt/></noinput>
    </field>
    <filled>
      <if cond="choice == '1'">
        <transfer dest="tel:+15550100"/>
      <elseif cond="choice=='2'"/>
        <goto next="#support"/>
      <else/>
        <prompt>Sorry.</prompt>
        <reprompt/>
      </if>
    </filled>
  </form>
  <form id="support">
    <block><prompt>Visit our website. Goodbye.</prompt><disconnect/></block>
  </form>
</vxml>
"""


def test_voicexml_one_key_field_branching_in_filled_is_a_menu(tmp_path: Path) -> None:
    menu = import_file(write(tmp_path, "field.vxml", FIELD_MENU))
    main = menu.node("main")
    assert main.type == "menu"
    assert [(o.key, o.goto) for o in main.options] == [("1", "to_tel_15550100"), ("2", "support")]
    assert menu.node("to_tel_15550100").queue == "tel:+15550100"
    assert main.no_input is not None and main.no_input.goto == "main"  # <reprompt/>
    assert main.no_match is not None
    assert menu.node(main.no_match.goto).prompt == "Sorry."  # the <else/> branch


def test_ael_reads_like_the_same_extensions_conf(tmp_path: Path) -> None:
    ael = write(
        tmp_path,
        "extensions.ael",
        """
        // the same menu as the dialplan below
        context main {
            s => {
                Answer();
        start:
                for (x=0; ${x} < 2; x=${x} + 1) {
                    Background(welcome);
                    WaitExten(4);
                };
            };
            1 => Queue(sales);
            2 => {
                if (${DB(vip/${CALLERID(num)})}) {
                    Dial(PJSIP/200);
                } else {
                    goto s|start;
                };
            };
            t => goto 1|1;
        };
        """,
    )
    menu = import_file(ael)
    main = menu.node(menu.entry)
    assert menu.assumptions[0] == "read as Asterisk AEL dialplan (extensions.ael) (asterisk-ael)"
    assert [o.key for o in main.options] == ["1", "2"]
    assert main.pos.line == 8  # the WaitExten line in the .ael file
    vip = menu.node(main.options[1].goto)
    assert vip.type == "branch"
    assert {menu.node(r.goto).type for r in vip.routes} == {"agent", "menu"}
    assert main.no_input is not None and main.no_input.goto == "queue_sales"


def test_broken_ael_is_one_located_line(tmp_path: Path) -> None:
    ael = write(tmp_path, "extensions.ael", "context main {\n  s => {\n    Answer();\n")
    result = run("score", str(ael))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"{ael}:2:3: error: 's =>' is never closed"]


def test_unclosed_ael_block_after_a_label_is_named_on_its_own_line(tmp_path: Path) -> None:
    text = "context demo {\n  s => {\n    WaitExten();\nstart:\n    for (x=0; x<3; x=x+1) {\n"
    ael = write(tmp_path, "o.ael", text + "      Background(b);\n")
    result = run("score", str(ael))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{ael}:5:5: error: 'for (x=0; x<3; x=x+1)' is never closed"
    ]


def test_markdown_check_report_folds_in_the_assumptions(tmp_path: Path) -> None:
    flow = write(tmp_path, "flow.json", CONNECT)
    result = run("check", str(flow), "--format", "markdown", "--exit-zero")
    assert result.exit_code == 0, result.output
    assert "**Assumed where the export is silent** (docs/importers.md):" in result.stdout
    assert "- hold time of 'Billing': 60 s, assumed" in result.stdout


@pytest.mark.parametrize("timeout", ["999999999", "9" * 400])
@pytest.mark.parametrize("command", ["import", "score"])
def test_a_timeout_out_of_range_is_located_in_the_export(
    tmp_path: Path, command: str, timeout: str, realflows: Path
) -> None:
    # The export names the number; `import` must not write a menu that cannot load.
    real = realflows / "twilio-studio"
    text = (real / "sheikplastk_firstPrototype2.extracted.json").read_text(encoding="utf-8")
    assert '"timeout": 5\n' in text
    flow = tmp_path / "flow.json"
    flow.write_text(text.replace('"timeout": 5\n', f'"timeout": {timeout}\n', 1), "utf-8")
    out = tmp_path / "menu.yaml"
    args = [command, str(flow)] + (["-o", str(out)] if command == "import" else [])
    result = run(*args)
    assert result.exit_code == 2
    line = text[: text.index('"timeout": 5\n')].count("\n") + 1
    assert result.stderr.startswith(f"{flow}:")
    assert "number from 0 to 86400" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert int(result.stderr.split(":")[1]) <= line
    assert not out.exists()


def test_system_decisions_send_calls_their_normal_way() -> None:
    from ivraudit.importers.flow import normal_outcome

    assert normal_outcome((("in hours", "a"), ("out of hours", "b"))) == "in hours"
    assert normal_outcome((("Loop DoneLooping", "a"), ("Loop ContinueLooping", "b"))) == (
        "Loop ContinueLooping"
    )
    assert normal_outcome((("test_mode = 1", "a"), ("CheckAttribute NoMatch", "b"))) == (
        "CheckAttribute NoMatch"
    )
    assert normal_outcome((("emergency", "a"), ("otherwise", "b"))) == "otherwise"
    # An attribute or a comparison has no normal outcome: calls split equally.
    assert normal_outcome((("Compare 500", "a"), ("otherwise", "b"))) is None
    assert normal_outcome((("true", "a"), ("false", "b"))) is None
    # A condition label says what it tests; its "open" or "success" outcome is normal.
    assert normal_outcome((('starts with "open"', "a"), ("noMatch", "b"))) == ('starts with "open"')
    assert normal_outcome((('$.External.status = "success"', "a"), ("otherwise", "b"))) == (
        '$.External.status = "success"'
    )
    assert normal_outcome((('not equal to "open"', "a"), ('equal to "opening"', "b"))) is None
    assert normal_outcome((('status matches any of "open, opened"', "a"), ("otherwise", "b"))) == (
        'status matches any of "open, opened"'
    )
    assert normal_outcome((('hours.isOpen equal to "true"', "a"), ("otherwise", "b"))) == (
        'hours.isOpen equal to "true"'
    )


def _hours_flow() -> Flow:
    """A line whose hours check sends open calls to a queue and the rest to a message."""
    steps = (
        Step(
            "hours",
            "decision",
            at(1),
            routes=(('starts with "open"', "menu"), ("noMatch", "closed")),
        ),
        Step("menu", "menu", at(2), prompt="Press 1.", choices=(Choice("1", "q", at(3)),)),
        Step("q", "queue", at(4), target="Care"),
        Step("closed", "message", at(5), prompt="We are closed.", next=None),
    )
    return Flow("t", "T", "n", "hours", steps, at(1))


def test_an_hours_check_follows_the_open_line_or_the_share_given() -> None:
    menu = to_menu(_hours_flow(), Settings(), "f")
    [branch] = [n for n in menu.nodes if n.type == "branch"]
    assert [(r.when, r.share) for r in branch.routes] == [
        ('starts with "open"', 1.0),
        ("noMatch", 0.0),
    ]
    menu = to_menu(_hours_flow(), Settings(open_share=0.8), "f")
    [branch] = [n for n in menu.nodes if n.type == "branch"]
    assert [(r.when, r.share) for r in branch.routes] == [
        ('starts with "open"', 0.8),
        ("noMatch", pytest.approx(0.2)),
    ]
    assert any("open for 80% of calls (--open-share)" in a for a in menu.assumptions)


def test_open_share_from_the_command_line_and_the_config(tmp_path: Path) -> None:
    flow = json.loads(CONNECT)
    start = flow["StartAction"]
    flow["Actions"].append(
        {
            "Identifier": "hours",
            "Type": "CheckHoursOfOperation",
            "Parameters": {},
            "Transitions": {
                "NextAction": start,
                "Conditions": [
                    {
                        "NextAction": start,
                        "Condition": {"Operator": "Equals", "Operands": ["True"]},
                    },
                    {
                        "NextAction": "bye",
                        "Condition": {"Operator": "Equals", "Operands": ["False"]},
                    },
                ],
            },
        }
    )
    flow["Actions"].append(
        {"Identifier": "bye", "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}}
    )
    flow["StartAction"] = "hours"
    path = write(tmp_path, "flow.json", json.dumps(flow))

    def human_share(*extra: str) -> float:
        result = run("score", str(path), "--format", "json", *extra)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)["metrics"]["human_share"]

    assert human_share() == 1.0  # the line is open: every call can reach a person
    assert human_share("--open-share", "75%") == 0.75
    assert human_share("--open-share", "0.75") == 0.75
    write(tmp_path, ".ivraudit.yaml", "import:\n  open-share: 50%\n")
    assert human_share() == 0.5
    assert human_share("--open-share", "0.9") == 0.9  # the command line wins
    bad = run("score", str(path), "--open-share", "1.5")
    assert bad.exit_code == 2 and "share from 0 to 1" in bad.stderr
    write(tmp_path, ".ivraudit.yaml", "import:\n  open-share: most\n")
    result = run("score", str(path))
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert ":2:" in line and "open-share" in line


def _connect_saying(ssml: str) -> str:
    """A Connect flow whose menu speaks `ssml` (Text with SSML, as the console stores it)."""
    flow = json.loads(CONNECT)
    flow["Actions"][0]["Parameters"] = {"SSML": ssml}
    return json.dumps(flow)


@pytest.mark.parametrize(
    ("said", "heard"),
    [
        # SSML is read as SSML: its tags are not spoken, its entities are.
        (
            '<speak>Welcome to Acme &amp; Co.<break time="1s"/> Press 1.</speak>',
            "Welcome to Acme & Co. Press 1.",
        ),
        # An attribute holding a <<placeholder>> (not well-formed XML) leaves no debris.
        (
            '<speak><prosody rate="<<rate>>">Welcome to <<company>>. Press 1.</prosody></speak>',
            "Welcome to <<company>>. Press 1.",
        ),
        # Text in angle brackets that is no SSML is what the prompt says.
        ("Thank you for calling <Your Company Name>. Press 1.", None),
        ("Press <emphasis>1</emphasis> if a < b.", "Press 1 if a < b."),
    ],
)
def test_a_prompt_is_read_as_ssml_only_where_it_is_ssml(
    tmp_path: Path, said: str, heard: str | None
) -> None:
    menu = import_file(write(tmp_path, "flow.json", _connect_saying(said)))
    prompts = [n.prompt for n in menu.nodes if n.prompt]
    assert prompts == [heard or said]
