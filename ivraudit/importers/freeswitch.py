"""FreeSWITCH mod_ivr menus (`<menu>` XML), completed by phrase macros (the prompts) and
a dialplan (which menu a call starts in) when they are given with it."""

from __future__ import annotations

import re

from ivraudit.format.errors import MenuError
from ivraudit.format.model import PHONE_KEYS, Position
from ivraudit.importers.document import Element, line_col, load_xml
from ivraudit.importers.flow import Choice, Flow, Step

NAME = "freeswitch"
TITLE = "FreeSWITCH IVR menu (mod_ivr XML)"
SYSTEM = "freeswitch"
ROLE = "flow"


def detect(text: str) -> float:
    """Return how sure we are that `text` holds mod_ivr menus (or is mod_ivr's own
    configuration, `ivr.conf`, even with no menu in it)."""
    if re.search(r"<menu\s[^>]*name=", text) and (
        "greet-long" in text or re.search(r"<entry\s[^>]*action=\"menu-", text)
    ):
        return 0.9
    if _IVR_CONF.search(text):
        return 0.9
    return 0.0


def holds_no_menu(text: str) -> bool:
    """Return whether `text` is mod_ivr configuration with no menu in it (the stock
    `ivr.conf.xml` includes its menus from `ivr_menus/*.xml`): a folder passes over it."""
    return _IVR_CONF.search(text) is not None and re.search(r"<menu\s", _uncommented(text)) is None


def _uncommented(text: str) -> str:
    return re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)


_IVR_CONF = re.compile(r"<configuration\s[^>]*name\s*=\s*[\"']ivr\.conf[\"']")


def _ms(value: str | None) -> float | None:
    return float(value) / 1000 if value and value.strip().isdigit() else None


def _count(value: str | None, default: int = 3) -> int:
    return int(value) if value and value.strip().isdigit() else default


def phrases(root: Element) -> dict[str, str]:
    """Return each phrase macro as the words its sound files say (FreeSWITCH names its
    sound files after their words: ivr-to_call_the_conference.wav)."""
    out = {}
    for macro in root.iter("macro"):
        words = []
        for action in macro.iter("action"):
            data = action.get("data") or ""
            if action.get("function") == "play-file" and not data.startswith("silence_stream"):
                stem = data.rsplit("/", 1)[-1].rsplit(".", 1)[0]
                stem = re.sub(r"^(ivr|vm|conf)-", "", stem)
                words.append(stem.replace("_", " ").replace("-", " "))
            elif action.get("function") in ("speak-text", "say"):
                words.append(data)
        if macro.get("name"):
            out[macro.get("name") or ""] = " ".join(w for w in words if w)
    return out


def dialplan_menus(root: Element) -> list[str]:
    """Return the menus a dialplan starts with `<action application="ivr" data="..."/>`."""
    return [
        a.get("data") or ""
        for a in root.iter("action")
        if a.get("application") == "ivr" and a.get("data")
    ]


def _exec(param: str) -> tuple[str, str | None]:
    """Return the kind and target of a `menu-exec-app` parameter."""
    app, _, rest = param.strip().partition(" ")
    rest = rest.strip()
    if app == "bridge":
        # A conference bridge joins a meeting, not a person: an exit named after it.
        if "conference" in rest.lower():
            return "flow", rest
        return "person", rest or "a number"
    if app == "callcenter":
        return "queue", rest.split("@")[0] or "a queue"
    if app == "hangup":
        return "hangup", None
    if app in ("voicemail", "conference", "playback", "echo"):
        return "service", app
    if app in ("transfer", "execute_extension"):
        parts = rest.split()
        if parts and "$" in parts[0]:
            # The digits the caller typed (`$1` from a pattern): someone's extension.
            return "person", f"an extension typed ({parts[2] if len(parts) > 2 else 'default'})"
        return "flow", " ".join(parts[:1] + parts[2:3]) or "an extension"
    return "flow", param.strip() or "an application"


def _no_menus(root: Element, text: str, source: str) -> MenuError:
    """Return the error for a file with no menu: what it is, where its menus would be,
    and why there are none."""
    if root.tag == "configuration":
        what = "FreeSWITCH IVR configuration (ivr.conf) with no menus"
    elif re.search(r"<menu[\s>]", text):
        what = "FreeSWITCH IVR menu file with no menus"
    else:
        return MenuError(source, 1, 1, "no <menu name=...> in this file")
    where = next(iter(root.iter("menus")), root)
    at = Position(source, where.line, where.column)
    commented = re.search(r"<!--(?:(?!-->).)*?(<menu\s)", text, re.DOTALL)
    if commented:
        at = Position(source, *line_col(text, commented.start(1)))
        what += ": the menus in it are commented out"
    included = [
        x.get("data") or ""
        for x in root.iter("X-PRE-PROCESS")
        if (x.get("cmd") or "").lower() == "include"
    ]
    if included:
        what += f"; it includes its menus from {', '.join(included)}: give those files"
    return MenuError(at.file, at.line, at.column, what)


def _typing(name: str, menu: Element, patterns: str, tries: int) -> str:
    """Return how long mod_ivr waits in a menu of typed numbers, as an assumption."""
    timeout = _ms(menu.get("timeout")) or 10.0  # mod_ivr's default: 10,000 ms
    between = _ms(menu.get("inter-digit-timeout"))
    length = menu.get("digit-len")
    typing = f"waits {timeout:g} s for the first digit"
    if between:
        typing += f" and {between:g} s for each next one"
    if length and length.strip().isdigit():
        typing += f", up to {length.strip()} digits"
    # mod_ivr plays greet-long first and greet-short (when there is one) on each repeat.
    if tries <= 1:
        plays = "greet-long"
    elif menu.get("greet-short"):
        plays = f"greet-long, then greet-short {tries - 1} more time{'s' * (tries > 2)}"
    else:
        plays = f"greet-long {tries} times"
    return (
        f"menu '{name}' is dial-by-extension ({patterns}): an input of the extension, not "
        f"an option; mod_ivr {typing}; a caller who types nothing hears {plays}, each "
        f"followed by {timeout:g} s of silence ({tries * timeout:g} s of waiting in all), "
        "then the exit sound, and the call returns to the dialplan"
    )


def read(text: str, source: str, companions: tuple[tuple[str, str], ...] = ()) -> Flow:
    """Return the typed flow of a file of menus, starting at the menu the dialplan names
    (else the first)."""
    root = load_xml(text, source)
    words: dict[str, str] = {}
    starts: list[str] = []
    notes: list[str] = []
    for name, companion in companions:
        croot = load_xml(companion, name)
        words.update(phrases(croot))
        starts += dialplan_menus(croot)
    menus = {m.get("name") or "": m for m in root.iter("menu") if m.get("name")}
    if not menus:
        raise _no_menus(root, text, source)
    entry = next((s for s in starts if s in menus), next(iter(menus)))
    notes.append(
        f"the call starts in menu '{entry}'"
        + (" (the dialplan given)" if entry in starts else " (the first in the file)")
    )
    if words:
        notes.append("prompt words are read from the sound file names of the phrase macros")
    steps: list[Step] = []

    def pos(el: Element) -> Position:
        return Position(source, el.line, el.column)

    def prompt(value: str | None) -> tuple[str | None, str | None]:
        value = value or ""
        if value.startswith("say:"):
            return value[4:], None
        if value.startswith("phrase:"):
            macro = value[7:].split(":")[0]
            return (words[macro], None) if words.get(macro) else (None, macro)
        return None, (value.rsplit("/", 1)[-1] or None) if value else None

    def entry_target(e: Element, ident: str, name: str) -> str:
        """Return where an entry leads (adding the steps it needs)."""
        action, param = e.get("action") or "", e.get("param")
        if action == "menu-sub":
            if param in menus:
                return param or ident
            steps.append(Step(ident, "flow", pos(e), target=param or "a submenu"))
        elif action in ("menu-top", "menu-back"):
            return entry if action == "menu-top" else name
        elif action == "menu-exit":
            steps.append(Step(ident, "hangup", pos(e), name=f"{name}_exit"))
        elif action == "menu-play-sound":
            text_, audio = prompt(param)
            steps.append(
                Step(ident, "message", pos(e), name=ident, prompt=text_, audio=audio, next=name)
            )
        else:
            kind, what = _exec(param or "")
            steps.append(Step(ident, kind, pos(e), name=ident, target=what))  # type: ignore[arg-type]
        return ident

    for name, m in menus.items():
        choices = []
        typed = []  # entries bound to a number the caller types, not to one key
        for e in (c for c in m.children if c.tag == "entry"):
            digits = e.get("digits") or ""
            if not digits:
                continue  # mod_ivr binds no entry without digits
            if digits not in PHONE_KEYS:
                typed.append(e)
                continue
            ident = f"{name}.{'star' if digits == '*' else 'pound' if digits == '#' else digits}"
            choices.append(Choice(digits, entry_target(e, ident, name), pos(e)))
        patterns = ", ".join(e.get("digits") or "" for e in typed)
        exit_id = f"{name}.exit"
        text_, audio = prompt(m.get("exit-sound"))
        steps.append(
            Step(
                exit_id,
                "message",
                pos(m),
                name=f"{name}_exit",
                prompt=text_,
                audio=audio,
                next=None,
            )
        )
        text_, audio = prompt(m.get("greet-long"))
        tries = _count(m.get("max-timeouts"), _count(m.get("max-failures")))
        if typed and not choices:
            # A menu of numbers only (dial-by-extension): the caller types one in.
            targets = [entry_target(e, f"{name}.typed{i}", name) for i, e in enumerate(typed)]
            after = targets[0]
            if len(set(targets)) > 1:  # which pattern the number matches decides
                after = f"{name}.typed"
                routes = tuple(
                    (f"typed {e.get('digits')}", t) for e, t in zip(typed, targets, strict=True)
                )
                steps.append(Step(after, "decision", pos(m), name=after, routes=routes))
            steps.append(
                Step(
                    name,
                    "input",
                    pos(m),
                    name=name,
                    prompt=text_,
                    audio=audio,
                    collects="extension",
                    next=after,
                )
            )
            notes.append(_typing(name, m, patterns, tries))
            continue
        if typed:
            notes.append(
                f"menu '{name}' also takes a number typed ({patterns}, dial-by-extension); "
                "it is not counted as an option"
            )
        steps.append(
            Step(
                name,
                "menu",
                pos(m),
                name=name,
                prompt=text_,
                audio=audio,
                choices=tuple(choices),
                no_input=exit_id,
                no_match=exit_id,
                # max-timeouts/max-failures count the plays; the rest are repeats.
                retries=max(0, min(tries, _count(m.get("max-failures"))) - 1),
                timeout=_ms(m.get("timeout")),
            )
        )
    notes.append(
        "after max-timeouts/max-failures a menu plays its exit sound and returns to the "
        "dialplan, counted as a hang-up"
    )
    return Flow(NAME, TITLE, entry, entry, tuple(steps), Position(source, 1, 1), tuple(notes))
