"""Client wording: findings say why they matter and cite a source; the menu format's
terms and line numbers stay in the technical formats."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivraudit.cli import main
from ivraudit.judge.rules import REGISTRY
from ivraudit.report.wording import client_text
from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        (
            "set barge_in: true on 'billing' (or remove barge_in: false)",
            "let callers press a key before the prompt at 'billing' ends",
        ),
        (
            "barge-in is off at 'billing': every key waits for the whole menu",
            "callers cannot interrupt 'billing': every key waits for the whole menu",
        ),
        (
            "'main' has no no_input handler: a caller who presses nothing hears it 3 times",
            "'main' has no way on for callers who press nothing: a caller who presses nothing "
            "hears it 3 times",
        ),
        (
            "send callers who press a wrong key to 'desk' after one repeat (in the menu file: "
            "no_match: {retries: 1, goto: desk})",
            "send callers who press a wrong key to 'desk' after one repeat",
        ),
        (
            'say "Hello." instead (mark legally required words with keep: true)',
            'say "Hello." instead (keeping any words the law requires)',
        ),
        ("'main' offers 7 options (more than 5)", "'main' offers 7 options (more than 5)"),
        (
            "Send no-input and no-match at 'main' to a person",
            "Send callers who press nothing or a wrong key at 'main' to a person",
        ),
        (
            "Send no-match at 'regulars' to a person",
            "Send callers who press a wrong key at 'regulars' to a person",
        ),
        (
            "Do not ask for account_number again at 'confirm_account'",
            "Do not ask for account number again at 'confirm_account'",
        ),
        (
            "'confirm_account' asks again for account_number, which the caller already keyed in",
            "'confirm_account' asks again for account number, which the caller already keyed in",
        ),
    ],
)
def test_client_text_drops_the_formats_terms(text: str, plain: str) -> None:
    assert client_text(text) == plain


def test_every_rule_says_why_in_one_sentence_and_cites_a_source() -> None:
    for r in REGISTRY.values():
        assert r.why and r.why.endswith(".") and r.rationale.startswith(r.why), r.id
        # One sentence: no full stop before its end that a capital follows.
        assert not re.search(r"\.\s+[A-Z]", r.why), r.id
        assert r.cite and r.source.startswith(r.cite.rstrip(".")), r.id
    assert REGISTRY["IVR304"].cite == "GetHuman Standard v1.0 (2007), point 7"
    # A clause that names no work runs on to the one that does.
    assert REGISTRY["IVR205"].cite.endswith("GetHuman Standard v1.0 (2007), point 6")


def _page(tmp_path: Path, menu: str) -> str:
    out = tmp_path / "page.html"
    result = CliRunner().invoke(
        main, ["score", str(ROOT / "menus" / menu), "--format", "html", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def _findings(page: str) -> str:
    start = page.index('<section aria-labelledby="s-find">')
    return page[start : page.index("</section>", start)]


def test_the_page_gives_each_rule_why_and_source_without_file_terms(tmp_path: Path) -> None:
    findings = _findings(_page(tmp_path, "telecom_hell.yaml"))
    barge = REGISTRY["IVR304"]
    assert f'<strong>{barge.title}</strong> <span class="rid">IVR304</span>' in findings
    assert f'{barge.why} <span class="src">Source: {barge.cite}</span>' in findings
    assert "callers cannot interrupt &#39;billing&#39;" in findings
    for jargon in ("no_input", "no_match", "barge_in", "barge-in is off"):
        assert jargon not in findings
    # Line numbers are for the file's editor: the technical formats give them.
    assert not re.search(r"\bline \d+|\blines \d+", findings)


def test_fixes_and_the_index_speak_without_file_terms(tmp_path: Path) -> None:
    """Fix titles on the page and the index's costliest finding read in callers' words:
    no `no-match`, no `account_number`, no `no_match handler`."""
    page = _page(tmp_path, "telecom_hell.yaml")
    start = page.index('id="s-first"')
    fixes = page[start : page.index("</section>", start)]
    assert "Do not ask for account number again" in fixes and "account_number" not in fixes
    # The file's line is for its editor: the Suggestions section gives it, not the headline.
    assert not re.search(r"\bline \d+", fixes)
    assert re.search(r"\bline 16\b", page[page.index('id="s-sugg"') :])
    out = tmp_path / "site"
    result = CliRunner().invoke(
        main, ["report", str(ROOT / "menus/trattoria.yaml"), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    index = (out / "index.html").read_text(encoding="utf-8")
    row = index[index.index("<tbody") : index.index("</tbody>")]
    for jargon in ("no_match", "no-match", "no_input", "no-input", " dead-end"):
        assert jargon not in row, jargon
    assert REGISTRY["IVR402"].title in row


def test_the_terminal_and_markdown_give_why_and_source() -> None:
    runner = CliRunner()
    text = runner.invoke(main, ["score", str(ROOT / "menus/telecom_hell.yaml"), "--width", "300"])
    flat = re.sub(r"\s+", " ", text.stdout)
    barge = REGISTRY["IVR304"]
    assert f"why: {barge.why} ({barge.cite})" in flat
    assert "no_input handler" not in flat
    md = runner.invoke(
        main, ["check", str(ROOT / "menus/telecom_hell.yaml"), "--format", "markdown"]
    ).stdout
    assert "**Why these matter:**" in md
    assert f"- **IVR304** {barge.title} — {barge.why} _Source: {barge.cite}_" in md


def test_markdown_gives_times_over_90_s_as_minutes() -> None:
    md = (
        CliRunner()
        .invoke(main, ["check", str(ROOT / "menus/telecom_hell.yaml"), "--format", "markdown"])
        .stdout
    )
    seconds = [float(x) for x in re.findall(r"\b(\d+(?:\.\d+)?)[ \u00a0]s\b", md)]
    assert seconds and max(seconds) <= 90  # past 90 s a time reads as minutes
    assert re.search(r"\b\d+:\d\d\b", md)  # and there are such times (8:55, 7:19)
