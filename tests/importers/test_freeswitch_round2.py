"""FreeSWITCH mod_ivr read the way it runs a menu (issue 20, point 10): a menu of typed
numbers (dial-by-extension) is an input of the extension, and an ivr.conf with no menus
says what it is."""

from __future__ import annotations

import json
from pathlib import Path

from ivraudit.importers import guess, import_file
from tests.importers.common import assert_imports_as_it_scores, run, write

# A main menu whose key 2 leads to a directory where the caller types an extension; the
# main menu also takes a typed number itself.
DIRECTORY = """\
<include>
  <menu name="main"
      greet-long="say:For sales press 1. To reach someone by extension press 2."
      greet-short="say:Sales 1, extension 2."
      exit-sound="voicemail/vm-goodbye.wav"
      timeout="10000" inter-digit-timeout="2000" max-failures="3" max-timeouts="3">
    <entry action="menu-exec-app" digits="1" param="callcenter sales@default"/>
    <entry action="menu-sub" digits="2" param="directory"/>
    <entry action="menu-exec-app" digits="/^(1[0-9]{3})$/" param="transfer $1 XML default"/>
  </menu>
  <menu name="directory"
      greet-long="say:Please enter the extension of the person you are calling."
      greet-short="say:Enter an extension."
      exit-sound="voicemail/vm-goodbye.wav"
      timeout="5000" inter-digit-timeout="2000" max-timeouts="2" digit-len="4">
    <entry action="menu-exec-app" digits="/^(\\d{4})$/" param="transfer $1 XML default"/>
  </menu>
</include>
"""


def test_menu_of_a_typed_number_only_is_an_input_leading_to_a_person(tmp_path: Path) -> None:
    menu = import_file(write(tmp_path, "directory.xml", DIRECTORY))
    main_menu = menu.node("main")
    assert [o.key for o in main_menu.options] == ["1", "2"]  # the pattern is no option
    directory = menu.node(next(o.goto for o in main_menu.options if o.key == "2"))
    assert directory.type == "input" and directory.collects == "extension"
    assert directory.prompt == "Please enter the extension of the person you are calling."
    person = menu.node(directory.next or "")
    assert person.type == "agent" and person.queue == "an extension typed (default)"
    assert [n.id for n in menu.nodes if n.type == "menu"] == ["main"]


def test_the_waiting_of_a_dial_by_extension_menu_is_stated_from_its_figures(
    tmp_path: Path,
) -> None:
    menu = import_file(write(tmp_path, "directory.xml", DIRECTORY))
    [note] = [a for a in menu.assumptions if a.startswith("menu 'directory'")]
    assert "dial-by-extension (/^(\\d{4})$/)" in note
    assert "waits 5 s for the first digit and 2 s for each next one, up to 4 digits" in note
    # max-timeouts="2": greet-long then greet-short, each followed by 5 s of silence.
    assert (
        "hears greet-long, then greet-short 1 more time, each followed by 5 s of silence "
        "(10 s of waiting in all)" in note
    )
    [mixed] = [a for a in menu.assumptions if a.startswith("menu 'main'")]
    assert "/^(1[0-9]{3})$/" in mixed and "not counted as an option" in mixed


def test_several_patterns_to_different_places_are_a_decision_after_the_input(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        "attendant.xml",
        """\
        <include>
          <menu name="attendant" greet-long="phrase:attendant" timeout="8000"
              max-failures="3">
            <entry action="menu-exec-app" digits="/^(1\\d{3})$/" param="transfer $1 XML default"/>
            <entry action="menu-exec-app" digits="/^(2\\d{3})$/"
                param="voicemail default $${domain} $1"/>
            <entry action="menu-exec-app" digits="/^(3\\d{3})$/"
                param="execute_extension $1 XML sales"/>
          </menu>
        </include>
        """,
    )
    menu = import_file(path)
    entry = menu.node(menu.entry)
    assert entry.type == "input" and entry.prompt == "(audio: attendant)"
    branch = menu.node(entry.next or "")
    assert [r.when for r in branch.routes] == [
        "typed /^(1\\d{3})$/",
        "typed /^(2\\d{3})$/",
        "typed /^(3\\d{3})$/",
    ]
    reached = [menu.node(r.goto) for r in branch.routes]
    assert [n.type for n in reached] == ["agent", "self_service", "agent"]
    assert reached[2].queue == "an extension typed (sales)"
    # No max-timeouts: mod_ivr takes max-failures; no timeout would be 10 s.
    # No greet-short: mod_ivr plays greet-long again.
    assert any(
        "greet-long 3 times, each followed by 8 s of silence (24 s of waiting in all)" in a
        for a in menu.assumptions
    )


def test_import_then_score_equals_score(tmp_path: Path) -> None:
    assert_imports_as_it_scores(write(tmp_path, "directory.xml", DIRECTORY), tmp_path)


def refused(path: Path) -> str:
    result = run("score", str(path))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    [line] = result.stderr.splitlines()
    return line


def test_ivr_conf_with_no_menus_says_so_where_its_menus_would_be(tmp_path: Path) -> None:
    empty = write(
        tmp_path,
        "ivr.conf.xml",
        '<configuration name="ivr.conf" description="IVR menus">\n  <menus>\n  </menus>\n'
        "</configuration>\n",
    )
    assert guess(empty.read_text(encoding="utf-8")) is not None
    assert refused(empty) == (
        f"{empty}:2:3: error: FreeSWITCH IVR configuration (ivr.conf) with no menus"
    )
    vanilla = write(
        tmp_path,
        "vanilla.xml",
        """\
        <?xml version="1.0"?>
        <configuration name="ivr.conf" description="IVR menus">
          <menus>
            <!-- demo IVR setup -->
            <X-PRE-PROCESS cmd="include" data="../ivr_menus/*.xml"/>
          </menus>
        </configuration>
        """,
    )
    assert refused(vanilla) == (
        f"{vanilla}:3:3: error: FreeSWITCH IVR configuration (ivr.conf) with no menus; it "
        "includes its menus from ../ivr_menus/*.xml: give those files"
    )


def test_a_folder_passes_over_an_ivr_conf_that_only_includes_its_menus(tmp_path: Path) -> None:
    # The stock configuration tree: autoload_configs/ivr.conf.xml includes ivr_menus/*.xml.
    # Searching the tree audits the menus and passes over the configuration, as over a
    # README; named on its own, the configuration is the error above.
    conf = tmp_path / "autoload_configs"
    conf.mkdir()
    write(
        conf,
        "ivr.conf.xml",
        '<configuration name="ivr.conf">\n  <menus>\n'
        '    <X-PRE-PROCESS cmd="include" data="../ivr_menus/*.xml"/>\n'
        "  </menus>\n</configuration>\n",
    )
    menus = tmp_path / "ivr_menus"
    menus.mkdir()
    write(
        menus,
        "main.xml",
        '<include>\n  <menu name="main" greet-long="say:Press 1 for sales." timeout="5000">\n'
        '    <entry action="menu-exec-app" digits="1" param="callcenter sales@default"/>\n'
        "  </menu>\n</include>\n",
    )
    result = run("score", str(tmp_path), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["name"] == "main"  # one menu: its object
    assert "skipped 1 file" in result.stderr


def test_menu_file_whose_menus_are_commented_out_points_at_them(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "demo3.xml",
        """\
        <include>
          <!-- TTS sample
          <menu name="demo3" greet-long="say:Press 1" timeout="15000">
            <entry action="menu-exit" digits="*"/>
          </menu>
          -->
        </include>
        """,
    )
    assert refused(path) == (
        f"{path}:3:3: error: FreeSWITCH IVR menu file with no menus: the menus in it are "
        "commented out"
    )
