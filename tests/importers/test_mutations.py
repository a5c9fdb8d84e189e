"""1,000 seeded mutations of the real exports: each is read, audited and scored (and
written in our format, which scores the same), or refused with one located MenuError;
never another exception."""

from __future__ import annotations

import random
import re

from ivraudit.audit import audit_menu
from ivraudit.format.errors import MenuError
from ivraudit.format.loader import loads_menu
from ivraudit.format.writer import dump_menu
from ivraudit.importers import guess
from ivraudit.importers.flow import Settings, to_menu
from tests.conftest import REALFLOWS, needs_realflows

pytestmark = needs_realflows

MUTATIONS = 1000
# Pieces that break parsers in interesting ways: templates, XML declarations, nesting,
# dialplan and YAML syntax, NUL and surrogate-free odd text.
TOKENS = (
    "${VAR}",
    "%%PLACE%%",
    "{{tpl}}",
    "<%@ page %>",
    "<?php ?>",
    '<!DOCTYPE x [<!ENTITY a "b">]>',
    "&a;",
    "{",
    "}",
    "[",
    "]",
    '"',
    ":",
    ",",
    "<",
    ">",
    "/>",
    "\n",
    "- ",
    "  ",
    "\t",
    "[ctx]\n",
    "exten => 1,1,Goto(ctx,1,1)\n",
    "same => n,WaitExten(x)\n",
    "null",
    "true",
    "-1",
    "1e999",
    '"NextAction": "x"',
    '"next": "main_menu"',
    "digit_star",
    "\u00e9",
    "*",
)


def _mutate(rng: random.Random, text: str) -> str:
    i = rng.randrange(len(text) + 1)
    j = min(len(text), i + rng.randrange(1, 200))
    how = rng.randrange(7)
    if how == 0:
        return text[:i] + text[j:]
    if how == 1:
        return text[:j] + text[i:j] + text[j:]
    if how == 2:
        return text[:i] + rng.choice(TOKENS) + text[i:]
    if how == 3:
        return text[:i] + rng.choice(TOKENS) + text[i + 1 :]
    if how == 4:
        return text[:i]
    if how == 5:  # a digit or key changed: options collide, references dangle
        found = re.compile(r"\d").search(text, i) or re.compile(r"\d").search(text)
        if found:
            k = found.start()
            return text[:k] + rng.choice("0123456789*#") + text[k + 1 :]
        return text
    # Swap two quoted words: references point elsewhere, cycles appear.
    words = re.findall(r'"([^"\n]{1,60})"', text[i : i + 4000])
    if len(words) >= 2:
        a, b = rng.sample(words, 2)
        return text.replace(f'"{a}"', f'"{b}"', 1)
    return text


def _read(text: str, companions: tuple[tuple[str, str], ...]) -> None:
    importer = guess(text)
    if importer is None:
        menu = loads_menu(text, "m.yaml")
    elif importer.read is None:
        return  # a companion alone: the CLI refuses it in one line
    else:
        flow = importer.read(text, "m.txt", companions)
        menu = to_menu(flow, Settings(), "m.txt")
        # What an importer makes must be a valid menu of ours, scoring the same.
        again = loads_menu(dump_menu(menu), "m.yaml")
        assert audit_menu(again).score == audit_menu(menu).score
        return
    audit_menu(menu)


def test_mutated_exports_never_raise_anything_but_a_menu_error() -> None:
    files = sorted(p for p in REALFLOWS.rglob("*") if p.is_file() and p.suffix != ".md")
    texts = [p.read_text(encoding="utf-8") for p in files]
    companions = {
        "asterisk_basic-pbx_extensions.conf": "asterisk_basic-pbx_queues.conf",
        "freeswitch_demo_ivr.xml": "freeswitch_lang_en_demo-ivr_phrases.xml",
    }
    by_name = {p.name: t for p, t in zip(files, texts, strict=True)}
    rng = random.Random(20261201)
    refused = 0
    for n in range(MUTATIONS):
        k = n % len(files)
        text = texts[k]
        for _ in range(rng.randrange(1, 4)):
            text = _mutate(rng, text)
        extra = companions.get(files[k].name)
        pair = (("c.conf", by_name[extra]),) if extra else ()
        try:
            _read(text, pair)
        except MenuError as exc:
            refused += 1
            assert "\n" not in str(exc), str(exc)
            assert exc.line >= 1 and exc.column >= 1
        except Exception as exc:  # pragma: no cover - the failure report
            raise AssertionError(f"mutation {n} of {files[k].name}: {exc!r}") from exc
    assert 0 < refused < MUTATIONS  # some survive, some are refused: the test can see both
