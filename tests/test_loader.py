"""Reading menu files: every bad input is one located MenuError, never a traceback."""

from __future__ import annotations

import json
import textwrap
import tracemalloc
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ivraudit import MenuError, Position, Timing, load_menu, loads_menu
from ivraudit.cli import main
from tests.conftest import FIXTURES

BAD = FIXTURES / "bad"
HEAD = "ivraudit: 1\nname: City Cabs\n"


def menu(body: str) -> str:
    """Return a menu file: the version and name on lines 1-2, then `body` from line 3."""
    return HEAD + textwrap.dedent(body).lstrip("\n")


def error_of(text: str | bytes, source: str = "m.yaml", *, json_mode: bool = False) -> MenuError:
    """Return the one MenuError that reading `text` raises."""
    with pytest.raises(MenuError) as info:
        loads_menu(text, source, json_mode=json_mode)
    return info.value


def assert_error(exc: MenuError, source: str, line: int, column: int, fragment: str) -> None:
    """Check the error's place, its message and its one-line form."""
    assert (exc.line, exc.column) == (line, column), exc
    assert fragment in exc.message, exc
    assert exc.file == source
    assert str(exc) == f"{source}:{line}:{column}: error: {exc.message}"
    assert "\n" not in str(exc)


def assert_cli_error(path: Path, line: int, column: int, fragment: str) -> None:
    """Check that `ivraudit score path` exits 2 with the one located error on stderr."""
    result = CliRunner().invoke(main, ["score", str(path)])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{path}:{line}:{column}: error: "), lines[0]
    assert fragment in lines[0]
    assert "Traceback" not in result.output
    assert result.stdout == ""


def case(case_id: str, text: str, line: int, column: int, fragment: str) -> object:
    """Return one row of a table of bad inputs."""
    return pytest.param(text, line, column, fragment, id=case_id)


# (text, line, column, part of the message). Line 3 is the first line after HEAD.
BAD_YAML = [
    # -- not YAML ---------------------------------------------------------------------
    case(
        "syntax-tab-indent",
        menu("nodes:\n\tdesk: {type: agent}\n"),
        4,
        1,
        "indent YAML with spaces",
    ),
    case(
        "syntax-bad-indent",
        menu(
            """
            nodes:
              desk:
                type: agent
               queue: q
            """
        ),
        6,
        4,
        "did not find expected key",
    ),
    case(
        "syntax-unclosed-flow",
        menu("nodes:\n  desk: {type: agent\n  other: {type: agent}\n"),
        5,
        8,
        "did not find expected ',' or '}'",
    ),
    case(
        "control-character",
        "ivraudit: 1\nname: Caf\u00e9 \x07\nnodes: {}\n",
        2,
        12,
        "control characters are not allowed (U+0007)",
    ),
    # -- duplicate keys -----------------------------------------------------------------
    case(
        "duplicate-top-level",
        menu("name: Again\nnodes:\n  desk: {type: agent}\n"),
        3,
        1,
        "duplicate key 'name' (first at line 2)",
    ),
    case(
        "duplicate-in-node",
        menu(
            """
            nodes:
              desk:
                type: agent
                hold_seconds: 30
                hold_seconds: 60
            """
        ),
        7,
        5,
        "duplicate key 'hold_seconds' (first at line 6)",
    ),
    case(
        "duplicate-in-option",
        menu(
            """
            nodes:
              main:
                options:
                  - {key: 1, goto: desk, key: 2}
              desk: {type: agent}
            """
        ),
        6,
        30,
        "duplicate key 'key' (first at line 6)",
    ),
    case(
        "duplicate-node-id",
        menu("nodes:\n  desk: {type: agent}\n  desk: {type: hangup}\n"),
        5,
        3,
        "duplicate key 'desk' (first at line 4)",
    ),
    # -- unknown keys -------------------------------------------------------------------
    case(
        "unknown-top-level-suggests",
        menu("nodse:\n  desk: {type: agent}\n"),
        3,
        1,
        "unknown key 'nodse' in the menu file; did you mean 'nodes'?",
    ),
    case(
        "unknown-top-level-beside-nodes",
        menu("nodes:\n  desk: {type: agent}\nentyr: desk\n"),
        5,
        1,
        "did you mean 'entry'?",
    ),
    case(
        "unknown-top-level-lists-known",
        menu("colour: red\nnodes:\n  desk: {type: agent}\n"),
        3,
        1,
        "unknown key 'colour' in the menu file (known: costs, description, entry,",
    ),
    case(
        "unknown-in-node",
        menu("nodes:\n  desk: {type: agent, qeue: advisors}\n"),
        4,
        23,
        "unknown key 'qeue' in an agent node; did you mean 'queue'?",
    ),
    case(
        "unknown-in-option",
        menu(
            """
            nodes:
              main:
                options:
                  - {key: 1, lable: a person, goto: desk}
              desk: {type: agent}
            """
        ),
        6,
        18,
        "unknown key 'lable' in an option; did you mean 'label'?",
    ),
    case(
        "unknown-in-timing",
        menu("timing: {speech_rate_wpm: 150, retires: 3}\nnodes:\n  desk: {type: agent}\n"),
        3,
        32,
        "unknown key 'retires' in timing; did you mean 'retries'?",
    ),
    case(
        "unknown-in-no-input",
        menu(
            """
            nodes:
              main:
                options: [{key: 1, goto: desk}]
                no_input: {retry: 1, goto: desk}
              desk: {type: agent}
            """
        ),
        6,
        16,
        "unknown key 'retry' in 'no_input'; did you mean 'retries'?",
    ),
    case(
        "unknown-in-route",
        menu(
            """
            nodes:
              hours:
                type: branch
                routes:
                  - {wen: open, share: 1, goto: desk}
              desk: {type: agent}
            """
        ),
        7,
        10,
        "unknown key 'wen' in a route; did you mean 'when'?",
    ),
    case(
        "field-of-another-type-options-on-agent",
        menu("nodes:\n  desk: {type: agent, options: [{key: 1, goto: desk}]}\n"),
        4,
        23,
        "'options' is not a field of an agent node",
    ),
    case(
        "field-of-another-type-hold-on-menu",
        menu(
            """
            nodes:
              main:
                hold_seconds: 30
                options: [{key: 1, goto: desk}]
              desk: {type: agent}
            """
        ),
        5,
        5,
        "'hold_seconds' is not a field of a menu node",
    ),
    case(
        "field-of-another-type-next-on-hangup",
        menu("nodes:\n  bye: {type: hangup, next: bye}\n"),
        4,
        23,
        "'next' is not a field of a hangup node",
    ),
    # -- wrong types --------------------------------------------------------------------
    case(
        "name-is-a-list",
        "ivraudit: 1\nname: [City, Cabs]\nnodes:\n  desk: {type: agent}\n",
        2,
        7,
        "'name' must be text, not a list",
    ),
    case(
        "hold-seconds-is-text",
        menu("nodes:\n  desk: {type: agent, hold_seconds: thirty}\n"),
        4,
        37,
        "'hold_seconds' must be a number, not text",
    ),
    case(
        "barge-in-maybe",
        menu(
            """
            nodes:
              main:
                barge_in: maybe
                options: [{key: 1, goto: desk}]
              desk: {type: agent}
            """
        ),
        5,
        15,
        "'barge_in' must be true or false, not text",
    ),
    case(
        "options-not-a-list",
        menu("nodes:\n  main:\n    options: {key: 1, goto: desk}\n  desk: {type: agent}\n"),
        5,
        14,
        "'options' must be a list, not a mapping",
    ),
    case(
        "option-not-a-mapping",
        menu("nodes:\n  main:\n    options: [desk]\n  desk: {type: agent}\n"),
        5,
        15,
        "an option must be a mapping, not text",
    ),
    case(
        "handles-not-a-list",
        menu("intents: {taxi: 1}\nnodes:\n  desk: {type: agent, handles: taxi}\n"),
        5,
        32,
        "'handles' must be a list of intents, not text",
    ),
    case(
        "retries-not-whole",
        menu("timing: {retries: 1.5}\nnodes:\n  desk: {type: agent}\n"),
        3,
        19,
        "'retries' must be a whole number",
    ),
    case(
        "no-input-retries-not-whole",
        menu(
            """
            nodes:
              main:
                options: [{key: 1, goto: desk}]
                no_input: {retries: 1.5, goto: desk}
              desk: {type: agent}
            """
        ),
        6,
        25,
        "'retries' must be a whole number",
    ),
    case(
        "prompt-is-a-number",
        menu("nodes:\n  bye: {type: hangup, prompt: 42}\n"),
        4,
        31,
        "'prompt' must be text, not a number (quote it: \"42\")",
    ),
    case(
        "wpm-is-text",
        menu("timing: {speech_rate_wpm: fast}\nnodes:\n  desk: {type: agent}\n"),
        3,
        27,
        "'speech_rate_wpm' must be a number, not text",
    ),
    case(
        "nodes-is-a-list",
        menu("nodes:\n  - desk\n"),
        4,
        3,
        "'nodes' must be a mapping of id to node, not a list",
    ),
    case(
        "nodes-is-null",
        menu("nodes:\n"),
        3,
        7,
        "'nodes' must be a mapping of id to node, not nothing",
    ),
    case(
        "node-is-text",
        menu("nodes:\n  desk: agent\n"),
        4,
        9,
        "node 'desk' must be a mapping, not text",
    ),
    case(
        "intents-is-a-list",
        menu("intents: [taxi]\nnodes:\n  desk: {type: agent}\n"),
        3,
        10,
        "'intents' must be a mapping of intent to share, not a list",
    ),
    case(
        "no-input-is-text",
        menu(
            """
            nodes:
              main:
                options: [{key: 1, goto: desk}]
                no_input: desk
              desk: {type: agent}
            """
        ),
        6,
        15,
        "'no_input' must be a mapping, not text",
    ),
    case(
        "routes-not-a-list",
        menu("nodes:\n  hours: {type: branch, routes: desk}\n  desk: {type: agent}\n"),
        4,
        33,
        "'routes' of branch 'hours' must be a non-empty list",
    ),
    case(
        "type-is-a-number",
        menu("nodes:\n  desk: {type: 7}\n"),
        4,
        16,
        "'type' must be text, not a number",
    ),
    # -- missing required keys ------------------------------------------------------------
    case(
        "missing-ivraudit",
        "name: City Cabs\nnodes:\n  desk: {type: agent}\n",
        1,
        1,
        "missing required key 'ivraudit'",
    ),
    case(
        "missing-name",
        "ivraudit: 1\nnodes:\n  desk: {type: agent}\n",
        1,
        1,
        "the menu file is missing required key 'name'",
    ),
    case("missing-nodes", HEAD, 1, 1, "the menu file is missing required key 'nodes'"),
    case(
        "missing-option-goto",
        menu("nodes:\n  main:\n    options:\n      - {key: 1, label: a taxi}\n"),
        6,
        9,
        "an option is missing required key 'goto'",
    ),
    case(
        "missing-option-key",
        menu("nodes:\n  main:\n    options:\n      - goto: desk\n  desk: {type: agent}\n"),
        6,
        9,
        "an option is missing required key 'key'",
    ),
    case(
        "missing-route-share",
        menu(
            """
            nodes:
              hours:
                type: branch
                routes:
                  - when: open
                    goto: desk
              desk: {type: agent}
            """
        ),
        7,
        9,
        "a route is missing required key 'share'",
    ),
    case(
        "missing-route-goto",
        menu("nodes:\n  hours: {type: branch, routes: [{share: 1}]}\n"),
        4,
        34,
        "a route is missing required key 'goto'",
    ),
    case(
        "missing-message-next",
        menu("nodes:\n  hello:\n    type: message\n    prompt: Welcome.\n"),
        5,
        5,
        "a message node is missing required key 'next'",
    ),
    case(
        "missing-input-next",
        menu("nodes:\n  account: {type: input, collects: account_number}\n"),
        4,
        12,
        "an input node is missing required key 'next'",
    ),
    case(
        "missing-menu-options",
        menu("nodes:\n  main:\n    prompt: Hello.\n"),
        5,
        5,
        "a menu node is missing required key 'options'",
    ),
    case(
        "missing-no-input-goto",
        menu(
            """
            nodes:
              main:
                options: [{key: 1, goto: main}]
                no_input: {retries: 1}
            """
        ),
        6,
        15,
        "'no_input' is missing required key 'goto'",
    ),
    case(
        "missing-branch-routes",
        menu("nodes:\n  hours: {type: branch}\n"),
        4,
        10,
        "a branch node is missing required key 'routes'",
    ),
    # -- node types ---------------------------------------------------------------------
    case(
        "unknown-type-suggests",
        menu("nodes:\n  desk: {type: agnet}\n"),
        4,
        16,
        "unknown node type 'agnet' (did you mean 'agent'? types: menu, message,",
    ),
    case(
        "unknown-type-lists-types",
        menu("nodes:\n  desk: {type: robot}\n"),
        4,
        16,
        "unknown node type 'robot' (types: menu, message, input, branch, agent,",
    ),
    # -- option keys --------------------------------------------------------------------
    case(
        "key-10",
        menu("nodes:\n  main:\n    options:\n      - {key: 10, goto: main}\n"),
        6,
        15,
        "key '10' is not a key a phone has",
    ),
    case(
        "key-letter",
        menu("nodes:\n  main:\n    options:\n      - {key: A, goto: main}\n"),
        6,
        15,
        "key 'A' is not a key a phone has",
    ),
    case(
        "key-fraction",
        menu("nodes:\n  main:\n    options:\n      - {key: 1.5, goto: main}\n"),
        6,
        15,
        "key '1.5' is not a key a phone has",
    ),
    case(
        "key-yes-is-a-boolean",
        menu("nodes:\n  main:\n    options:\n      - {key: yes, goto: main}\n"),
        6,
        15,
        "key 'yes' is not a key a phone has",
    ),
    case(
        "key-negative",
        menu("nodes:\n  main:\n    options:\n      - {key: -1, goto: main}\n"),
        6,
        15,
        "key '-1' is not a key a phone has",
    ),
    case(
        "key-unquoted-hash-is-a-comment",
        menu("nodes:\n  main:\n    options:\n      - key: # the hash key\n        goto: main\n"),
        6,
        13,
        'an unquoted # starts a comment: write key: "#"',
    ),
    case(
        "key-unquoted-hash-in-flow",
        menu(
            """
            nodes:
              main:
                options:
                  - {key: #, goto: desk}
                  - {key: 1, goto: desk}
              desk: {type: agent}
            """
        ),
        6,
        15,
        "an unquoted # starts a comment",
    ),
    case(
        "key-unquoted-star-is-an-alias",
        menu("nodes:\n  main:\n    options:\n      - key: *\n        goto: main\n"),
        6,
        14,
        "an unquoted * starts an alias (a reference to an &anchor): quote a '*' key: key: \"*\"",
    ),
    case(
        "key-unquoted-star-in-flow",
        menu("nodes:\n  main:\n    options:\n      - {key: *, goto: main}\n"),
        6,
        15,
        "quote a '*' key",
    ),
    case(
        "key-star-with-a-name-is-an-unknown-alias",
        menu("nodes:\n  main:\n    options:\n      - {key: *1, goto: main}\n"),
        6,
        15,
        "unknown alias '*1'",
    ),
    # -- references -----------------------------------------------------------------------
    case(
        "goto-names-no-node",
        menu(
            """
            nodes:
              main:
                options: [{key: 1, goto: dispach}]
              dispatch: {type: agent}
            """
        ),
        5,
        30,
        "goto 'dispach' names no node; did you mean 'dispatch'?",
    ),
    case(
        "goto-names-no-node-nothing-close",
        menu("nodes:\n  main:\n    options: [{key: 1, goto: zzz}]\n  desk: {type: agent}\n"),
        5,
        30,
        "goto 'zzz' names no node",
    ),
    case(
        "next-names-no-node",
        menu("nodes:\n  hello: {type: message, next: deks}\n  desk: {type: agent}\n"),
        4,
        32,
        "next 'deks' names no node; did you mean 'desk'?",
    ),
    case(
        "entry-names-no-node",
        menu("entry: dsek\nnodes:\n  desk: {type: agent}\n"),
        3,
        8,
        "entry 'dsek' names no node; did you mean 'desk'?",
    ),
    case(
        "no-input-goto-names-no-node",
        menu(
            """
            nodes:
              main:
                options: [{key: 1, goto: desk}]
                no_input: {goto: dek}
              desk: {type: agent}
            """
        ),
        6,
        22,
        "goto 'dek' names no node; did you mean 'desk'?",
    ),
    case(
        "route-goto-names-no-node",
        menu(
            "nodes:\n  hours: {type: branch, routes: [{share: 1, goto: dsk}]}\n"
            "  desk: {type: agent}\n"
        ),
        4,
        51,
        "goto 'dsk' names no node; did you mean 'desk'?",
    ),
    case(
        "handles-undeclared-intent",
        menu("intents: {taxi_now: 0.7}\nnodes:\n  desk: {type: agent, handles: [taxi_nwo]}\n"),
        5,
        33,
        "handles 'taxi_nwo', which is not declared under 'intents'; did you mean 'taxi_now'?",
    ),
    case(
        "handles-without-intents",
        menu("nodes:\n  desk: {type: agent, handles: [taxi]}\n"),
        4,
        33,
        "handles 'taxi', which is not declared under 'intents'",
    ),
    # -- numbers out of range -----------------------------------------------------------
    case(
        "negative-hold",
        menu("nodes:\n  desk: {type: agent, hold_seconds: -30}\n"),
        4,
        37,
        "'hold_seconds' must be a number from 0 to 86400 (got -30)",
    ),
    case(
        "negative-share",
        menu(
            "nodes:\n  hours: {type: branch, routes: [{share: -1, goto: desk}]}\n"
            "  desk: {type: agent}\n"
        ),
        4,
        42,
        "'share' must be a number from 0 to 1000000000000000 (got -1)",
    ),
    case(
        "negative-intent-share",
        menu("intents: {taxi: -0.5}\nnodes:\n  desk: {type: agent}\n"),
        3,
        17,
        "'intents.taxi' must be a number from 0 to 1000000000000000 (got -0.5)",
    ),
    case(
        "negative-timing",
        menu("timing: {timeout_seconds: -5}\nnodes:\n  desk: {type: agent}\n"),
        3,
        27,
        "'timeout_seconds' must be a number from 0 to 86400 (got -5)",
    ),
    case(
        "negative-retries",
        menu("timing: {retries: -1}\nnodes:\n  desk: {type: agent}\n"),
        3,
        19,
        "'retries' must be a whole number from 0 to 100 (got -1)",
    ),
    case(
        "negative-say-seconds",
        menu("nodes:\n  main:\n    options: [{key: 1, goto: main, say_seconds: -2}]\n"),
        5,
        49,
        "'say_seconds' must be a number from 0 to 86400 (got -2)",
    ),
    case(
        "number-too-long",
        menu(f"nodes:\n  desk: {{type: agent, hold_seconds: {'9' * 5000}}}\n"),
        4,
        37,
        "'9999999999999999999999999999999999999...' is not a valid int",
    ),
    case(
        "wpm-zero",
        menu("timing: {speech_rate_wpm: 0}\nnodes:\n  desk: {type: agent}\n"),
        3,
        27,
        "'speech_rate_wpm' must be a number from 40 to 400 (got 0)",
    ),
    case(
        "hold-infinite",
        menu("nodes:\n  desk: {type: agent, hold_seconds: .inf}\n"),
        4,
        37,
        "'hold_seconds' must be a finite number",
    ),
    case(
        "share-nan",
        menu(
            "nodes:\n  hours: {type: branch, routes: [{share: .nan, goto: desk}]}\n"
            "  desk: {type: agent}\n"
        ),
        4,
        42,
        "'share' must be a finite number",
    ),
    case(
        "timing-minus-infinity",
        menu("timing: {entry_seconds: -.inf}\nnodes:\n  desk: {type: agent}\n"),
        3,
        25,
        "'entry_seconds' must be a finite number",
    ),
    # -- numbers too big, too small or not finite (issue 6) --------------------------------
    case(
        "hold-400-nines",
        menu(f"nodes:\n  desk: {{type: agent, hold_seconds: {'9' * 400}}}\n"),
        4,
        37,
        "'hold_seconds' must be a number from 0 to 86400 (got 9999999999999",
    ),
    case(
        "retries-400-digits",
        menu(f"timing: {{retries: {'7' * 400}}}\nnodes:\n  desk: {{type: agent}}\n"),
        3,
        19,
        "'retries' must be a whole number from 0 to 100",
    ),
    case(
        "handler-retries-too-many",
        menu(
            "nodes:\n  main:\n    options: [{key: 1, goto: main}]\n"
            "    no_input: {retries: 101, goto: main}\n"
        ),
        6,
        25,
        "'retries' must be a whole number from 0 to 100 (got 101)",
    ),
    case(
        "prompt-seconds-1e308",
        menu(
            "nodes:\n  main: {prompt_seconds: 1.0e+308, options: [{key: 0, goto: desk}]}\n"
            "  desk: {type: agent, hold_seconds: 1.0e+308}\n"
        ),
        4,
        26,
        "'prompt_seconds' must be a number from 0 to 86400 (got 1.0e+308)",
    ),
    case(
        "say-seconds-1e308",
        menu("nodes:\n  main:\n    options: [{key: 1, goto: main, say_seconds: 1.0e+308}]\n"),
        5,
        49,
        "'say_seconds' must be a number from 0 to 86400 (got 1.0e+308)",
    ),
    case(
        "wpm-nan",
        menu("timing: {speech_rate_wpm: .nan}\nnodes:\n  desk: {type: agent}\n"),
        3,
        27,
        "'speech_rate_wpm' must be a finite number from 40 to 400 (got .nan)",
    ),
    case(
        "wpm-subnormal",
        menu("timing: {speech_rate_wpm: 1.0e-320}\nnodes:\n  desk: {type: agent}\n"),
        3,
        27,
        "'speech_rate_wpm' must be a number from 40 to 400 (got 1.0e-320)",
    ),
    case(
        "wpm-too-fast",
        menu("timing: {speech_rate_wpm: 401}\nnodes:\n  desk: {type: agent}\n"),
        3,
        27,
        "'speech_rate_wpm' must be a number from 40 to 400 (got 401)",
    ),
    case(
        "response-infinite",
        menu("timing: {response_seconds: .inf}\nnodes:\n  desk: {type: agent}\n"),
        3,
        28,
        "'response_seconds' must be a finite number from 0 to 86400 (got .inf)",
    ),
    case(
        "share-1e308",
        menu(
            "nodes:\n  hours: {type: branch, routes: [{share: 1.0e+308, goto: desk},"
            " {share: 1.0e+308, goto: desk}]}\n  desk: {type: agent}\n"
        ),
        4,
        42,
        "'share' must be a number from 0 to 1000000000000000 (got 1.0e+308)",
    ),
    case(
        "intent-share-huge-integer",
        menu(f"intents: {{taxi: {'9' * 400}}}\nnodes:\n  desk: {{type: agent}}\n"),
        3,
        17,
        "'intents.taxi' must be a number from 0 to 1000000000000000",
    ),
    # -- format version -------------------------------------------------------------------
    case(
        "version-2",
        "ivraudit: 2\nname: x\nnodes:\n  desk: {type: agent}\n",
        1,
        11,
        "unsupported format version 2: this ivraudit reads version 1",
    ),
    case(
        "version-quoted",
        'ivraudit: "1"\nname: x\nnodes:\n  desk: {type: agent}\n',
        1,
        11,
        "the format version must be the number 1 (ivraudit: 1), not text '1'",
    ),
    case(
        "version-true",
        "ivraudit: true\nname: x\nnodes:\n  desk: {type: agent}\n",
        1,
        11,
        "not true/false 'true'",
    ),
    case(
        "version-float",
        "ivraudit: 1.0\nname: x\nnodes:\n  desk: {type: agent}\n",
        1,
        11,
        "not a number '1.0'",
    ),
    case(
        "version-empty",
        "ivraudit:\nname: x\nnodes:\n  desk: {type: agent}\n",
        1,
        10,
        "the format version must be the number 1 (ivraudit: 1), not nothing",
    ),
    # -- not a menu at all ------------------------------------------------------------------
    case("empty", "", 1, 1, "the file is empty"),
    case("whitespace-only", "  \n\n\t\n", 1, 1, "the file is empty"),
    case("comments-only", "# a menu\n  # to be written\n", 1, 1, "the file is empty"),
    case(
        "a-list",
        "- ivraudit: 1\n- name: x\n",
        1,
        1,
        "must be a mapping with 'ivraudit: 1', not a list",
    ),
    case("a-scalar", "City Cabs\n", 1, 1, "must be a mapping with 'ivraudit: 1', not text"),
    case("document-start-only", "---\n", 2, 1, "not nothing"),
    case(
        "two-documents",
        menu("nodes:\n  desk: {type: agent}\n---\nivraudit: 1\n"),
        5,
        1,
        "more than one YAML document",
    ),
    # -- tags ---------------------------------------------------------------------------
    case(
        "tag-python-name",
        "ivraudit: 1\nname: !!python/name:os.system\nnodes:\n  desk: {type: agent}\n",
        2,
        7,
        "tag '!!python/name:os.system' is not allowed",
    ),
    case(
        "tag-python-apply-on-a-sequence",
        menu('nodes: !!python/object/apply:os.system ["true"]\n'),
        3,
        8,
        "tag '!!python/object/apply:os.system' is not allowed",
    ),
    case(
        "tag-custom-scalar",
        menu("nodes:\n  desk: {type: agent, queue: !foo advisors}\n"),
        4,
        30,
        "tag '!foo' is not allowed: menus are plain data",
    ),
    case(
        "tag-custom-mapping",
        menu("nodes:\n  desk: !foo {type: agent}\n"),
        4,
        9,
        "tag '!foo' is not allowed",
    ),
    case(
        "tag-binary",
        menu("nodes:\n  desk: {type: agent, queue: !!binary aGVsbG8=}\n"),
        4,
        30,
        "tag '!!binary' is not allowed",
    ),
    case(
        "tag-set",
        menu("nodes:\n  desk: !!set {a, b}\n"),
        4,
        9,
        "tag '!!set' is not allowed",
    ),
    # -- aliases --------------------------------------------------------------------------
    case(
        "alias-unknown",
        menu("nodes:\n  desk: {type: agent, queue: *advisors}\n"),
        4,
        30,
        "unknown alias '*advisors': no '&advisors' before it",
    ),
    case(
        "alias-to-itself",
        menu("nodes: &n\n  desk: *n\n"),
        4,
        9,
        "alias '*n' refers to itself",
    ),
    case(
        "merge-key",
        menu(
            "nodes:\n  base: &base {type: agent, hold_seconds: 30}\n  desk: {<<: *base, queue: q}\n"
        ),
        5,
        10,
        "merge keys ('<<') are not supported",
    ),
    case(
        "nesting-too-deep-flow",
        "[" * 100_000,
        1,
        65,
        "nesting deeper than 64 levels",
    ),
    case(
        "nesting-too-deep-mapping",
        "{a: " * 100_000,
        1,
        257,
        "nesting deeper than 64 levels",
    ),
    case(
        "nesting-too-deep-block",
        "- " * 100_000 + "x\n",
        1,
        129,
        "nesting deeper than 64 levels",
    ),
    # -- node ids -----------------------------------------------------------------------
    case(
        "id-with-space",
        menu("nodes:\n  front desk: {type: agent}\n"),
        4,
        3,
        "node id 'front desk' must match [A-Za-z0-9_.-]+",
    ),
    case(
        "id-with-slash",
        menu("nodes:\n  main/desk: {type: agent}\n"),
        4,
        3,
        "node id 'main/desk' must match",
    ),
    case(
        "id-not-ascii",
        menu("nodes:\n  caf\u00e9: {type: agent}\n"),
        4,
        3,
        "node id 'caf\u00e9' must match",
    ),
    case(
        "id-empty",
        menu('nodes:\n  "": {type: agent}\n'),
        4,
        3,
        "node id '' must match",
    ),
    case(
        "id-with-line-break-stays-on-one-line",
        menu('nodes:\n  "front\\ndesk": {type: agent}\n'),
        4,
        3,
        "node id 'front\\ndesk' must match",
    ),
    case(
        "goto-with-bad-characters",
        menu("nodes:\n  main:\n    options: [{key: 1, goto: 'desk!'}]\n  desk: {type: agent}\n"),
        5,
        30,
        "goto 'desk!' must match",
    ),
    case(
        "derived-id-taken-by-a-later-node",
        menu(
            """
            nodes:
              main:
                options:
                  - {key: 1, goto: {type: agent}}
              main.1: {type: hangup}
            """
        ),
        7,
        3,
        "node id 'main.1' is used twice (first at line 6)",
    ),
    case(
        "derived-id-taken-by-an-earlier-node",
        menu(
            """
            nodes:
              main.1: {type: hangup}
              main:
                options:
                  - {key: 1, goto: {type: agent}}
            """
        ),
        7,
        24,
        "node id 'main.1' is used twice (first at line 4)",
    ),
    case(
        "derived-id-twice-from-one-key-twice",
        menu(
            """
            nodes:
              main:
                options:
                  - {key: 1, goto: {type: agent}}
                  - {key: 1, goto: {type: hangup}}
            """
        ),
        7,
        24,
        "node id 'main.1' is used twice",
    ),
    # -- empty or impossible structures -------------------------------------------------
    case(
        "branch-shares-sum-to-zero",
        menu(
            """
            nodes:
              hours:
                type: branch
                routes:
                  - {when: open, share: 0, goto: desk}
                  - {when: closed, share: 0, goto: bye}
              desk: {type: agent}
              bye: {type: hangup}
            """
        ),
        7,
        7,
        "the shares of branch 'hours' add up to 0",
    ),
    case(
        "branch-no-routes",
        menu("nodes:\n  hours: {type: branch, routes: []}\n"),
        4,
        33,
        "'routes' of branch 'hours' must be a non-empty list",
    ),
    case(
        "menu-empty-options",
        menu("nodes:\n  main:\n    prompt: Hello.\n    options: []\n"),
        6,
        14,
        "menu 'main' has no options (use type: message for an announcement)",
    ),
    case(
        "nodes-empty",
        menu("nodes: {}\n"),
        3,
        8,
        "'nodes' is empty: a menu needs at least one node",
    ),
]


@pytest.mark.parametrize(("text", "line", "column", "fragment"), BAD_YAML)
def test_bad_yaml_is_one_located_error(text: str, line: int, column: int, fragment: str) -> None:
    assert_error(error_of(text), "m.yaml", line, column, fragment)


@pytest.mark.parametrize(("text", "line", "column", "fragment"), BAD_YAML)
def test_bad_yaml_exits_2_with_one_line(
    tmp_path: Path, text: str, line: int, column: int, fragment: str
) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    assert_cli_error(path, line, column, fragment)


# -- files: bytes, fixtures, JSON -----------------------------------------------------------


def json_says(text: str) -> json.JSONDecodeError:
    """Return the running Python's own complaint about `text`, whose place and words the
    loader passes on: 3.13 blames a trailing comma at the comma, 3.12 at the brace after."""
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        return error
    raise AssertionError(f"valid JSON: {text!r}")


SYNTAX_ERROR = json_says((BAD / "syntax_error.json").read_text(encoding="utf-8"))
TRAILING_COMMA = '{"ivraudit": 1, "name": "x",}'

BAD_FILES = [
    pytest.param("invalid_utf8.yaml", 4, 39, "invalid UTF-8", id="invalid-utf8"),
    pytest.param("binary_nul.yaml", 2, 11, "binary content (a NUL byte)", id="binary-nul"),
    pytest.param("utf16.yaml", 1, 1, "UTF-16 text: save the menu file as UTF-8", id="utf16"),
    pytest.param("empty.yaml", 1, 1, "the file is empty", id="empty-file"),
    pytest.param("comments_only.yaml", 1, 1, "the file is empty", id="comments-only"),
    pytest.param("two_documents.yaml", 5, 1, "more than one YAML document", id="two-docs"),
    pytest.param(
        "python_object.yaml", 2, 7, "'!!python/object/apply:os.system' is not", id="python-tag"
    ),
    pytest.param(
        "billion_laughs.yaml", 9, 12, "aliases expand to over 100000 values", id="billion-laughs"
    ),
    pytest.param(
        "syntax_error.json",
        5,
        SYNTAX_ERROR.colno,
        f"invalid JSON: {SYNTAX_ERROR.msg}",
        id="json-syntax",
    ),
    pytest.param(
        "duplicate_key.json",
        6,
        5,
        "duplicate key 'desk' (first at line 5); JSON would silently keep",
        id="json-duplicate-key",
    ),
]


@pytest.mark.parametrize(("name", "line", "column", "fragment"), BAD_FILES)
def test_bad_file_is_one_located_error(name: str, line: int, column: int, fragment: str) -> None:
    path = BAD / name
    with pytest.raises(MenuError) as info:
        load_menu(path)
    assert_error(info.value, str(path), line, column, fragment)


@pytest.mark.parametrize(("name", "line", "column", "fragment"), BAD_FILES)
def test_bad_file_exits_2_with_one_line(name: str, line: int, column: int, fragment: str) -> None:
    assert_cli_error(BAD / name, line, column, fragment)


BAD_BYTES = [
    pytest.param(
        "ivraudit: 1\nname: Z\u00f6e \u00ab".encode() + b"\xff\xfe\n",
        2,
        12,
        "invalid UTF-8",
        id="invalid-utf8-after-non-ascii",
    ),
    pytest.param(b"ivraudit: 1\nname: \xc3\x28\n", 2, 7, "invalid UTF-8", id="truncated-sequence"),
    pytest.param(b"\x00\x01\x02\x03", 1, 1, "binary content", id="binary-at-start"),
    pytest.param(b"\xef\xbb\xbf", 1, 1, "the file is empty", id="bom-only"),
    pytest.param(
        "\ufeffivraudit: 1\nname: x\nnodes: {desk: {type: agent, hold_seconds: -1}}\n".encode(),
        3,
        43,
        "'hold_seconds' must be a number from 0 to 86400",
        id="bom-then-error",
    ),
    pytest.param(
        b"ivraudit: 1\r\nname: x\r\nnodes:\r\n  desk: {type: agent, hold_seconds: x}\r\n",
        4,
        37,
        "'hold_seconds' must be a number",
        id="crlf-line-ends",
    ),
]


@pytest.mark.parametrize(("data", "line", "column", "fragment"), BAD_BYTES)
def test_bad_bytes_are_one_located_error(
    data: bytes, line: int, column: int, fragment: str
) -> None:
    assert_error(error_of(data), "m.yaml", line, column, fragment)


@pytest.mark.parametrize(("data", "line", "column", "fragment"), BAD_BYTES)
def test_bad_bytes_exit_2_with_one_line(
    tmp_path: Path, data: bytes, line: int, column: int, fragment: str
) -> None:
    path = tmp_path / "m.yaml"
    path.write_bytes(data)
    assert_cli_error(path, line, column, fragment)


def test_a_file_that_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(MenuError) as info:
        load_menu(tmp_path / "missing.yaml")
    assert_error(info.value, str(tmp_path / "missing.yaml"), 1, 1, "cannot read file")


BAD_JSON = [
    case("json-trailing-comma", TRAILING_COMMA, 1, json_says(TRAILING_COMMA).colno, "invalid JSON"),
    case("json-yaml-text", "ivraudit: 1\nname: x\n", 1, 1, "invalid JSON: Expecting value"),
    case(
        "json-single-quotes",
        '{\n  "ivraudit": 1,\n  \'name\': "x"\n}',
        3,
        3,
        "invalid JSON: Expecting property name enclosed in double quotes",
    ),
    case(
        "json-duplicate-top-level",
        '{"ivraudit": 1, "name": "x", "name": "y", "nodes": {}}',
        1,
        30,
        "duplicate key 'name' (first at line 1)",
    ),
    case(
        "json-duplicate-in-option",
        '{"ivraudit": 1, "name": "x", "nodes": {"m": {"options": [\n'
        '  {"key": 1, "goto": "m", "key": 2}]}}}',
        2,
        27,
        "duplicate key 'key'",
    ),
    case(
        "json-negative-hold",
        '{\n  "ivraudit": 1,\n  "name": "x",\n  "nodes": {\n'
        '    "desk": {"type": "agent", "hold_seconds": -5}\n  }\n}\n',
        5,
        47,
        "'hold_seconds' must be a number from 0 to 86400 (got -5)",
    ),
    case(
        "json-position-after-an-escaped-emoji",
        '{"ivraudit": 1, "name": "\\ud83d\\ude95 Cabs", "nodes": {"desk": {"type": "agnet"}}}',
        1,
        73,
        "unknown node type 'agnet'",
    ),
    case(
        "json-version-string",
        '{"ivraudit": "1", "name": "x", "nodes": {"desk": {"type": "agent"}}}',
        1,
        14,
        "not text '1'",
    ),
    case(
        "json-nan",
        '{"ivraudit": 1, "name": "x", "nodes": {"desk": {"type": "agent", "hold_seconds": NaN}}}',
        1,
        82,
        "must be a finite number",
    ),
    case("json-a-list", "[1, 2]", 1, 1, "must be a mapping with 'ivraudit: 1', not a list"),
    case("json-nesting-too-deep", "[" * 100_000, 1, 65, "nesting deeper than 64 levels"),
    case(
        "json-nesting-too-deep-but-valid",
        "[" * 100 + "]" * 100,
        1,
        65,
        "nesting deeper than 64 levels",
    ),
    case(
        "json-huge-integer",
        '{"ivraudit": 1, "name": "x", "nodes": {"d": {"type": "agent", "hold_seconds": '
        + "9" * 5000
        + "}}}",
        1,
        79,
        "a number of 5000 digits is too long to read",
    ),
]


@pytest.mark.parametrize(("text", "line", "column", "fragment"), BAD_JSON)
def test_bad_json_is_one_located_error(text: str, line: int, column: int, fragment: str) -> None:
    assert_error(error_of(text, "m.json", json_mode=True), "m.json", line, column, fragment)


@pytest.mark.parametrize(("text", "line", "column", "fragment"), BAD_JSON)
def test_bad_json_exits_2_with_one_line(
    tmp_path: Path, text: str, line: int, column: int, fragment: str
) -> None:
    path = tmp_path / "m.json"
    path.write_text(text, encoding="utf-8")
    assert_cli_error(path, line, column, fragment)


# -- safety -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system",
        "!!python/object/new:os.system",
        "!!python/object/apply:subprocess.check_call",
    ],
)
def test_python_tags_are_rejected_and_never_run(tmp_path: Path, tag: str) -> None:
    marker = tmp_path / "pwned"
    payload = f'[["sh", "-c", "echo pwned > {marker}"]]' if "subprocess" in tag else None
    payload = payload or f'["echo pwned > {marker}"]'
    text = menu(f"nodes:\n  desk: {{type: agent, queue: {tag} {payload}}}\n")
    # The payload is live: a loader that runs Python tags would create the marker.
    yaml.unsafe_load(text)
    assert marker.exists()
    marker.unlink()
    assert_error(error_of(text), "m.yaml", 4, 30, "is not allowed: menus are plain data")
    assert not marker.exists()


def test_python_object_fixture_never_runs() -> None:
    """The fixture's payload writes /tmp/x, as in the classic exploit."""
    target = Path("/tmp/x")
    before = target.stat().st_mtime_ns if target.exists() else None
    with pytest.raises(MenuError, match="is not allowed"):
        load_menu(BAD / "python_object.yaml")
    assert (target.stat().st_mtime_ns if target.exists() else None) == before


def test_python_name_tag_is_rejected(tmp_path: Path) -> None:
    text = menu("nodes:\n  desk: {type: agent, queue: !!python/name:os.system ''}\n")
    assert_error(error_of(text), "m.yaml", 4, 30, "'!!python/name:os.system' is not allowed")


def test_billion_laughs_fails_fast_and_small() -> None:
    # Memory, not seconds, is the deterministic witness that nothing was expanded.
    tracemalloc.start()
    try:
        with pytest.raises(MenuError) as info:
            load_menu(BAD / "billion_laughs.yaml")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (info.value.line, info.value.column) == (9, 12)
    assert peak < 20 * 1024 * 1024


def test_aliases_cannot_multiply_inline_nodes() -> None:
    """Each route of a branch gets its own derived id, so aliased routes make new nodes."""

    def level(i: int) -> str:
        if i == 0:
            return "&r0 {share: 1, goto: {type: agent}}"
        routes = ", ".join([level(i - 1)] + [f"*r{i - 1}"] * 8)
        return f"&r{i} {{share: 1, goto: {{type: branch, routes: [{routes}]}}}}"

    text = menu(f"nodes:\n  start:\n    type: branch\n    routes: [{level(6)}]\n")
    assert len(text) < 1000
    tracemalloc.start()
    try:
        exc = error_of(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50 * 1024 * 1024
    assert exc.line == 6
    assert text.splitlines()[5][exc.column - 1 :].startswith("*r4")
    assert "aliases expand to over 100000 values" in exc.message


def test_deep_nesting_is_bounded_without_recursion_error() -> None:
    for text, json_mode in [("[" * 1_000_000, False), ("[" * 1_000_000, True)]:
        with pytest.raises(MenuError, match="nesting deeper than 64 levels"):
            loads_menu(text, "m.yaml", json_mode=json_mode)


def test_a_line_break_in_a_key_keeps_the_error_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(menu('nodes:\n  desk: {type: agent, "que\\nue": q}\n'), encoding="utf-8")
    assert_cli_error(path, 4, 23, "unknown key 'que\\nue' in an agent node")


# -- what a valid file becomes -------------------------------------------------------------

INLINE = menu(
    """
    nodes:
      main:
        prompt: City Cabs.
        options:
          - {key: 1, label: a taxi now, goto: desk}
          - key: 2
            goto: {type: message, prompt: Later., next: {type: agent}}
          - {key: "*", goto: {type: hangup}}
          - {key: "#", goto: {type: hangup}}
          - {key: 0, goto: hours}
        no_input: {retries: 1, goto: {type: agent}}
        no_match: {goto: {type: hangup}}
      hours:
        type: branch
        routes:
          - {when: open, share: 3, goto: {type: agent}}
          - {when: closed, share: 1, goto: desk}
      desk:
        type: agent
        hold_seconds: 30
    """
)


def test_inline_nodes_get_derived_ids() -> None:
    m = loads_menu(INLINE, "m.yaml")
    assert [n.id for n in m.nodes] == [
        "main",
        "main.2",
        "main.2.next",
        "main.star",
        "main.hash",
        "main.no_input",
        "main.no_match",
        "hours",
        "hours.route1",
        "desk",
    ]
    main_node = m.node("main")
    assert [o.goto for o in main_node.options] == [
        "desk",
        "main.2",
        "main.star",
        "main.hash",
        "hours",
    ]
    assert m.node("main.2").next == "main.2.next"
    assert m.node("main.2.next").type == "agent"
    assert main_node.no_input is not None and main_node.no_input.goto == "main.no_input"
    assert main_node.no_input.retries == 1
    assert main_node.no_match is not None and main_node.no_match.goto == "main.no_match"
    assert [r.goto for r in m.node("hours").routes] == ["hours.route1", "desk"]


def test_inline_entry_and_next_ids() -> None:
    m = loads_menu(
        menu(
            "entry: {type: message, prompt: Hi., next: x}\n"
            "nodes:\n  x: {type: message, next: {type: agent}}\n"
        ),
        "m.yaml",
    )
    assert m.entry == "entry"
    assert m.node("x").next == "x.next"
    assert {n.id for n in m.nodes} == {"entry", "x", "x.next"}


def test_nodes_keep_their_positions() -> None:
    m = loads_menu(INLINE, "m.yaml")
    main_node = m.node("main")
    # A block mapping starts at its first key; a flow mapping at its brace.
    assert main_node.pos == Position("m.yaml", 5, 5)
    assert main_node.key_pos == Position("m.yaml", 4, 3)
    assert main_node.where("options") == Position("m.yaml", 6, 5)
    assert main_node.where("no_input") == Position("m.yaml", 13, 5)
    assert main_node.where("barge_in") == main_node.pos  # not written: the node itself
    assert [o.pos for o in main_node.options] == [
        Position("m.yaml", 7, 9),
        Position("m.yaml", 8, 9),
        Position("m.yaml", 10, 9),
        Position("m.yaml", 11, 9),
        Position("m.yaml", 12, 9),
    ]
    assert m.node("main.2").pos == Position("m.yaml", 9, 15)
    assert main_node.no_input is not None
    assert main_node.no_input.pos == Position("m.yaml", 13, 15)
    assert [r.pos for r in m.node("hours").routes] == [
        Position("m.yaml", 18, 9),
        Position("m.yaml", 19, 9),
    ]
    desk = m.node("desk")
    assert desk.pos == Position("m.yaml", 21, 5)
    assert desk.where("hold_seconds") == Position("m.yaml", 22, 5)
    assert m.pos == Position("m.yaml", 1, 1)


def test_keys_are_text() -> None:
    m = loads_menu(INLINE, "m.yaml")
    assert [o.key for o in m.node("main").options] == ["1", "2", "*", "#", "0"]


def test_entry_defaults_to_the_first_node_written() -> None:
    m = loads_menu(menu("nodes:\n  zeta: {type: agent}\n  alpha: {type: hangup}\n"), "m.yaml")
    assert m.entry == "zeta"


def test_timing_defaults_apply() -> None:
    m = loads_menu(menu("nodes:\n  desk: {type: agent}\n"), "m.yaml")
    assert m.timing == Timing(
        speech_rate_wpm=150, response_seconds=1.0, timeout_seconds=5, retries=2, entry_seconds=6
    )
    m = loads_menu(menu("timing: {retries: 0, speech_rate_wpm: 180}\nnodes:\n  d: {type: agent}\n"))
    assert m.timing == Timing(speech_rate_wpm=180, retries=0)
    assert m.node("d").hold_seconds == 0
    assert m.node("d").barge_in is True


def test_small_anchors_and_aliases_still_work() -> None:
    m = loads_menu(
        menu(
            """
            intents: {taxi: 2, lost_item: 1}
            nodes:
              main:
                options:
                  - {key: 1, goto: desk}
                  - {key: 2, goto: lost}
                no_input: &to_desk {retries: 1, goto: desk}
                no_match: *to_desk
              lost:
                type: agent
                queue: &queue advisors
                handles: &both [taxi, lost_item]
              desk:
                type: agent
                queue: *queue
                handles: *both
            """
        ),
        "m.yaml",
    )
    main_node = m.node("main")
    assert main_node.no_input == main_node.no_match
    assert main_node.no_match is not None and main_node.no_match.retries == 1
    assert m.node("desk").queue == "advisors"
    assert m.node("desk").handles == ("taxi", "lost_item")
    assert m.intent_shares == {"taxi": 2 / 3, "lost_item": 1 / 3}


def test_quoted_keys_and_explicit_document_markers() -> None:
    text = (
        "---\n"
        + menu("nodes:\n  m:\n    options: [{key: !!str 1, goto: m}, {key: '0', goto: m}]\n")
        + "...\n"
    )
    assert [o.key for o in loads_menu(text).node("m").options] == ["1", "0"]


def test_json_that_yaml_would_refuse_still_loads() -> None:
    text = (
        '{"ivraudit": 1,\t"name": "Taxi \\ud83d\\ude95 \\/ line\u0085",'
        ' "nodes": {"desk": {"type": "agent", "hold_seconds": 1E1}}}'
    )
    m = loads_menu(text, "m.json", json_mode=True)
    assert m.name == "Taxi \U0001f695 / line\u0085"
    assert m.node("desk").hold_seconds == 10.0
    assert m.node("desk").pos == Position("m.json", 1, 73)


def test_json_menu_loads_with_positions(tmp_path: Path) -> None:
    text = (
        "{\n"
        '  "ivraudit": 1,\n'
        '  "name": "City Cabs \\ud83d\\ude95 line",\n'
        '  "intents": {"taxi_now": 0.7, "book_later": 0.3},\n'
        '  "nodes": {\n'
        '    "main": {\n'
        '      "prompt": "City Cabs.",\n'
        '      "options": [\n'
        '        {"key": 1, "label": "a taxi now", "goto": "dispatch"},\n'
        '        {"key": "#", "goto": {"type": "agent", "handles": ["book_later"]}}\n'
        "      ]\n"
        "    },\n"
        '    "dispatch": {"type": "self_service", "handles": ["taxi_now"],\n'
        '                 "prompt": "On\\/its way."}\n'
        "  }\n"
        "}\n"
    )
    path = tmp_path / "cabs.json"
    path.write_text(text, encoding="utf-8")
    m = load_menu(path)
    assert m.name == "City Cabs \U0001f695 line"
    assert m.entry == "main"
    assert [n.id for n in m.nodes] == ["main", "main.hash", "dispatch"]
    main_node = m.node("main")
    assert main_node.pos == Position(str(path), 6, 13)
    assert main_node.where("options") == Position(str(path), 8, 7)
    assert [o.key for o in main_node.options] == ["1", "#"]
    assert [o.pos for o in main_node.options] == [
        Position(str(path), 9, 9),
        Position(str(path), 10, 9),
    ]
    assert m.node("main.hash").pos == Position(str(path), 10, 30)
    assert m.node("dispatch").prompt == "On/its way."
    # The same menu as YAML reads the same.
    as_yaml = loads_menu(yaml.safe_dump(json.loads(text), sort_keys=False), "m.yaml")
    assert [n.id for n in as_yaml.nodes] == [n.id for n in m.nodes]
    assert as_yaml.intents == m.intents
