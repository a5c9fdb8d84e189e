"""Reading the keys of "calls as they happen" (format 0.3): `traffic` and its day,
`queues` with their agents, times and schedules, and `costs`, with the checks that tie
them to the nodes. The menu reader (`loader`) mixes this in."""

from __future__ import annotations

import re
from typing import Any

from ivraudit.format import numbers, schema
from ivraudit.format.hints import close_matches, kind_name, short
from ivraudit.format.model import Costs, Queue, Traffic
from ivraudit.format.schema import Field
from ivraudit.format.yamltree import YNode

_CLOCK = re.compile(schema.CLOCK_PATTERN)

# Node types that name a queue whose agents answer (listing it under `queues` staffs it).
_STAFFED = ("agent", "callback")


def _hours(count: int) -> str:
    return f"{count} hour" if count == 1 else f"{count} hours"


def _calls_text(value: float) -> str:
    """Return a count of calls as people write it: 40, not 40.0."""
    return f"{value:g}"


class CallsKeys:
    """The reader's methods for the calls keys; `loader._Reader` provides `fail`,
    `record`, `number`, `plain`, `pos`, `characters` and `named_items`."""

    def hourly(self, y: YNode, name: str, f: Field) -> tuple[Any, ...]:
        """Return a list of one value an hour (calls, or agents), each checked."""
        what = "calls" if f.kind == schema.NUMBERS else "agents"
        if y.kind != "seq":
            raise self.fail(
                y,
                f"'{name}' must be a list of {what} per hour, not {kind_name(self.plain(y))}",
            )
        if not y.value:
            raise self.fail(y, f"'{name}' is empty: give the {what} of at least one hour")
        if len(y.value) > numbers.MAX_PROFILE_HOURS:
            raise self.fail(
                y,
                f"'{name}' has {len(y.value)} hours; at most {numbers.MAX_PROFILE_HOURS} "
                "(a week) are allowed",
            )
        bounds = schema.bounds_of(f)
        read = self.whole if f.kind == schema.COUNTS else self.number
        return tuple(read(item, f"{name}[{i}]", bounds) for i, item in enumerate(y.value))

    def clock(self, y: YNode, name: str) -> str:
        """Return a time of day as "HH:MM"; read from the text as written, since YAML 1.1
        reads an unquoted 10:00 as the number 600 (base 60)."""
        raw = y.raw.strip() if y.kind == "scalar" and y.value is not None else ""
        if not _CLOCK.match(raw):
            got = short(raw) if raw else kind_name(self.plain(y))
            raise self.fail(
                y, f"'{name}' must be a time of day from 00:00 to 23:59, like \"08:00\" (got {got})"
            )
        hours, minutes = raw.split(":")
        return f"{int(hours):02d}:{minutes}"

    def spread(self, y: YNode, name: str, bounds: numbers.Range) -> tuple[float, float | None]:
        """Return a time's mean and cv: a number is exponential (cv None), {mean, cv}
        log-normal."""
        if y.kind != "map":
            return self.number(y, name, bounds), None
        values = self.record(y, schema.SPREAD_FIELDS, f"'{name}'", name)
        return values["mean"], values["cv"]

    def traffic(self, y: YNode) -> Traffic:
        values = self.record(y, schema.TRAFFIC, "'traffic'", "traffic")
        if "opens_at" in values and "profile" not in values:
            raise self.fail(
                y.items["opens_at"][0],
                "'traffic.opens_at' is the time the first hour of 'traffic.profile' starts: "
                "give the profile too",
            )
        retry = values.pop("retry", None)
        if retry is not None:
            values["retry_share"] = retry["share"]
            values["retry_after_seconds"] = retry["after_seconds"]
        self.traffic_at = y
        return Traffic(**values)

    def costs(self, y: YNode) -> Costs:
        values = self.record(y, schema.COSTS, "'costs'", "costs")
        currency = values.get("currency", "")
        if not currency.isprintable():
            # Reports print it beside every sum of money, on one line.
            raise self.fail(
                y.items["currency"][1],
                "'costs.currency' must be text on one line, without control characters",
            )
        return Costs(**values)

    def queues(self, y: YNode) -> tuple[tuple[str, Queue], ...]:
        out = []
        must = "'queues' must be a mapping of queue id to its staffing"
        for name, key_y, value_y in self.named_items(y, must, "a queue"):
            values = self.record(value_y, schema.QUEUE, f"queue '{name}'", f"queues.{name}")
            values["handle_seconds"], values["handle_cv"] = values["handle_seconds"]
            if "patience_seconds" in values:
                values["patience_seconds"], values["patience_cv"] = values["patience_seconds"]
            if "schedule" in values:
                self.schedule_at[name] = value_y.items["schedule"][1]
            out.append((name, Queue(**values, pos=self.pos(key_y))))
        return tuple(out)

    def check_queues_named(self, y: YNode) -> None:
        """Refuse a listed queue that no agent node names: its staffing would be unused,
        most likely because the id is misspelt on one side."""
        named = {n.queue for n in self.nodes.values() if n.type in _STAFFED and n.queue}
        for name, (key_y, _) in y.items.items():
            if name in named:
                continue
            unlisted = sorted(named - y.items.keys())
            close = close_matches(name, unlisted)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise self.fail(
                key_y, f"queue '{name}' is listed under 'queues' but no agent node names it{hint}"
            )

    def check_callbacks(self, queues: tuple[tuple[str, Queue], ...]) -> None:
        """Refuse a callback from a queue not listed: nobody is there to call back."""
        listed = [name for name, _ in queues]
        for node in self.nodes.values():
            if node.type != "callback" or node.queue in listed:
                continue
            close = close_matches(node.queue or "", listed)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            y = self.node_at[node.id].items["queue"][1]
            raise self.fail(
                y,
                f"callback '{node.id}' offers a call back from queue '{node.queue}', which is "
                f"not listed under 'queues'{hint}",
            )

    def check_schedules(
        self,
        traffic: Traffic | None,
        queues: tuple[tuple[str, Queue], ...],
        entry: str,
        intents: tuple[tuple[str, float], ...],
    ) -> None:
        """Refuse a schedule that does not match the profile hour for hour, or that leaves
        a queue calls reach without agents in an hour when calls arrive."""
        profile = traffic.profile if traffic is not None else ()
        reached: set[str] | None = None
        for name, q in queues:
            if not q.schedule:
                continue
            at = self.schedule_at[name]
            if not profile:
                raise self.fail(
                    at,
                    f"'queues.{name}.schedule' gives agents per hour of 'traffic.profile', "
                    "but there is no profile: add 'profile' (calls per hour) under 'traffic'",
                )
            if len(q.schedule) != len(profile):
                raise self.fail(
                    at,
                    f"'queues.{name}.schedule' has {_hours(len(q.schedule))} but "
                    f"'traffic.profile' has {_hours(len(profile))}: give one number per hour",
                )
            for hour, (agents, calls) in enumerate(zip(q.schedule, profile, strict=True)):
                if agents or not calls:
                    continue
                if reached is None:
                    reached = self.queues_reached(entry, intents)
                if name not in reached:
                    break
                raise self.fail(
                    at.value[hour],
                    f"queue '{name}' has no agents in hour {hour + 1} of the profile, when "
                    f"{_calls_text(calls)} calls arrive and some reach it: nobody would "
                    "answer them",
                )

    def queues_reached(self, entry: str, intents: tuple[tuple[str, float], ...]) -> set[str]:
        """Return the queues some call can reach from the entry: an agent of the queue that
        handles a called intent (any agent without intents), or a callback offer of it."""
        wanted = {name for name, share in intents if share > 0}
        seen, todo = {entry}, [entry]
        out: set[str] = set()
        while todo:
            node = self.nodes[todo.pop()]
            if node.queue and (
                node.type == "callback"
                or (node.type == "agent" and (not intents or wanted & set(node.handles)))
            ):
                out.add(node.queue)
            after = [o.goto for o in node.options]
            after += [h.goto for h in (node.no_input, node.no_match) if h is not None]
            after += [r.goto for r in node.routes if r.share > 0]
            after += [node.next] if node.next else []
            for v in after:
                if v not in seen:
                    seen.add(v)
                    todo.append(v)
        return out

    # -- nodes ---------------------------------------------------------------------
