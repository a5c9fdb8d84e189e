"""What the dialplan's applications and FreePBX's generated idioms mean: destinations by
context, dialling macros, system checks, loop counters, speech synthesis, `Read` menus and
`GotoIfTime` specs. The walk (`asterisk_walk`) asks these when it meets them."""

from __future__ import annotations

import math
import re

from ivraudit.format.model import PHONE_KEYS
from ivraudit.importers.asterisk_conf import Priority, split_args, unquote

# FreePBX destinations (extensions_additional.conf) by context: what kind of exit, named how.
FREEPBX = {
    "ext-queues": ("queue", "{ext}"),
    "ext-group": ("person", "ring group {ext}"),
    "from-did-direct": ("person", "extension {ext}"),
    "ext-local": ("person", "extension {ext}"),
    "from-internal": ("person", "extension {ext}"),
    "ext-meetme": ("service", "conference {ext}"),
    "ext-findmefollow": ("person", "follow-me {ext}"),
    "app-blackhole": ("hangup", None),
    "app-daynight": ("flow", "day/night {ext}"),
    "timeconditions": ("flow", "time condition {ext}"),
    "vm": ("service", "voicemail {ext}"),
    "ext-vm": ("service", "voicemail {ext}"),
}

# Applications that speak their first argument (Festival, app_flite, app_swift, app_espeak,
# app_picotts), and the AGI scripts that do (googletts.agi, picotts.agi...): the text is
# the prompt.
_TTS_APPS = {"festival", "flite", "swift", "espeak", "picotts", "googletts", "cepstral"}
_TTS_SCRIPT = re.compile(r"(?i)tts|festival|flite|swift|speak|cepstral|polly|speech")
# FreePBX's macros (Macro(x) or Gosub(macro-x,s,1(...))) that ring a person: core's
# macro-dial (ring groups, follow-me), macro-dial-one (one extension), macro-dial-confirm
# (a ring group that asks the answerer to confirm) and macro-exten-vm (an extension, then
# its voicemail).
DIALLED = {
    "exten-vm": ((1, "extension {}"),),
    "dial-one": ((2, "extension {}"),),
    "dial": ((2, "{}"),),
    "dial-confirm": ((3, "ring group {}"), (2, "{}")),
}
VOICEMAIL_MACROS = {"vm", "vm-ivr"}
# What a FreePBX check on the system's own state tests: the channel's state, ringing
# already sent, a subroutine's result, the IVR it came from, call-recording and
# voicemail-blocking flags, ring-group caller-id prefixes, a reverse-charge check, a
# user's own settings (AMPUSER/ in the AstDB), and the switches a person flips by hand
# to override a time condition or a day/night mode (TC/, DAYNIGHT/: not overridden on a
# normal day, so the next line). None of these is the caller's choice.
SYSTEM_CHECK = re.compile(
    r"CHANNEL\((?:state|reversecharge)\)|CDR\(disposition\)|RINGINGSENT|GOSUB_RETVAL|"
    r"IVR_CONTEXT|IVR_RETVM|LOOPCOUNT|RGPREFIX|NODEST|BLKVM|REVERSAL_REJECT|"
    r"AMPUSER/|DB\((?:TC|DAYNIGHT)/|CALLTRACE|RecordMethod|REC_STATUS|MOHCLASS|ALERT_INFO"
)
ANSWERED = re.compile(r'(?i)"(?:Up|ANSWERED)"')
# A FreePBX retry counter: `GotoIf($[${INVALID_LOOPCOUNT} > 3]?final)`.
LOOP_CHECK = re.compile(r"LOOPCOUNT\}?\s*(>=|>|=|==)\s*(\d+)\s*\]\s*\?")


_BACKGROUND = re.compile(r"(?i)background\(")


def background_of(p: Priority) -> str | None:
    """Return what a Background line plays, also inside ExecIf (FreePBX); else None."""
    if p.app == "background":
        return files_of(p) or ""
    if p.app == "execif":
        # The first `background(` that a `)` follows, found without a regular expression
        # that would rescan the rest of the line from every `background(` in it.
        joined = ",".join(p.args)
        start = _BACKGROUND.search(joined)
        end = joined.find(")", start.end()) if start else -1
        if start and end >= 0:
            inside = joined[start.end() : end]
            return " ".join(f for f in split_args(inside)[0].split("&") if f)
    return None


def read_choices(
    lines: list[Priority], index: int
) -> tuple[list[tuple[str, int]], int | None, int]:
    """For the Read at `index`, return the (key, line) of each GotoIf right after it that
    tests its variable against one key (`$["${CHOICE}" = "1"]?sales,1`), the line of a test
    for nothing typed (`= ""`, READSTATUS TIMEOUT) or None, and the line after the tests."""
    p = lines[index]
    var = p.args[0].strip() if p.args else ""
    keys: list[tuple[str, int]] = []
    seen: set[str] = set()
    empty = None
    j = index + 1
    while var and j < len(lines):
        q = lines[j]
        if q.app in ("noop", "verbose", "log"):
            j += 1
            continue
        if q.app != "gotoif":
            break
        cond, _, dests = ",".join(q.args).partition("?")
        yes, _, no = dests.partition(":")
        key = _tested(cond, var)
        if key is None or no.strip() or not yes.strip():
            break
        if key == "":
            empty = j if empty is None else empty
        elif key not in seen:  # Asterisk takes the first test of a key
            seen.add(key)
            keys.append((key, j))
        j += 1
    return keys, empty, j


def _tested(cond: str, var: str) -> str | None:
    """Return the one key `cond` compares `var` with (`$["${V}" = "1"]`, `$[${V}=1]`), ""
    for a test of nothing typed, else None."""
    inner = cond.strip()
    if not (inner.startswith("$[") and inner.endswith("]")):
        return None
    left, op, right = inner[2:-1].partition("=")
    right = right.removeprefix("=")  # `==` as `=`
    if not op or left.rstrip().endswith(("!", "<", ">")):
        return None
    sides = [side.strip().strip('"').strip() for side in (left, right)]
    for mine, other in (sides, sides[::-1]):
        if mine == f"${{{var}}}":
            return other if other in PHONE_KEYS or other == "" else None
        if mine == "${READSTATUS}" and other.upper() == "TIMEOUT":
            return ""
    return None


def number_of(text: str) -> float | None:
    """Return a finite number written in an argument, else None."""
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def spoken_of(p: Priority) -> str | None:
    """Return the words a speech-synthesis line says (Festival(text), Flite, Swift,
    AGI(googletts.agi,"text",...)), else None."""
    if p.app in _TTS_APPS and p.args:
        return _said(p.args[0])
    if p.app == "agi" and len(p.args) > 1:
        script = p.args[0].rsplit("/", 1)[-1]
        if _TTS_SCRIPT.search(script):
            return _said(p.args[1])
    return None


def _said(text: str) -> str:
    """Return a synthesiser's text without its quotes (Festival's examples use single
    quotes, the AGI scripts double ones)."""
    text = unquote(text)
    if len(text) >= 2 and text[0] == text[-1] == "'":
        text = text[1:-1].strip()
    return text


def macro_of(app: str, args: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """Return the name a Macro or Gosub calls (FreePBX's `macro-` dropped) and its
    arguments: Macro(name,a,b), Gosub(context,s,1(a,b)) or Gosub(label(a,b))."""
    if not args:
        return "", ()
    if app == "macro":
        return args[0].strip().lower(), args[1:]
    name = args[0].split("(", 1)[0].strip().lower()
    inner: tuple[str, ...] = ()
    for a in args:
        if "(" in a and a.endswith(")"):
            inner = split_args(a[a.index("(") + 1 : -1])
            break
    return name.removeprefix("macro-"), inner


def drop_variables(text: str) -> str:
    """Remove each `${...}` (up to the first `}` after it), in one pass."""
    out = []
    at = 0
    while True:
        start = text.find("${", at)
        end = text.find("}", start + 2) if start >= 0 else -1
        if end < 0:
            out.append(text[at:])
            return "".join(out)
        out.append(text[at:start])
        at = end + 1


def files_of(p: Priority) -> str | None:
    return " ".join(f for f in p.args[0].split("&") if f) or None if p.args else None


def priority_of(text: str) -> str | int:
    text = text.strip()
    return int(text) if text.isdigit() else text


def time_labels(spec: str) -> tuple[str, str]:
    """Return the labels of a GotoIfTime's two ways. Its spec is times, weekdays, days of
    the month and months: one naming days or months matches dates (a holiday), one that
    names only times and weekdays matches the opening hours."""
    spec = ",".join(f.strip() for f in spec.split(","))
    if any(f.strip() not in ("", "*") for f in spec.split(",")[2:4]):
        return (
            f"date matches {spec}: taken as a holiday (condition true)",
            f"date does not match {spec} (condition false)",
        )
    return (
        f"time matches {spec}: taken as open (condition true)",
        f"time does not match {spec}: taken as closed (condition false)",
    )
