"""Generate large, realistic IVR menu files for benchmarking ivraudit.

    python benchmarks/generate.py --nodes 10000 -o benchmarks/out/menu_10k.yaml

The menu has exactly `--nodes` nodes and is the same for the same `--nodes` and
`--seed` (all randomness comes from one seeded `random.Random`). Its shape: a
welcome message, a caller-ID branch and a language menu lead to the main
menu; menus of menus (2-9 options each) go about six levels deep and then wrap
into shared submenus ("account services" style hubs reached from many places)
and back-edges ("9 = main menu", "* = repeat"), so the call graph has cycles.
Along the way: announcements, account-number inputs, branches with shares (some
in cycles: "all advisors busy" sends 30% of calls back to the menu), agents with
holds and the intents they handle, self-service nodes, hang-ups, no-input and
no-match handlers, and a few unreachable leftovers, as real menus have.

Only the standard library is used, so the generator does not depend on ivraudit.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import deque
from pathlib import Path
from typing import Any

MIN_NODES = 40
MAX_LEVEL = 6  # menus this many presses deep wrap into hubs and back-edges

TOPICS = (
    "billing",
    "payments",
    "your account",
    "a new order",
    "an existing order",
    "deliveries",
    "returns and refunds",
    "technical support",
    "broadband",
    "mobile",
    "TV",
    "home phone",
    "moving home",
    "opening hours",
    "store locations",
    "appointments",
    "prescriptions",
    "test results",
    "claims",
    "policies",
    "renewals",
    "a lost or stolen card",
    "fraud",
    "loans",
    "mortgages",
    "savings",
    "business customers",
    "complaints",
    "feedback",
    "careers",
    "meter readings",
    "power cuts",
    "water supply",
    "bin collections",
    "council tax",
    "parking permits",
    "housing repairs",
    "school admissions",
    "ticket sales",
    "lost property",
    "timetables",
    "accessibility",
    "password reset",
    "online banking",
    "direct debits",
    "statements",
    "upgrades",
    "roaming",
    "SIM cards",
    "cancellations",
    "warranty",
    "installations",
    "engineer visits",
    "outages",
)

INTENTS = (
    "pay_bill",
    "billing_query",
    "report_fault",
    "track_order",
    "return_item",
    "change_address",
    "reset_password",
    "open_account",
    "close_account",
    "book_appointment",
    "cancel_appointment",
    "opening_hours",
    "find_store",
    "new_claim",
    "claim_status",
    "upgrade",
    "complaint",
    "moving_home",
    "lost_card",
    "check_balance",
    "meter_reading",
    "report_outage",
    "renew_policy",
    "direct_debit",
)

DATA = (
    ("account_number", "your 10-digit account number"),
    ("postcode", "your postcode using the keypad"),
    ("date_of_birth", "your date of birth as eight digits"),
    ("order_number", "your order number"),
    ("policy_number", "your policy number"),
    ("card_number", "the last four digits of your card"),
)

MENU_PROMPTS = (
    "{Topic}.",
    "You have reached {topic}. Please choose from the following options.",
    "For {topic}, please listen carefully as our options have changed.",
    "{Topic}. Which of these best describes your call?",
    "Welcome to {topic}.",
    "",
)
MESSAGE_PROMPTS = (
    "Please note that calls may be recorded for training and quality purposes.",
    "We are currently experiencing high call volumes about {topic}. You can also find "
    "help on our website.",
    "Did you know you can manage {topic} online, at any time, in our app?",
    "Please have your account details ready before we connect you.",
    "Thank you. Please hold while we transfer your call.",
)
SELF_SERVICE_PROMPTS = (
    "Here is the latest information about {topic}. We will also send it to you by text.",
    "Your request about {topic} has been recorded and you will receive a confirmation shortly.",
    "Your balance is 64 pounds and 20 pence. Your next payment is due on the 3rd.",
    "Our opening hours are 8 am to 8 pm on weekdays and 9 am to 5 pm on Saturdays.",
    "We have sent you a text message with a link to complete this online.",
)
SPECIAL_LABELS = {
    "main": "the main menu",
    "operator": "an advisor",
    "goodbye": "to end the call",
    "closed": "our opening hours",
}
HANGUP_PROMPTS = (
    "For {topic}, please visit our website. Goodbye.",
    "Thank you for calling. Goodbye.",
    "",
)


def _slug(text: str) -> str:
    words = [w for w in text.lower().replace("-", " ").split() if w not in ("a", "an", "your")]
    return "_".join(words)[:24].rstrip("_")


def _fill(template: str, topic: str) -> str:
    return template.format(topic=topic, Topic=topic[:1].upper() + topic[1:])


class _Builder:
    """Grow a menu breadth-first from the main menu until the node budget is spent."""

    def __init__(self, total: int, seed: int) -> None:
        if total < MIN_NODES:
            raise ValueError(f"a generated menu needs at least {MIN_NODES} nodes, not {total}")
        self.rng = random.Random(seed)
        self.total = total
        self.seed = seed
        self.nodes: dict[str, dict[str, Any]] = {}
        self.comments: dict[str, str] = {}
        self.serial = 0
        self.todo: deque[tuple[str, int, str]] = deque()  # (menu id, level, topic)
        self.menus_at: dict[int, list[str]] = {}
        self.hubs: list[str] = []
        self.agents: list[str] = []
        self.queues: list[str] = []  # shared agents, reached from many menus
        self.topic_of: dict[str, str] = {}
        self.orphans = max(1, total // 2000)
        self.intents: list[str] = []

    # -- budget and ids ------------------------------------------------------------

    def left(self) -> int:
        """Return how many nodes may still be added to the tree (leftovers excluded)."""
        return self.total - self.orphans - len(self.nodes)

    def add(
        self, prefix: str, node: dict[str, Any], node_id: str | None = None, topic: str = ""
    ) -> str:
        if node_id is None:
            self.serial += 1
            node_id = f"{prefix}_{self.serial}"
        assert node_id not in self.nodes, node_id
        self.nodes[node_id] = node
        if topic:
            self.topic_of[node_id] = topic
        return node_id

    # -- node kinds ----------------------------------------------------------------

    def handles(self, low: int, high: int) -> list[str]:
        count = min(self.rng.randint(low, high), len(self.intents))
        return self.rng.sample(self.intents, count)

    def agent(self, topic: str, shared: bool = False) -> str:
        hold = self.rng.choice((0, 15, 30, 45, 60, 90, 120, 180, 240, 300, 420, 600, 900))
        node = {
            "type": "agent",
            "queue": topic,
            "hold_seconds": hold,
            "handles": self.handles(1, 3),
        }
        node_id = self.add(f"{'queue' if shared else 'agent'}_{_slug(topic)}", node, topic=topic)
        (self.queues if shared else self.agents).append(node_id)
        return node_id

    def menu(self, topic: str, level: int, prefix: str = "menu") -> str:
        node_id = self.add(f"{prefix}_{_slug(topic)}", {"type": "menu"}, topic=topic)
        self.todo.append((node_id, level, topic))
        self.menus_at.setdefault(level, []).append(node_id)
        return node_id

    def self_service(self, topic: str) -> str:
        node: dict[str, Any] = {
            "type": "self_service",
            "prompt": _fill(self.rng.choice(SELF_SERVICE_PROMPTS), topic),
            "handles": self.handles(1, 1),
        }
        roll = self.rng.random()
        if roll < 0.3:
            node["next"] = "main"  # "is there anything else?"
        elif roll < 0.6:
            node["next"] = "goodbye"
        return self.add(f"info_{_slug(topic)}", node, topic=topic)

    def message(self, topic: str, goto: str) -> str:
        prompt = _fill(self.rng.choice(MESSAGE_PROMPTS), topic)
        node = {"type": "message", "prompt": prompt, "next": goto}
        return self.add(f"msg_{_slug(topic)}", node, topic=topic)

    def ask(self, topic: str, goto: str) -> str:
        datum, words = self.rng.choice(DATA)
        node = {
            "type": "input",
            "prompt": f"Please enter {words}, followed by the hash key.",
            "collects": datum,
            "next": goto,
        }
        return self.add(f"ask_{datum}", node, topic=topic)

    def branch(self, topic: str, routes: list[tuple[str, float, str]]) -> str:
        node = {
            "type": "branch",
            "routes": [{"when": w, "share": s, "goto": g} for w, s, g in routes],
        }
        return self.add("route", node, topic=topic)

    def hangup(self, topic: str) -> str:
        prompt = _fill(self.rng.choice(HANGUP_PROMPTS), topic)
        node = {"type": "hangup", **({"prompt": prompt} if prompt else {})}
        return self.add("bye", node, topic=topic)

    # -- where an option leads -----------------------------------------------------

    def reference(self, menu_id: str, level: int) -> str:
        """Return an existing node for an option to lead to (no new node)."""
        roll = self.rng.random()
        if roll < 0.35 and self.hubs:
            return self.rng.choice(self.hubs)
        if roll < 0.5:
            return "main"
        if roll < 0.65:  # back up to a menu nearer the top: a cycle
            upper = [m for lv in range(1, min(level, 4)) for m in self.menus_at.get(lv, ())]
            if upper:
                return self.rng.choice(upper)
        if roll < 0.8:
            return self.rng.choice(self.queues)
        if roll < 0.9 and self.agents:
            return self.rng.choice(self.agents)
        return self.rng.choice(("operator", "goodbye", "closed"))

    def leaf(self, menu_id: str, topic: str, level: int) -> str | None:
        """Return a new non-menu target (with what follows it), or None if over budget."""
        kinds = (
            ("agent", 22, 1),
            ("self_service", 20, 1),
            ("message", 9, 2),
            ("input", 10, 2),
            ("busy_branch", 8, 2),
            ("hours_branch", 7, 2),
            ("caller_branch", 5, 3),
            ("hangup", 5, 1),
        )
        left = self.left()
        fitting = [(name, weight) for name, weight, cost in kinds if cost <= left]
        if not fitting:
            return None
        kind = self.rng.choices([n for n, _ in fitting], [w for _, w in fitting])[0]
        sub = self.rng.choice(TOPICS) if self.rng.random() < 0.3 else topic
        if kind == "agent":
            return self.agent(sub)
        if kind == "self_service":
            return self.self_service(sub)
        if kind == "hangup":
            return self.hangup(sub)
        if kind == "message":
            then = self.agent(sub) if self.rng.random() < 0.6 else self.self_service(sub)
            return self.message(sub, then)
        if kind == "input":
            roll = self.rng.random()
            if roll < 0.5:
                then = self.agent(sub)
            elif roll < 0.8 or level >= MAX_LEVEL:
                then = self.self_service(sub)
            else:
                then = self.menu(sub, level + 1)
            return self.ask(sub, then)
        if kind == "busy_branch":  # in a cycle: busy callers go back to the menu
            busy = round(self.rng.choice((0.2, 0.25, 0.3, 0.3, 0.4)), 2)
            return self.branch(
                sub,
                [
                    ("an advisor is free", round(1 - busy, 2), self.agent(sub)),
                    ("all advisors are busy", busy, menu_id),
                ],
            )
        if kind == "hours_branch":
            return self.branch(
                sub,
                [
                    ("within opening hours", 0.75, self.agent(sub)),
                    ("outside opening hours", 0.25, "closed"),
                ],
            )
        # caller_branch: known callers skip the security question
        service = self.self_service(sub)
        return self.branch(
            sub,
            [
                ("caller ID recognised", 0.6, service),
                ("caller ID not recognised", 0.4, self.ask(sub, service)),
            ],
        )

    def target(self, menu_id: str, topic: str, level: int) -> str:
        """Return where a content option of the menu `menu_id` at `level` leads."""
        rng = self.rng
        if self.left() <= 0:
            return self.reference(menu_id, level)
        roll = rng.random()
        sub = rng.choice(TOPICS)
        if level < MAX_LEVEL:
            if roll < 0.04 and self.hubs:
                return rng.choice(self.hubs)
            if roll < 0.04 + (0.62 if level < 3 else 0.5):
                return self.menu(sub, level + 1)
        else:  # wrap: into shared submenus, back up, or end here
            if roll < 0.2:
                hub = self.menu(sub, 3, prefix="hub")
                self.hubs.append(hub)
                return hub
            if roll < 0.55:
                return self.reference(menu_id, level)
        return self.leaf(menu_id, topic, level) or self.reference(menu_id, level)

    # -- menus ---------------------------------------------------------------------

    def options(self, menu_id: str, level: int, topic: str) -> dict[str, Any]:
        rng = self.rng
        count = rng.choices(range(2, 10), (6, 14, 18, 18, 14, 10, 6, 4))[0]
        specials: list[tuple[str, str, str]] = []
        if rng.random() < 0.45:
            specials.append(("0", "an advisor", "operator"))
        if level >= 2 and rng.random() < 0.35:
            specials.append(("9", "the main menu", "main"))
        if rng.random() < 0.08:
            specials.append(("*", "these options again", menu_id))
        content = max(1, count - len(specials))
        options = []
        for key in range(1, content + 1):
            goto = self.target(menu_id, topic, level)
            options.append(self.option(str(key), self.label(goto), goto))
        if len(options) > 2 and rng.random() < 0.03:  # read out of key order
            options[0], options[1] = options[1], options[0]
        options.extend(self.option(key, label, goto) for key, label, goto in specials)
        node: dict[str, Any] = {
            "type": "menu",
            "prompt": _fill(rng.choice(MENU_PROMPTS), topic),
            "options": options,
        }
        if rng.random() < 0.04:
            node["barge_in"] = False
        for handler, chance, targets in (
            ("no_input", 0.3, ("operator", "main", "operator", "goodbye")),
            ("no_match", 0.2, ("main", "operator", "goodbye")),
        ):
            if rng.random() < chance:
                spec: dict[str, Any] = {}
                if rng.random() < 0.5:
                    spec["retries"] = rng.randint(1, 3)
                spec["goto"] = rng.choice(targets)
                node[handler] = spec
        return node

    def label(self, goto: str) -> str:
        if goto in SPECIAL_LABELS:
            return SPECIAL_LABELS[goto]
        return self.topic_of.get(goto) or self.rng.choice(TOPICS)

    def option(self, key: str, label: str, goto: str) -> dict[str, Any]:
        if self.rng.random() < 0.2:
            return {"key": key, "say": f"Press {key} for {label}.", "goto": goto}
        return {"key": key, "label": label, "goto": goto}

    # -- the whole menu ------------------------------------------------------------

    def build(self) -> None:
        rng = self.rng
        names = list(INTENTS)
        rng.shuffle(names)
        self.intents = names[: rng.randint(10, 20)]

        self.comments["welcome"] = "The way in: greeting, caller identification, language."
        welcome = (
            "Thank you for calling. Your call is important to us. Please listen carefully "
            "as our menu options have changed."
        )
        self.add("", {"type": "message", "prompt": welcome, "next": "identify"}, "welcome")
        self.add(
            "",
            {
                "type": "branch",
                "routes": [
                    {"when": "caller ID recognised", "share": 0.7, "goto": "language"},
                    {"when": "caller ID not recognised", "share": 0.3, "goto": "account"},
                ],
            },
            "identify",
        )
        self.add(
            "",
            {
                "type": "input",
                "prompt": "Please enter your 10-digit account number, followed by the hash key.",
                "collects": "account_number",
                "next": "language",
            },
            "account",
        )
        self.add(
            "",
            {
                "type": "menu",
                "prompt": "",
                "options": [
                    {"key": "1", "say": "For English, press 1.", "goto": "main"},
                    {"key": "2", "say": "Para español, oprima el dos.", "goto": "main"},
                ],
                "no_input": {"goto": "main"},
            },
            "language",
        )
        self.add("", {"type": "menu"}, "main")
        self.todo.append(("main", 1, "our services"))
        self.menus_at[1] = ["main"]
        self.add(
            "",
            {
                "type": "message",
                "prompt": "Our lines are open from 8 am to 8 pm, Monday to Saturday. "
                "Please call back then.",
                "next": "goodbye",
            },
            "closed",
        )
        self.add(
            "",
            {
                "type": "agent",
                "queue": "general enquiries",
                "hold_seconds": 240,
                "handles": rng.sample(self.intents, len(self.intents) * 2 // 3),
            },
            "operator",
        )
        self.agents.append("operator")
        self.add("", {"type": "hangup", "prompt": "Thank you for calling. Goodbye."}, "goodbye")
        for _ in range(max(3, self.total // 400)):
            self.agent(rng.choice(TOPICS), shared=True)

        while self.todo:
            menu_id, level, topic = self.todo.popleft()
            self.nodes[menu_id] = self.options(menu_id, level, topic)

        self.fill()
        for _ in range(self.orphans):  # left over from an old campaign: nothing leads here
            self.orphans -= 1
            self.serial += 1
            prompt = "Our spring offer has now ended. Thank you for your interest."
            node = {"type": "message", "prompt": prompt, "next": "main"}
            self.add("", node, f"legacy_offer_{self.serial}")
        assert len(self.nodes) == self.total, (len(self.nodes), self.total)

    def fill(self) -> None:
        """Spend what is left of the budget on hold messages in front of agents."""
        edges = [
            option
            for node in self.nodes.values()
            if node["type"] == "menu"
            for option in node["options"]
            if self.nodes[option["goto"]]["type"] == "agent"
        ]
        while self.left() > 0 and edges:
            option = edges.pop(self.rng.randrange(len(edges)))
            option["goto"] = self.message("your call", option["goto"])
        while self.left() > 0:  # pragma: no cover - only for menus with no agent options
            self.hangup("our services")

    # -- YAML ----------------------------------------------------------------------

    def staffing(self, staffed: int) -> list[str]:
        """Return the `traffic` and `queues` lines that staff up to `staffed` of the agents'
        queues (format 0.3), drawn from a generator of their own so the nodes stay as they
        are for any `staffed`."""
        names = list(dict.fromkeys(n["queue"] for n in self.nodes.values() if "queue" in n))
        if staffed <= 0 or not names:
            return []
        rng = random.Random(self.seed * 7919 + staffed)
        lines = [f"traffic: {{calls_per_hour: {40 * min(staffed, len(names))}}}", "queues:"]
        for name in names[:staffed]:
            queue = {"agents": rng.randint(2, 20), "handle_seconds": rng.choice((180, 240, 300))}
            if rng.random() < 0.8:  # most callers give up at last; some queues say nothing
                queue["patience_seconds"] = rng.choice((60, 120, 180, 300))
            lines.append(f"  {_q(name)}: {_flow(queue)}")
        return lines

    def yaml(self, staffed: int = 0) -> str:
        shares = [round(self.rng.uniform(0.2, 1.0) / (i + 1), 3) for i in range(len(self.intents))]
        out = [
            f"# Generated by benchmarks/generate.py --nodes {self.total} --seed {self.seed}",
            "ivraudit: 1",
            f"name: {_q(f'Generated benchmark line ({self.total} nodes)')}",
            f"description: {_q(f'A synthetic menu for timing ivraudit; seed {self.seed}.')}",
            "timing: {speech_rate_wpm: 150, retries: 2}",
            "intents:",
            *(f"  {name}: {share}" for name, share in zip(self.intents, shares, strict=True)),
            *self.staffing(staffed),
            "nodes:",
        ]
        for node_id, node in self.nodes.items():
            if node_id in self.comments:
                out.append(f"  # {self.comments[node_id]}")
            out.extend(_node_yaml(node_id, node))
        return "\n".join(out) + "\n"


def _q(text: str) -> str:
    """Return `text` as a double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return _q(value)


def _key(key: str) -> str:
    return key if key.isdigit() else _q(key)


def _flow(mapping: dict[str, Any]) -> str:
    parts = []
    for name, value in mapping.items():
        if name == "key":
            text = _key(value)
        elif name in ("goto", "next", "type"):
            text = value
        elif isinstance(value, list):
            text = "[" + ", ".join(value) + "]"
        else:
            text = _scalar(value)
        parts.append(f"{name}: {text}")
    return "{" + ", ".join(parts) + "}"


def _node_yaml(node_id: str, node: dict[str, Any]) -> list[str]:
    kind = node["type"]
    if kind in ("agent", "hangup"):  # short nodes on one line, as people write them
        return [f"  {node_id}: {_flow(node)}"]
    lines = [f"  {node_id}:"]
    if kind != "menu":
        lines.append(f"    type: {kind}")
    for name, value in node.items():
        if name == "type":
            continue
        if name == "options":
            lines.append("    options:")
            lines.extend(f"      - {_flow(option)}" for option in value)
        elif name == "routes":
            lines.append("    routes:")
            lines.extend(f"      - {_flow(route)}" for route in value)
        elif isinstance(value, dict):
            lines.append(f"    {name}: {_flow(value)}")
        elif isinstance(value, list):
            lines.append(f"    {name}: [{', '.join(value)}]")
        elif name in ("next", "collects"):
            lines.append(f"    {name}: {value}")
        else:
            lines.append(f"    {name}: {_scalar(value)}")
    return lines


TREE_INTENTS = 15


class _TreeBuilder:
    """Grow a menu tree breadth-first: every node but the back-edges has one parent.

    A second shape, unlike `_Builder`'s shared hubs and one big cycle: a tree of menus
    written in block style, each option saying which of 15 intents choose it, with
    back-edges only to the main menu (9), the menu itself (*) and an operator (0), and
    "busy" branches that send some calls back to their menu.
    """

    def __init__(self, total: int, seed: int) -> None:
        if total < MIN_NODES:
            raise ValueError(f"a generated menu needs at least {MIN_NODES} nodes, not {total}")
        self.rng = random.Random(seed)
        self.total = total
        self.seed = seed
        self.nodes: dict[str, dict[str, Any]] = {}
        self.children: dict[str, list[str]] = {}  # tree edges only
        self.intents = list(INTENTS[:TREE_INTENTS])
        self.family: dict[str, list[str]] = {}  # the intents handled under a menu

    def add(self, node_id: str, node: dict[str, Any], parent: str | None) -> str:
        self.nodes[node_id] = node
        self.children[node_id] = []
        if parent is not None:
            self.children[parent].append(node_id)
        return node_id

    def build(self) -> None:
        rng = self.rng
        self.add("main", {"type": "menu", "options": []}, None)
        self.family["main"] = self.intents
        self.add(
            "operator",
            {"type": "agent", "queue": "operator", "hold_seconds": 300, "handles": []},
            None,
        )
        todo: deque[tuple[str, int]] = deque([("main", 0)])
        serial = 0
        while todo:
            menu_id, depth = todo.popleft()
            count = rng.randint(5, 6) if depth == 0 else rng.randint(3, 6)
            for key in range(1, count + 1):
                left = self.total - len(self.nodes)
                if left <= 0:
                    break
                serial += 1
                roll = rng.random()
                family = self.family[menu_id]
                if left > 3 and depth < 12 and (roll < 0.45 or len(todo) < 2):
                    child = self.add(f"m{serial}", {"type": "menu", "options": []}, menu_id)
                    # Each submenu of the main menu serves three intents of its own.
                    start = (3 * (key - 1)) % len(family)
                    self.family[child] = (
                        (family + family)[start : start + 3] if depth == 0 else family
                    )
                    todo.append((child, depth + 1))
                elif left > 2 and roll < 0.6:
                    child = self.add(f"busy{serial}", {"type": "branch"}, menu_id)
                    agent = self.add(f"a{serial}", self.agent(family), child)
                    self.nodes[child]["routes"] = [
                        {"when": "an advisor is free", "share": 0.7, "goto": agent},
                        {"when": "all advisors are busy", "share": 0.3, "goto": menu_id},
                    ]
                elif left > 1 and roll < 0.75:
                    child = self.add(f"note{serial}", {"type": "message"}, menu_id)
                    agent = self.add(f"a{serial}", self.agent(family), child)
                    self.nodes[child]["prompt"] = "Please hold while we connect you."
                    self.nodes[child]["next"] = agent
                elif roll < 0.9:
                    child = self.add(f"a{serial}", self.agent(family), menu_id)
                else:
                    child = self.add(
                        f"s{serial}",
                        {
                            "type": "self_service",
                            "prompt": "Your request has been recorded. Goodbye.",
                            "handles": [rng.choice(family)],
                        },
                        menu_id,
                    )
                self.nodes[menu_id]["options"].append({"key": str(key), "goto": child})
            menu = self.nodes[menu_id]
            if menu_id != "main":
                menu["options"].append({"key": "9", "goto": "main", "label": "the main menu"})
                if rng.random() < 0.3:
                    menu["options"].append({"key": "0", "goto": "operator", "label": "an advisor"})
            if rng.random() < 0.2:
                menu["options"].append(
                    {"key": "*", "goto": menu_id, "label": "these options again"}
                )
            menu["no_input"] = {"retries": 1, "goto": menu_id if rng.random() < 0.5 else "main"}
        while len(self.nodes) < self.total:  # a budget left when the queue ran dry
            serial += 1
            self.add(f"old{serial}", {"type": "hangup", "prompt": "Goodbye."}, None)
        self.nodes["operator"]["handles"] = self.intents[:5]
        self.label("main")

    def agent(self, family: list[str]) -> dict[str, Any]:
        hold = self.rng.choice((0, 30, 60, 120, 240, 600))
        handles = self.rng.sample(family, min(len(family), self.rng.randint(1, 2)))
        return {"type": "agent", "queue": "advisors", "hold_seconds": hold, "handles": handles}

    def label(self, root: str) -> None:
        """Give each tree option the intents handled below it (post-order, no recursion)."""
        below: dict[str, set[str]] = {}
        order: list[str] = []
        todo = [root]
        while todo:
            node = todo.pop()
            order.append(node)
            todo.extend(self.children[node])
        for node in reversed(order):
            found = set(self.nodes[node].get("handles", ()))
            for child in self.children[node]:
                found |= below[child]
            below[node] = found
        for node_id, node in self.nodes.items():
            for option in node.get("options", ()):
                if option["goto"] in self.children[node_id] and below[option["goto"]]:
                    names = sorted(below[option["goto"]])
                    option.setdefault("label", names[0].replace("_", " "))
                    if self.rng.random() < 0.9:  # some options leave it to the caller
                        option["intents"] = names

    def yaml(self) -> str:
        shares = [round(1.0 / (i + 1), 3) for i in range(len(self.intents))]
        out = [
            f"# Generated by benchmarks/generate.py --shape tree --nodes {self.total} "
            f"--seed {self.seed}",
            "ivraudit: 1",
            f"name: {_q(f'Generated tree-shaped line ({self.total} nodes)')}",
            "intents:",
            *(f"  {name}: {share}" for name, share in zip(self.intents, shares, strict=True)),
            "nodes:",
        ]
        for node_id, node in self.nodes.items():
            out.append(f"  {node_id}:")
            for name, value in node.items():
                if name == "options":
                    out.append("    options:")
                    for option in value:
                        out.append(f"      - key: {_key(option['key'])}")
                        for field_name in ("label", "goto"):
                            if field_name in option:
                                out.append(f"        {field_name}: {option[field_name]}")
                        if "intents" in option:
                            out.append("        intents:")
                            out.extend(f"          - {i}" for i in option["intents"])
                elif name == "routes":
                    out.append("    routes:")
                    for route in value:
                        out.append(f"      - when: {_q(route['when'])}")
                        out.append(f"        share: {route['share']}")
                        out.append(f"        goto: {route['goto']}")
                elif isinstance(value, dict):
                    out.append(f"    {name}: {_flow(value)}")
                elif isinstance(value, list):
                    out.append(f"    {name}: [{', '.join(value)}]")
                elif name in ("type", "next", "queue"):
                    out.append(f"    {name}: {value}")
                else:
                    out.append(f"    {name}: {_scalar(value)}")
        return "\n".join(out) + "\n"


SHAPES = ("graph", "tree")


def generate_menu(nodes: int, seed: int = 1, shape: str = "graph", staffed: int = 0) -> str:
    """Return the YAML text of a generated menu with exactly `nodes` nodes; `shape` "graph"
    is the large line with shared hubs, "tree" a menu tree with back-edges and 15 intents;
    `staffed` (graph only) adds traffic and up to that many staffed queues."""
    if shape == "tree":
        tree = _TreeBuilder(nodes, seed)
        tree.build()
        return tree.yaml()
    builder = _Builder(nodes, seed)
    builder.build()
    return builder.yaml(staffed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=1000, help="number of nodes (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--shape", choices=SHAPES, default="graph", help="graph (default) or tree")
    parser.add_argument(
        "--staffed",
        type=int,
        default=0,
        help="graph shape: add traffic and staff up to this many queues (format 0.3)",
    )
    parser.add_argument("-o", "--output", default="-", help="file to write ('-': stdout)")
    args = parser.parse_args(argv)
    try:
        text = generate_menu(args.nodes, args.seed, args.shape, args.staffed)
    except ValueError as exc:
        parser.error(str(exc))
    if args.output == "-":
        sys.stdout.write(text)
    else:
        path = Path(args.output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
