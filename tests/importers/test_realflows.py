"""Every real export in ../shared/realflows: what it imports to, through the library and
the CLI, and that importing then scoring equals scoring the export."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivraudit.cli import main
from ivraudit.format.errors import MenuError
from ivraudit.importers import guess, import_file
from tests.conftest import REALFLOWS, needs_realflows
from tests.importers.common import reachable

# Read in place, never copied into the project.
pytestmark = needs_realflows

# file -> (format, menus, options, queue transfers, transfers to a number/extension).
# A bridge or transfer into a conference (FreeSWITCH, an MCU) is an exit, not a person.
# The counts follow each file's row in FORMATS.md (see docs/importers.md for the reading).
FLOWS = {
    "amazon-connect/ccarrylab_general_contact_flow.json": ("amazon-connect", 1, 3, 3, 0),
    "amazon-connect/gitlabcicd_acme_main_AUTO.describe.json": ("amazon-connect", 1, 2, 2, 0),
    "amazon-connect/scv_001-VMX-AgentQueueOption-SCV.modules.json": (
        "amazon-connect-modules",
        1,
        2,
        1,
        0,
    ),
    "amazon-connect/scv_001-VMX-SampleInbound-SCV.modules.json": (
        "amazon-connect-modules",
        1,
        1,
        1,
        0,
    ),
    "amazon-connect/scv_AWS_Sample_SCV_REST_Example.wrapped.json": ("amazon-connect", 1, 1, 1, 0),
    "asterisk/asterisk_basic-pbx_extensions.conf": ("asterisk", 1, 5, 2, 2),
    "asterisk/asterisk_extensions.conf.sample": ("asterisk", 1, 3, 0, 0),
    "asterisk/asterisk_extensions.ael.sample": ("asterisk-ael", 1, 3, 0, 0),
    "freeswitch/freeswitch_demo_ivr.xml": ("freeswitch", 2, 8, 0, 0),
    "freeswitch/freeswitch_new_demo_ivr.xml": ("freeswitch", 4, 11, 0, 0),
    "genesys-archy/gcb_dr-fallback-ivr_DR-Emergency-IVR.yaml": ("genesys-archy", 1, 7, 6, 0),
    "genesys-archy/gcb_simple-ivr_SimpleFinancialIvr_v2-0.yaml": ("genesys-archy", 1, 3, 2, 0),
    # Its two `Flow.x == "1"` decisions on typed digits are the caller's: one-key menus.
    "genesys-archy/gcb_switch-voice_inqueue_SwitchToWebMessagingViaSMS.yaml": (
        "genesys-archy",
        2,
        2,
        1,
        0,
    ),
    "genesys-archy/tfprovider_openhours_flow.yaml": ("genesys-archy", 1, 1, 0, 0),
    "twilio-studio/flexprojecttemplate_schedule_flow.json": ("twilio-studio", 0, 0, 1, 0),
    "twilio-studio/sheikplastk_firstPrototype2.extracted.json": ("twilio-studio", 12, 42, 0, 1),
    "voicexml/dialogic_VoiceMail.vxml": ("voicexml", 1, 3, 0, 0),
    "voicexml/opal_samples_server_main_menu.vxml": ("voicexml", 1, 6, 0, 0),
    # Its queue's default link is the in-queue treatment: music, then the long-wait menu
    # (1 SMS, 2 callback) the caller hears while waiting (issue 20, point 5).
    "webex/webexcc_flowdesigner_Cars_Export-voice.json": ("webex", 3, 8, 1, 1),
}
# Companion files, which hold no menu of their own: what the one-line error must say.
ALONE = {
    "asterisk/asterisk_basic-pbx_queues.conf": "this is an Asterisk queues.conf",
    "freeswitch/freeswitch_lang_en_demo-ivr_phrases.xml": "this is FreeSWITCH phrase macros",
}


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_every_realflows_file_is_listed_here() -> None:
    found = {
        str(p.relative_to(REALFLOWS))
        for p in REALFLOWS.rglob("*")
        if p.is_file() and p.suffix != ".md"
    }
    assert found == set(FLOWS) | set(ALONE)


@pytest.mark.parametrize("name", sorted(FLOWS))
def test_export_imports_with_the_counts_of_its_format_row(name: str) -> None:
    fmt, menus, options, queues, people = FLOWS[name]
    path = REALFLOWS / name
    detected = guess(path.read_text(encoding="utf-8"))
    assert detected is not None and detected.name == fmt
    menu = import_file(path)
    kinds = [n for n in menu.nodes if n.type == "menu"]
    agents = [n for n in menu.nodes if n.type == "agent"]
    assert len(kinds) == menus
    assert sum(len(n.options) for n in kinds) == options
    assert sum(1 for n in agents if n.id.startswith("queue_")) == queues
    assert sum(1 for n in agents if n.id.startswith("to_")) == people
    # Every node points into the platform file itself.
    assert all(n.pos.file == str(path) and n.pos.line >= 1 for n in menu.nodes)
    assert menu.assumptions[0] == f"read as {detected.title} ({fmt})"


@pytest.mark.parametrize("name", sorted(FLOWS))
def test_export_scores_and_import_then_score_is_the_same(name: str, tmp_path: Path) -> None:
    path = REALFLOWS / name
    direct = run("score", str(path), "--format", "json")
    assert direct.exit_code == 0, direct.output
    written = tmp_path / "menu.yaml"
    imported = run("import", str(path), "-o", str(written))
    assert imported.exit_code == 0, imported.output
    text = written.read_text(encoding="utf-8")
    assert text.startswith(f"# Imported by ivraudit from {path}\n# Assumptions")
    again = run("score", str(written), "--format", "json")
    assert again.exit_code == 0, again.output
    before, after = json.loads(direct.stdout), json.loads(again.stdout)
    assert after["score"] == before["score"]
    assert after["metrics"] == before["metrics"]
    assert after["score_breakdown"] == before["score_breakdown"]

    def same(report: dict) -> list:  # positions differ: one file is the export, one ours
        return sorted((f["rule"], f["node"], f["message"]) for f in report["findings"])

    assert same(after) == same(before)
    assert before["assumptions"] and "assumptions" not in after


@pytest.mark.parametrize("name", sorted(ALONE))
def test_file_that_holds_no_menu_alone_exits_2_with_one_line(name: str) -> None:
    path = REALFLOWS / name
    result = run("score", str(path))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{path}:")
    assert ALONE[name] in lines[0]
    assert "Traceback" not in result.output


def test_dialplan_and_its_queues_conf_together_are_one_menu() -> None:
    dialplan = REALFLOWS / "asterisk/asterisk_basic-pbx_extensions.conf"
    queues = REALFLOWS / "asterisk/asterisk_basic-pbx_queues.conf"
    result = run("score", str(dialplan), str(queues), "--format", "json")
    assert result.exit_code == 0, result.output
    [report] = json.loads(result.stdout)
    assert report["file"] == str(dialplan)
    assert "queues.conf given: customer_advocate, sales defined" in report["assumptions"]


def test_freeswitch_menu_with_its_phrases_reads_prompt_words() -> None:
    menu_file = REALFLOWS / "freeswitch/freeswitch_demo_ivr.xml"
    phrases = REALFLOWS / "freeswitch/freeswitch_lang_en_demo-ivr_phrases.xml"
    menu = import_file(menu_file, companions=[phrases])
    main_menu = menu.node("demo_ivr")
    assert main_menu.prompt is not None and "welcome to freeswitch" in main_menu.prompt
    assert main_menu.prompt_seconds is None  # words, not an estimate
    alone = import_file(menu_file).node("demo_ivr")
    assert alone.prompt_seconds == 4.0


def test_findings_point_at_the_platform_file() -> None:
    path = REALFLOWS / "twilio-studio/sheikplastk_firstPrototype2.extracted.json"
    result = run("check", str(path), "--format", "json", "--exit-zero")
    data = json.loads(result.stdout)
    [verdict] = data["menus"]
    lines = path.read_text(encoding="utf-8").splitlines()
    mine = [f for f in verdict["findings"] if f["node"] == "main_menu"]
    assert mine
    for f in mine:  # the opening brace of the gather or of the split on its digits
        assert lines[f["line"] - 1].strip() == "{"
        assert '"name": "main_menu' in lines[f["line"]]


def test_import_is_deterministic(tmp_path: Path) -> None:
    path = REALFLOWS / "webex/webexcc_flowdesigner_Cars_Export-voice.json"
    first, second = run("import", str(path)), run("import", str(path))
    assert first.exit_code == 0 and first.stdout == second.stdout


def test_import_refuses_two_exports_at_once() -> None:
    a = REALFLOWS / "voicexml/dialogic_VoiceMail.vxml"
    b = REALFLOWS / "voicexml/opal_samples_server_main_menu.vxml"
    result = run("import", str(a), str(b))
    assert result.exit_code == 2
    assert "give one export" in result.stderr


def test_import_propagates_hold_prompt_and_call_options(tmp_path: Path) -> None:
    path = REALFLOWS / "amazon-connect/ccarrylab_general_contact_flow.json"
    calls = tmp_path / "calls.csv"
    calls.write_text("path,calls\n1,60\n2,30\n3,10\n", encoding="utf-8")
    result = run(
        "score",
        str(path),
        "--format",
        "json",
        "--hold-seconds",
        "Sales=20",
        "--hold-seconds",
        "90",
        "--calls",
        str(calls),
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert "hold time of 'Sales': 20 s, given" in data["assumptions"]
    assert "hold time of 'Customer Service': 90 s, given" in (data["assumptions"])
    assert set(data["metrics"]["intent_seconds"]) == {"calls_1", "calls_2", "calls_3"}


def test_from_forces_a_format_and_reports_where_it_does_not_fit() -> None:
    path = REALFLOWS / "amazon-connect/ccarrylab_general_contact_flow.json"
    result = run("score", str(path), "--from", "voicexml")
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"{path}:1:1: error: not well-formed XML")
    bad = run("score", str(path), "--from", "nonsense")
    assert bad.exit_code == 2 and "'nonsense' is not one of" in bad.stderr


def test_every_format_can_be_forced_on_every_file_without_a_traceback() -> None:
    from ivraudit.importers import REGISTRY

    for name in sorted(FLOWS):
        for fmt in REGISTRY:
            with contextlib.suppress(MenuError):
                import_file(REALFLOWS / name, fmt)


def test_connect_compare_keeps_its_otherwise_branch() -> None:
    # One condition plus NoMatchingCondition is a branch, not a pass-through: the main
    # path ("Please hold..." then BasicQueue) is the otherwise of both Compares.
    menu = import_file(REALFLOWS / "amazon-connect/scv_AWS_Sample_SCV_REST_Example.wrapped.json")
    compares = [n for n in menu.nodes if n.type == "branch" and n.id.startswith("Compare")]
    assert compares and all(
        [r.when for r in n.routes][-1] == "otherwise" and len(n.routes) == 2 for n in compares
    )
    assert "queue_BasicQueue" in reachable(menu)
    assert "queue_BasicQueue" in {r.goto for n in compares for r in n.routes}


# Flows whose normal path is a plain queue transfer behind an hours check, a retry loop
# or a test/emergency flag: a person is reachable, and the score says so.
NORMAL_PATH_SCORES = {
    # 85, not 77: its "if you don't want to wait, press 1 for voicemail" menu keeps the
    # silent caller waiting for the queue, an offer in front of it that needs no 0.
    "amazon-connect/scv_001-VMX-SampleInbound-SCV.modules.json": 85,
    "amazon-connect/scv_AWS_Sample_SCV_REST_Example.wrapped.json": 84,
    "genesys-archy/gcb_dr-fallback-ivr_DR-Emergency-IVR.yaml": 70,
    "twilio-studio/flexprojecttemplate_schedule_flow.json": 92,
}


@pytest.mark.parametrize("name", sorted(NORMAL_PATH_SCORES))
def test_normal_path_to_a_queue_reaches_a_person(name: str) -> None:
    result = run("score", str(REALFLOWS / name), "--format", "json")
    report = json.loads(result.output)
    assert "IVR101" not in {f["rule"] for f in report["findings"]}
    assert report["score"] == NORMAL_PATH_SCORES[name]
    assert sum("normal way" in a for a in report["assumptions"]) == 1


def test_bad_call_count_with_a_line_break_stays_on_one_line(tmp_path: Path) -> None:
    calls = tmp_path / "calls.csv"
    calls.write_text('path,calls\n1,"3\n4"\n', encoding="utf-8")
    result = run(
        "score",
        str(REALFLOWS / "amazon-connect/ccarrylab_general_contact_flow.json"),
        "--calls",
        str(calls),
    )
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"{calls}:2:3: error: '3\\n4' is not a number of calls"]


def test_calls_for_a_key_that_ends_at_a_decision_say_so(tmp_path: Path) -> None:
    calls = tmp_path / "calls.csv"
    calls.write_text("path,calls\n0,5\n9 9,1\n", encoding="utf-8")
    result = run(
        "score",
        str(REALFLOWS / "asterisk/asterisk_basic-pbx_extensions.conf"),
        "--calls",
        str(calls),
        "--format",
        "json",
    )
    notes = [a for a in json.loads(result.output)["assumptions"] if a.startswith("calls for")]
    assert notes == [
        "calls for '0' are ignored: it ends at the decision 'Dial-Users_1111', which splits "
        "calls several ways",
        "calls for '9 9' are ignored: 'Main-IVR_2565551100' has no option 9",
    ]


def test_each_audio_file_of_a_prompt_is_counted() -> None:
    # demo_s plays demo-congrats and demo-instruct (8 s); three more prompts: five files.
    menu = import_file(REALFLOWS / "asterisk/asterisk_extensions.conf.sample")
    assert any(a.startswith("5 audio files play without text") for a in menu.assumptions)
    files = sum(
        len(n.prompt[len("(audio: ") : -1].split())
        for n in menu.nodes
        if n.prompt and n.prompt.startswith("(audio: ")
    )
    seconds = sum(
        n.prompt_seconds or 0 for n in menu.nodes if n.prompt and n.prompt.startswith("(audio: ")
    )
    assert files == 5 and seconds == 5 * 4.0


def test_a_folder_reads_every_export_by_content_and_counts_what_it_skips() -> None:
    result = run("score", str(REALFLOWS), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"{REALFLOWS}: note: skipped 2 file(s) that are neither menus nor platform exports"
    ]
    files = {Path(m["file"]).name for m in json.loads(result.stdout)}
    # The .conf, .ael, .xml and .vxml exports are in; companions joined their flow file.
    assert len(files) == len(FLOWS)
    assert {"asterisk_extensions.ael.sample", "freeswitch_demo_ivr.xml"} <= files


def test_one_hold_time_for_every_queue_is_given_not_assumed(tmp_path: Path) -> None:
    flow = REALFLOWS / "amazon-connect/ccarrylab_general_contact_flow.json"
    result = run("import", str(flow), "--hold-seconds", "30", "-o", "-")
    holds = [line for line in result.output.splitlines() if "hold time of" in line]
    assert len(holds) == 3 and all(line.endswith(": 30 s, given") for line in holds)


def test_import_header_names_the_companion_files_read(tmp_path: Path) -> None:
    dialplan = REALFLOWS / "asterisk/asterisk_basic-pbx_extensions.conf"
    queues = REALFLOWS / "asterisk/asterisk_basic-pbx_queues.conf"
    result = run("import", str(dialplan), str(queues), "-o", "-")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == [
        f"# Imported by ivraudit from {dialplan}",
        f"# with {queues}",
    ]
