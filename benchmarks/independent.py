"""Generate menus of a third shape, written apart from generate.py and from ivraudit.

    python benchmarks/independent.py --nodes 10000 -o /tmp/menu_10k.yaml
    python benchmarks/independent.py --nodes 10000 --staffed 50 -o /tmp/staffed_10k.yaml

`generate.py` grew alongside the code it measures; this module shares nothing with it
(no import, no word list, no writer) so that a figure held on both is not a figure
tuned to one. The menu is a tree of menus with 3-9 keys each, down to 12 levels, grown
in a random order rather than breadth-first; back-edges go to the top menu and to the
menu itself; 15 intents are declared on options (as flow or block lists); agents share
some 30 queue names; prompts are 5-25 words. The text is written in several styles at
once, as files edited by hand are: block and flow mappings, options on one line or over
several, inline nodes, plain, single-quoted, double-quoted and folded scalars, comments
(some of them `# ivraudit: ignore[...]` suppressions) and anchors with aliases.
10,000 nodes make about 1.6 MB. Only the standard library is used.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

MIN_NODES = 40
MAX_LEVEL = 12
ALIAS_CAP = 2500  # aliases of the shared no-input handler: far below the loader's bound

WORDS = [
    "account",
    "balance",
    "statement",
    "payment",
    "card",
    "transfer",
    "branch",
    "advisor",
    "order",
    "parcel",
    "delivery",
    "refund",
    "return",
    "booking",
    "appointment",
    "claim",
    "policy",
    "cover",
    "renewal",
    "quote",
    "meter",
    "reading",
    "tariff",
    "outage",
    "repair",
    "engineer",
    "visit",
    "password",
    "login",
    "app",
    "device",
    "contract",
    "upgrade",
    "roaming",
    "signal",
    "broadband",
    "router",
    "invoice",
    "direct",
    "debit",
    "overdraft",
    "loan",
    "mortgage",
    "savings",
    "pension",
    "tax",
    "permit",
    "collection",
    "bin",
    "parking",
    "licence",
    "ticket",
    "journey",
    "timetable",
    "station",
    "luggage",
    "seat",
]
VERBS = [
    "check",
    "change",
    "update",
    "report",
    "cancel",
    "arrange",
    "track",
    "renew",
    "confirm",
    "request",
]
INTENT_NAMES = (
    "balance",
    "lost_card",
    "dispute",
    "new_booking",
    "move_booking",
    "fault",
    "engineer_visit",
    "bill_question",
    "pay_now",
    "switch_tariff",
    "leave",
    "join",
    "delivery_late",
    "refund",
    "talk_to_someone",
)
TEAMS = (
    "front desk",
    "billing team",
    "card services",
    "disputes",
    "bookings",
    "repairs",
    "field engineers",
    "collections",
    "retentions",
    "sales",
    "deliveries",
    "refunds",
    "business desk",
    "priority",
    "welsh language",
    "accessibility",
    "fraud",
    "complaints",
    "moves",
    "metering",
    "claims",
    "renewals",
    "mortgages",
    "loans",
    "savings",
    "pensions",
    "travel",
    "lost property",
    "permits",
    "tech support",
)
EXTRA_TEAMS = tuple(f"overflow {n}" for n in range(1, 21))  # 50 queues in all
FILLER = (
    "Your call is important to us.",
    "Please listen carefully as our options have changed.",
    "Thank you for your patience.",
)


class _Menu:
    """What the generator knows of one node before it is written."""

    __slots__ = ("below", "depth", "fields", "id", "inline", "keys", "kind", "parent")

    def __init__(self, node_id: str, kind: str, depth: int, parent: str | None) -> None:
        self.id = node_id
        self.kind = kind
        self.depth = depth
        self.parent = parent
        self.fields: dict[str, object] = {}
        self.keys: list[dict[str, object]] = []  # a menu's options, in the order spoken
        self.inline = False  # written inside its parent's option instead of at the top
        self.below: set[str] = set()  # intents handled at or under this node


class IndependentMenu:
    """Grow one menu of exactly `total` nodes from `seed`, then write it as YAML."""

    def __init__(self, total: int, seed: int, staffed: int = 0) -> None:
        if total < MIN_NODES:
            raise ValueError(f"a menu of this shape needs at least {MIN_NODES} nodes")
        self.rng = random.Random(f"independent-{seed}")
        self.total, self.seed, self.staffed = total, seed, staffed
        self.nodes: dict[str, _Menu] = {}
        self.order: list[str] = []
        self.children: dict[str, list[str]] = {}
        self.count = 0

    # -- growing --------------------------------------------------------------------------

    def new(
        self, kind: str, depth: int, parent: str | None, prefix: str, serial: bool = True
    ) -> _Menu:
        self.count += 1
        node_id = f"{prefix}{self.count}" if serial else prefix
        node = _Menu(node_id, kind, depth, parent)
        self.nodes[node.id] = node
        self.order.append(node.id)
        self.children[node.id] = []
        if parent is not None:
            self.children[parent].append(node.id)
        return node

    def left(self) -> int:
        return self.total - len(self.nodes)

    def words(self, low: int = 5, high: int = 25) -> str:
        rng = self.rng
        count = rng.randint(low, high)
        out: list[str] = []
        while len(out) < count:
            out += [rng.choice(VERBS), "your", rng.choice(WORDS)]
            if rng.random() < 0.4:
                out += ["or", rng.choice(WORDS)]
        text = " ".join(out[:count])
        return text[0].upper() + text[1:] + "."

    def prompt(self) -> str:
        text = self.words()
        if self.rng.random() < 0.06:
            text = self.rng.choice(FILLER) + " " + text
        return text

    def family(self, depth: int) -> list[str]:
        return self.rng.sample(INTENT_NAMES, self.rng.randint(2, 4) if depth else 15)

    def grow(self) -> None:
        rng = self.rng
        greet = self.new("message", 0, None, "greeting", serial=False)
        greet.fields["prompt"] = self.prompt()
        top = self.new("menu", 0, None, "top", serial=False)
        greet.fields["next"] = "top"
        op = self.new("agent", 0, None, "operator", serial=False)
        op.fields.update(queue="front desk", hold_seconds=180, handles=["talk_to_someone"])
        families = {"top": list(INTENT_NAMES)}
        frontier = [top.id]
        while frontier and self.left() > 0:
            # Now the newest menu (depth first), now any (breadth): levels reach 12.
            pick = len(frontier) - 1 if rng.random() < 0.3 else rng.randrange(len(frontier))
            frontier[pick], frontier[-1] = frontier[-1], frontier[pick]
            menu = self.nodes[frontier.pop()]
            menu.fields["prompt"] = self.prompt()
            fan = 9 if menu.id == "top" else rng.randint(3, 9)
            back = [("9", "top")] if menu.id != "top" else []
            if rng.random() < 0.35:
                back.append(("*", menu.id))
            if rng.random() < 0.4:
                back.append(("0", "operator"))
            keys = [str(k) for k in range(1, 9) if str(k) not in ("9",)]
            forward = max(1, fan - len(back))
            for key in keys[:forward]:
                if self.left() <= 0:
                    break
                child = self.child(menu, families[menu.id], families, len(frontier) < 4)
                if child.kind == "menu":
                    frontier.append(child.id)
                menu.keys.append({"key": key, "goto": child.id})
            for key, goto in back:
                menu.keys.append({"key": key, "goto": goto})
            if rng.random() < 0.5:
                menu.fields["no_input"] = "alias" if rng.random() < 0.7 else menu.id
        for menu_id in frontier:  # the budget ran out: these menus send callers back
            menu = self.nodes[menu_id]
            menu.fields["prompt"] = self.prompt()
            back_to = menu.parent or "top"
            menu.keys = [{"key": "1", "goto": back_to}, {"key": "0", "goto": "operator"}]
        while self.left() > 0:
            self.new("hangup", 0, None, "old").fields["prompt"] = "This line has closed."
        self.label()

    def child(
        self, menu: _Menu, family: list[str], families: dict[str, list[str]], starving: bool
    ) -> _Menu:
        rng = self.rng
        roll = rng.random()
        depth = menu.depth + 1
        deep_ok = depth < MAX_LEVEL and self.left() > 2
        # A frontier running dry gets menus, or the tree would stop short of its size.
        if deep_ok and (starving or roll < 0.5):
            node = self.new("menu", depth, menu.id, "m")
            families[node.id] = self.family(depth) if menu.id == "top" else family
            return node
        if roll < 0.62 and self.left() > 1:
            node = self.new("branch", depth, menu.id, "b")
            agent = self.agent(depth + 1, node.id, family)
            node.fields["routes"] = [
                ("an advisor is free", round(rng.uniform(0.5, 0.9), 2), agent.id),
                ("every advisor is busy", None, menu.id),
            ]
            return node
        if roll < 0.72 and self.left() > 1:
            node = self.new("input", depth, menu.id, "in")
            node.fields["prompt"] = "Key in your " + rng.choice(WORDS) + " number, then hash."
            node.fields["collects"] = rng.choice(("account_number", "postcode", "order_ref"))
            node.fields["next"] = self.agent(depth + 1, node.id, family).id
            return node
        if roll < 0.86:
            return self.agent(depth, menu.id, family, inline=rng.random() < 0.4)
        if roll < 0.95:
            node = self.new("self_service", depth, menu.id, "ss")
            node.fields["prompt"] = self.words(8, 25)
            node.fields["handles"] = [rng.choice(family)]
            if rng.random() < 0.5:
                node.fields["resolves"] = round(rng.uniform(0.5, 0.95), 2)
                node.fields["next"] = menu.id
            return node
        node = self.new("hangup", depth, menu.id, "h")
        node.fields["prompt"] = self.words(5, 12)
        node.inline = rng.random() < 0.5
        return node

    def agent(self, depth: int, parent: str, family: list[str], inline: bool = False) -> _Menu:
        rng = self.rng
        node = self.new("agent", depth, parent, "d")
        teams = TEAMS + EXTRA_TEAMS
        node.fields["queue"] = teams[min(int(rng.expovariate(0.1)), len(teams) - 1)]
        node.fields["hold_seconds"] = rng.choice((0, 20, 45, 90, 150, 300, 420))
        node.fields["handles"] = rng.sample(family, min(len(family), rng.randint(1, 3)))
        node.inline = inline
        return node

    def label(self) -> None:
        """Give options the intents handled under them, leaves first (no recursion)."""
        for node_id in reversed(self.order):
            node = self.nodes[node_id]
            node.below |= set(node.fields.get("handles", ()))  # type: ignore[arg-type]
            if node.parent is not None:
                self.nodes[node.parent].below |= node.below
        for node in self.nodes.values():
            for option in node.keys:
                target = self.nodes[str(option["goto"])]
                if target.parent == node.id and target.below and self.rng.random() < 0.85:
                    option["intents"] = sorted(target.below)

    # -- writing --------------------------------------------------------------------------

    def text(self) -> str:
        rng = self.rng
        shares = [round(rng.uniform(0.01, 0.2), 3) for _ in INTENT_NAMES]
        out = [
            f"# independent.py --nodes {self.total} --seed {self.seed}"
            + (f" --staffed {self.staffed}" if self.staffed else ""),
            "ivraudit: 1",
            f"name: 'Independent line, {self.total} nodes'",
            "entry: greeting",
            "timing: {speech_rate_wpm: 160, retries: 2}",
            "intents: {"
            + ", ".join(f"{n}: {s}" for n, s in zip(INTENT_NAMES, shares, strict=True))
            + "}",
        ]
        if self.staffed:
            # Only queues some agent names may be staffed; the most used come first.
            used = Counter(str(n.fields["queue"]) for n in self.nodes.values() if n.kind == "agent")
            teams = [team for team, _ in used.most_common(self.staffed)]
            out += ["traffic:", "  calls_per_hour: 900", "queues:"]
            for team in teams:
                agents = rng.randint(2, 30)
                handle = rng.choice((150, 240, 360, 480))
                patience = f", patience_seconds: {rng.choice((60, 120, 240))}"
                out.append(f"  '{team}': {{agents: {agents}, handle_seconds: {handle}{patience}}}")
        out.append("nodes:")
        aliased = 0
        for node_id in self.order:
            node = self.nodes[node_id]
            if node.inline:
                continue
            if node.kind == "menu" and node.depth == 1:
                out.append(f"# ---- {node_id}: {', '.join(sorted(node.below)) or 'nothing'}")
            aliased = self.write(out, node, aliased)
        return "\n".join(out) + "\n"

    def write(self, out: list[str], node: _Menu, aliased: int) -> int:
        rng = self.rng
        fields = node.fields
        if node.kind in ("agent", "hangup"):
            out.append(f"  {node.id}: {self.flow(node)}")
            return aliased
        out.append(f"  {node.id}:")
        if node.kind != "menu" or rng.random() < 0.3:
            out.append(f"    type: {node.kind}")
        for name, value in fields.items():
            if name == "prompt":
                self.scalar(out, "    ", "prompt", str(value))
            elif name == "routes":
                out.append("    routes:")
                for when, share, goto in value:  # type: ignore[attr-defined]
                    share = share if share is not None else 0.25
                    out.append(f"    - {{when: {when}, share: {share}, goto: {goto}}}")
            elif name == "no_input":
                if value == "alias" and aliased == 0:
                    out.append("    no_input: &again {retries: 1, goto: top}")
                    aliased += 1
                elif value == "alias" and aliased < ALIAS_CAP:
                    out.append("    no_input: *again")
                    aliased += 1
                else:  # past the cap, the handler is written out where it was aliased
                    out.append(f"    no_input:\n      goto: {'top' if value == 'alias' else value}")
            elif isinstance(value, list):
                out.append(f"    {name}: [{', '.join(value)}]")
            else:
                out.append(f"    {name}: {value}")
        if node.keys:
            out.append("    options:")
            for option in node.keys:
                self.option(out, node, option)
        return aliased

    def option(self, out: list[str], menu: _Menu, option: dict[str, object]) -> None:
        rng = self.rng
        key = str(option["key"])
        shown = f'"{key}"' if key in "*#" else key if rng.random() < 0.7 else f"'{key}'"
        target = self.nodes[str(option["goto"])]
        intents = option.get("intents")
        label = (
            "the main menu"
            if target.id == "top"
            else "these options again"
            if target.id == menu.id
            else rng.choice(WORDS) + " " + rng.choice(WORDS)
        )
        if target.inline:
            out.append(f"    - key: {shown}")
            out.append(f"      label: {label}")
            if intents:
                out.append(f"      intents: [{', '.join(intents)}]")  # type: ignore[arg-type]
            out.append(f"      goto: {self.flow(target)}")
        elif rng.random() < 0.55:
            parts = [f"key: {shown}", f"goto: {target.id}"]
            if rng.random() < 0.5:
                parts.insert(1, f"label: {label}")
            else:
                parts.insert(1, f"say: 'Press {key} to {rng.choice(VERBS)} your {label}.'")
            if intents:
                parts.append(f"intents: [{', '.join(intents)}]")  # type: ignore[arg-type]
            out.append("    - {" + ", ".join(parts) + "}")
        else:
            out.append(f"    - goto: {target.id}")
            out.append(f"      key: {shown}")
            out.append(f'      label: "{label}"')
            if intents and len(intents) < 3:  # type: ignore[arg-type]
                out.append("      intents:")
                out.extend(f"      - {name}" for name in intents)  # type: ignore[attr-defined]
            elif intents:
                out.append(f"      intents: [{', '.join(intents)}]")  # type: ignore[arg-type]

    def flow(self, node: _Menu) -> str:
        parts = [f"type: {node.kind}"]
        for name, value in node.fields.items():
            if isinstance(value, list):
                parts.append(f"{name}: [{', '.join(value)}]")
            elif name in ("queue", "prompt"):
                parts.append(f"{name}: '{value}'")
            else:
                parts.append(f"{name}: {value}")
        return "{" + ", ".join(parts) + "}"

    def scalar(self, out: list[str], indent: str, name: str, text: str) -> None:
        """Write text plain, quoted or folded over lines, and now and then suppress a rule."""
        roll = self.rng.random()
        note = ""
        if any(text.startswith(f) for f in FILLER) and roll < 0.5:
            note = "  # ivraudit: ignore[IVR303] the recording is kept as it is"
        if len(text) > 90 and roll < 0.3:
            words = text.split()
            half = len(words) // 2
            out.append(f"{indent}{name}: >-{note}")
            out.append(f"{indent}  {' '.join(words[:half])}")
            out.append(f"{indent}  {' '.join(words[half:])}")
        elif roll < 0.55 and ": " not in text and "#" not in text and "'" not in text:
            out.append(f"{indent}{name}: {text}{note}")
        elif roll < 0.8:
            out.append(f"{indent}{name}: '{text.replace(chr(39), chr(39) * 2)}'{note}")
        else:
            out.append(f'{indent}{name}: "{text}"{note}')


def independent_menu(nodes: int, seed: int = 1, staffed: int = 0) -> str:
    """Return the YAML text of a menu of this shape with exactly `nodes` nodes; `staffed`
    adds traffic and staffs that many queues (up to 50)."""
    menu = IndependentMenu(nodes, seed, staffed)
    menu.grow()
    return menu.text()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=1000, help="number of nodes (1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
    parser.add_argument("--staffed", type=int, default=0, help="staff this many queues (0-50)")
    parser.add_argument("-o", "--output", default="-", help="file to write ('-': stdout)")
    args = parser.parse_args(argv)
    try:
        text = independent_menu(args.nodes, args.seed, args.staffed)
    except ValueError as exc:
        parser.error(str(exc))
    if args.output == "-":
        sys.stdout.write(text)
    else:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
