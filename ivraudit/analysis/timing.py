"""How long things take on the phone, by the rules of the menu format."""

from __future__ import annotations

from ivraudit.format.model import Handler, Node, Option, Timing


def speech_seconds(text: str | None, timing: Timing) -> float:
    """Return the seconds it takes to speak `text` at the menu's speech rate."""
    if not text:
        return 0.0
    return len(text.split()) * 60.0 / timing.speech_rate_wpm


def prompt_seconds(node: Node, timing: Timing) -> float:
    """Return the seconds of a node's prompt, honouring `prompt_seconds`."""
    if node.prompt_seconds is not None:
        return node.prompt_seconds
    return speech_seconds(node.prompt, timing)


def say_seconds(option: Option, timing: Timing) -> float:
    """Return the seconds an option takes to speak, honouring `say_seconds`."""
    if option.say_seconds is not None:
        return option.say_seconds
    return speech_seconds(option.spoken, timing)


def menu_seconds(node: Node, timing: Timing) -> float:
    """Return the seconds of a menu's prompt and all of its options."""
    return prompt_seconds(node, timing) + sum(say_seconds(o, timing) for o in node.options)


def option_costs(node: Node, timing: Timing) -> list[float]:
    """Return what choosing each option costs, in spoken order."""
    base = prompt_seconds(node, timing)
    if not node.barge_in:
        whole = menu_seconds(node, timing) + timing.response_seconds
        return [whole for _ in node.options]
    costs, heard = [], base
    for option in node.options:
        heard += say_seconds(option, timing)
        costs.append(heard + timing.response_seconds)
    return costs


def retries_of(handler: Handler | None, timing: Timing) -> int:
    """Return how often a menu repeats before its handler (or the disconnect) applies."""
    if handler is not None and handler.retries is not None:
        return handler.retries
    return timing.retries


def no_input_seconds(node: Node, timing: Timing) -> float:
    """Return the cost of the silent path: every repeat heard in full, then the timeout."""
    attempts = retries_of(node.no_input, timing) + 1
    return attempts * (menu_seconds(node, timing) + timing.timeout_seconds)


def no_match_seconds(node: Node, timing: Timing) -> float:
    """Return the cost of the invalid-key path: the prompt, then a wrong key, each repeat."""
    attempts = retries_of(node.no_match, timing) + 1
    return attempts * (prompt_seconds(node, timing) + timing.response_seconds)


def own_seconds(node: Node, timing: Timing) -> float:
    """Return the time a caller spends in a node itself (a menu's is on its edges)."""
    if node.type in ("message", "self_service", "callback", "hangup"):
        return prompt_seconds(node, timing)
    if node.type == "input":
        return prompt_seconds(node, timing) + timing.entry_seconds
    if node.type == "agent":
        return node.hold_seconds
    return 0.0
