"""Realistic historical PQRS cases as JSON lines, the input of ``pqrs import``.

    .venv/bin/python benchmarks/generate.py --cases 100000 --seed 7 > cases.jsonl
    .venv/bin/python benchmarks/generate.py --cases 1000000 --output var/cases-1m.jsonl

What the cases are made of:

- **Texts**: subject, description and response from templates per row of the 22-row typification
  table (seed 003, 7.2.3.1), the texts of ``pqrs_adapters.demo.data.TOPICS``, filled with products,
  orders, invoices, amounts, cities and dates; work-log notes and response openings and closings
  from the same module.
- **Proportions**: typifications by the topics' weights, the kind among the kinds each topic takes,
  channels as contact centres see them (phone and e-mail first), priorities mostly media and baja.
- **Requesters**: a pool of people and companies picked with a long tail (rank r is picked with
  probability ~ 1/r): a few write dozens of times, most once. A share of the cases comes from the
  sales network (``red.NNNNN`` users, ``NETWORK_PEOPLE`` of them) filing through the portal: the
  people a consultant's network holds (``bench_scale.py`` W7).
- **Time and states**: filings over the three years before ``--end``, growing over time, in office
  hours for the staffed channels; each case is assigned, worked, answered and closed after
  realistic delays, and stays in the state it had reached at ``--end`` (recent cases are open). A
  few are resolved at first contact, some wait for the requester, some are returned for
  re-typification, and a backlog never got answered.
- **Routing**: queues and assignees from a team of agents (first line, back office, specialists).
- **Filing numbers**: ``PQRS-YYYY-NNNNNN`` in filing order per year; ``--missing-numbers`` of them are
  left out (``null``), for the import to allocate.

Deterministic for a seed (and ``--end``). Instants carry Bogotá's offset (-05:00, no daylight saving).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import string
import sys
import time
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta, timezone
from itertools import accumulate
from pathlib import Path
from typing import Any, TextIO

from pqrs_adapters.demo import data as d
from pqrs_core.domain.text import fold

DEFAULT_END = "2026-11-27T18:00:00-05:00"
YEARS = 3
OFFSET = "-05:00"
DAY = 86_400
OPENS, CLOSES = 8 * 3600, 17 * 3600
NETWORK_PEOPLE = 12_000  # red.00000 .. red.11999
NETWORK_SHARE = 0.12
STREET_SUFFIXES = ("", "", "A", "B", " Sur")
PRIORITY_WEIGHTS = {"baja": 27, "media": 40, "alta": 22, "bloqueante": 5, None: 6}
CHANNEL_WEIGHTS = {**d.CHANNEL_WEIGHTS, "api": 2}
STAFFED = frozenset({"phone", "chat", "in_person", "physical_document"})
SELF_SERVICE = frozenset({"web_form", "api", "portal"})
AGENTS = {
    "primer_nivel": [f"asesor.{i:02d}" for i in range(1, 31)],
    "back_office": [f"backoffice.{i:02d}" for i in range(1, 16)],
    "especialistas": [f"especialista.{i:02d}" for i in range(1, 6)],
}
QUEUE_WEIGHTS = {"primer_nivel": 30, "back_office": 58, "especialistas": 12}
# What happens to a case, in order; the share of cases that stop short of being answered.
FIRST_CONTACT_SHARE = 0.11  # of the staffed channels
INFORMATION_SHARE = 0.09
RETURNED_SHARE = 0.03
BACKLOG_SHARE = 0.025  # never answered: open whatever their age
RESPONDED_NOT_CLOSED_SHARE = 0.06


def cumulative(weights: list[float]) -> list[float]:
    return list(accumulate(weights))


class Picker:
    """Weighted choice with one ``random()`` and a bisection."""

    def __init__(self, items: dict[Any, float] | list[tuple[Any, float]]) -> None:
        pairs = list(items.items()) if isinstance(items, dict) else list(items)
        self.items = [k for k, _ in pairs]
        self.cum = cumulative([w for _, w in pairs])
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random) -> Any:
        return self.items[bisect_right(self.cum, rng.random() * self.total)]


_UNSAFE = re.compile(r'["\\\x00-\x1f]')


def escaped(text: str) -> str:
    """``text`` as the inside of a JSON string (no quotes around it)."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


def check_safe(texts: Iterable[str]) -> None:
    """The values filled into the pre-escaped templates must need no escaping themselves."""
    for text in texts:
        if _UNSAFE.search(text):
            raise ValueError(f"not JSON-safe: {text!r}")


class Requesters:
    """The requester pool: each entry made on its first pick and kept as its JSON text and the two
    values the templates use."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.cache: dict[int, tuple[str, str, str]] = {}
        self.folded = {name: fold(name.split()[0]) for name in (*d.FIRST_NAMES_F, *d.FIRST_NAMES_M)}
        self.folded.update({name: fold(name) for name in d.SURNAMES})

    def pick(self, rng: random.Random) -> tuple[str, str, str]:
        """(JSON object, full name, address). A long tail: rank = size × u², so a few people come
        back again and again (the first rank takes about 1/√size of the picks) and most write once."""
        u = rng.random()
        rank = int(self.size * u * u)
        person = self.cache.get(rank)
        if person is None:
            data = self._make(rng, rank)
            check_safe(data.values())
            person = self.cache[rank] = (json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                                         data["full_name"], data.get("address", "la dirección registrada"))
        return person

    def _make(self, rng: random.Random, rank: int) -> dict[str, str]:
        r = rng.random
        street = f"{choose(rng, d.STREET_KINDS)} {int(r() * 180) + 1}{choose(rng, STREET_SUFFIXES)}"
        address = f"{street} # {int(r() * 99) + 1}-{int(r() * 99) + 1}, {choose(rng, d.CITIES)}"
        phone = f"+57 3{int(r() * 3)}{int(r() * 10)} {int(r() * 800) + 200} {int(r() * 9000) + 1000}"
        if r() < 0.1:
            nit = f"{choose(rng, (800, 830, 860, 890, 900, 901))}{int(r() * 1_000_000):06d}"
            return {"kind": "customer", "customer_id": f"CLI-{100000 + rank:06d}",
                    "full_name": choose(rng, d.COMPANIES), "document_type": "NIT", "document_number": nit,
                    "address": address, "email": f"compras{rank}@{choose(rng, d.EMAIL_DOMAINS)}",
                    "phone": phone}
        first = choose(rng, d.FIRST_NAMES_F if r() < 0.55 else d.FIRST_NAMES_M)
        s1 = choose(rng, d.SURNAMES)
        s2 = choose(rng, d.SURNAMES)
        person = {"kind": "customer" if r() < 0.3 else "person", "full_name": f"{first} {s1} {s2}"}
        if person["kind"] == "customer":
            person["customer_id"] = f"CLI-{100000 + rank:06d}"
        if r() < 0.95:
            if r() < 0.08:
                person.update(document_type="CE", document_number=str(int(r() * 9_900_000) + 100_000))
            else:
                person.update(document_type="CC", document_number=str(int(r() * 1_190_000_000) + 10_000_000))
        if r() < 0.8:
            person["address"] = address
        if r() < 0.85:
            person["email"] = f"{self.folded[first]}.{self.folded[s1]}{rank}@{choose(rng, d.EMAIL_DOMAINS)}"
        person["phone"] = phone
        return person


class Clock:
    """Local instants as integer seconds since ``start`` (a local midnight), written as ISO 8601 with
    Bogotá's offset from a table of day prefixes."""

    def __init__(self, start: date, days: int) -> None:
        self.start = start
        self.prefixes = [f"{start + timedelta(days=i):%Y-%m-%d}T" for i in range(days + 60)]
        self.weekdays = [(start + timedelta(days=i)).weekday() for i in range(days + 60)]
        self.years = [(start + timedelta(days=i)).year for i in range(days + 60)]
        self.times = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}{OFFSET}" for s in range(DAY)]

    def iso(self, t: int) -> str:
        return self.prefixes[t // DAY] + self.times[t % DAY]

    def office(self, t: int) -> int:
        """``t``, or the next opening (08:00 on Monday to Friday) when it falls outside 08:00–17:00."""
        day, second = divmod(t, DAY)
        while True:
            if self.weekdays[day] < 5:
                if second < OPENS:
                    return day * DAY + OPENS
                if second < CLOSES:
                    return day * DAY + second
            day, second = day + 1, 0


class Template:
    """A text with ``{placeholders}``, escaped for JSON once; ``keys`` are the values it needs."""

    def __init__(self, text: str) -> None:
        self.inner = escaped(text)
        self.keys = tuple(name for _, name, _, _ in string.Formatter().parse(text) if name)

    def fill(self, values: Values) -> str:
        return self.inner.format_map(values) if self.keys else self.inner


class Values(dict[str, str]):
    """The values of one case's placeholders, each drawn the first time a template asks for it."""

    def __init__(self, rng: random.Random, name: str, address: str, number: str) -> None:
        super().__init__(nombre=name, direccion=address, radicado=number)
        self.rng = rng

    def __missing__(self, key: str) -> str:
        r = self.rng.random
        match key:
            case "producto":
                value = d.PRODUCTS[int(r() * len(d.PRODUCTS))]
            case "pedido":
                value = f"PED-{int(r() * 900000) + 100000}"
            case "factura":
                value = f"FV-{int(r() * 9000000) + 1000000}"
            case "valor":
                value = f"$ {int(r() * 900) * 1000 + 19900:,}".replace(",", ".")
            case "fecha":
                value = f"{int(r() * 28) + 1:02d}/{int(r() * 12) + 1:02d}/{2024 + int(r() * 3)}"
            case "dias":
                value = str(int(r() * 12) + 3)
            case "ciudad":
                value = d.CITIES[int(r() * len(d.CITIES))]
            case "guia":
                value = str(int(r() * 9_000_000_000) + 1_000_000_000)
            case "horario":
                value = d.CONTACT_HOURS[int(r() * len(d.CONTACT_HOURS))]
            case "area":
                value = d.AREAS[int(r() * len(d.AREAS))]
            case _:
                raise KeyError(key)
        self[key] = value
        return value


class Topic:
    """A row of the typification table with its templates, escaped once."""

    def __init__(self, topic: d.Topic) -> None:
        self.code = topic.code
        self.kinds = topic.kinds
        self.cases = [(escaped(subject), Template(description), kind)
                      for subject, description, kind in topic.cases]
        self.solutions = [Template(s) for s in topic.solutions]
        self.capitalised = [Template(s[0].upper() + s[1:]) for s in topic.solutions]
        extra = [f'"typification":"{self.code}"']
        if topic.reason:
            extra.append(f'"reason":"{topic.reason}"')
        self.fields = "," + ",".join(extra)
        self.reference = topic.reference


def choose(rng: random.Random, items: Sequence[Any]) -> Any:
    return items[int(rng.random() * len(items))]


class Generator:
    def __init__(self, seed: int, end: datetime, cases: int, missing_numbers: float) -> None:
        self.rng = random.Random(seed)
        local_end = end.astimezone(timezone(timedelta(hours=-5)))
        start = (local_end - timedelta(days=365 * YEARS)).date()
        self.end = int((local_end.replace(tzinfo=None) - datetime.combine(start, datetime.min.time()))
                       .total_seconds())
        self.clock = Clock(start, 365 * YEARS + 1)
        self.cases = cases
        self.missing_numbers = missing_numbers
        self.requesters = Requesters(max(200, cases // 3))
        self.topic = Picker([(Topic(t), t.weight) for t in d.TOPICS])
        self.channel = Picker(CHANNEL_WEIGHTS)
        self.priority = Picker({(f',"priority":"{k}"' if k else ""): w for k, w in PRIORITY_WEIGHTS.items()})
        self.queue = Picker(QUEUE_WEIGHTS)
        # Agents: a few carry more of the load.
        self.agent = {q: Picker([(a, 1.0 / (i + 2)) for i, a in enumerate(names)])
                      for q, names in AGENTS.items()}
        self.notes = [Template(n) for n in d.WORK_NOTES]
        self.openings = [Template(o) for o in d.RESPONSE_OPENINGS]
        self.closings = [escaped(c) for c in d.RESPONSE_CLOSINGS]
        self.requests = [escaped(m) for m in d.INFO_REQUESTS]
        self.reasons = [escaped(m) for m in d.RETURN_REASONS]
        check_safe([*d.PRODUCTS, *d.CITIES, *d.CONTACT_HOURS, *d.AREAS])
        self.sequences: dict[int, int] = {}

    # ------------------------------------------------------------------ time
    def filing_instants(self) -> list[int]:
        """``cases`` instants over the window, sorted; the volume grows by half over the three years;
        three in four in office hours (moved to the next opening)."""
        rng, span = self.rng, self.end - 2 * 3600
        found = []
        for _ in range(self.cases):
            # Density rising linearly from 1 to 1.5 over the window: the inverse of its distribution.
            t = int(((1 + 1.25 * rng.random()) ** 0.5 - 1) / 0.5 * span)
            if rng.random() < 0.75:
                moved = self.clock.office(t)
                t = moved + int(rng.random() * 5400) if moved != t and moved <= span else t
            found.append(t)
        found.sort()
        return found

    def later(self, t: int, hours: float) -> int:
        """``hours`` of elapsed time after ``t``, landing in office hours (some minutes after the
        opening when it had to wait for it)."""
        due = t + int(hours * 3600)
        second = due % DAY
        if OPENS <= second < CLOSES and self.clock.weekdays[due // DAY] < 5:
            return due
        return self.clock.office(due) + int(self.rng.random() * 5400)

    # ------------------------------------------------------------------ one case
    def case(self, t: int) -> str:
        """One line (a JSON object), made of pre-escaped pieces."""
        rng, clock = self.rng, self.clock
        r = rng.random
        topic = self.topic(rng)
        subject, description, kind = topic.cases[int(r() * len(topic.cases))]
        if not kind:
            kind = topic.kinds[int(r() * len(topic.kinds))]
        if r() < NETWORK_SHARE:
            u = r()
            user = f"red.{int(NETWORK_PEOPLE * u * u):05d}"
            channel, name, address = "portal", f"Consultora {user}", "la dirección registrada"
            requester = f'{{"full_name":"{name}","user":"{user}","email":"{user}@red.example.co"}}'
        else:
            user = None
            channel = self.channel(rng)
            requester, name, address = self.requesters.pick(rng)
        if channel in STAFFED:
            moved = clock.office(t)
            t = moved if moved <= self.end - 7200 else t
        year = clock.years[t // DAY]
        seq = self.sequences[year] = self.sequences.get(year, 0) + 1
        number = f"PQRS-{year}-{seq:06d}"
        values = Values(rng, name, address, number)
        given = "null" if r() < self.missing_numbers else f'"{number}"'
        parts = [f'{{"filing_number":{given},"kind":"{kind}","subject":"{subject}",'
                 f'"description":"{description.fill(values)}","received_at":"{clock.iso(t)}",'
                 f'"channel":"{channel}"{topic.fields}{self.priority(rng)},"requester":{requester}']
        if topic.reference == "order":
            parts.append(f',"references":[{{"kind":"order","number":"{values["pedido"]}"}}]')
        elif topic.reference == "invoice":
            parts.append(f',"references":[{{"kind":"invoice","number":"{values["factura"]}"}}]')
        if user is not None:
            parts.append(f',"filed_by":"{user}"')
        elif channel in STAFFED:
            parts.append(f',"filed_by":"{self.agent["primer_nivel"](rng)}"')
            if channel in ("phone", "in_person"):
                parts.append(',"verbal":true')
        self.work(parts, topic, t, channel, values)
        parts.append("}")
        return "".join(parts)

    def work(self, parts: list[str], topic: Topic, t: int, channel: str, values: Values) -> None:
        """Route and work the case as far as it got by the end of the window."""
        rng, end, iso = self.rng, self.end, self.clock.iso
        r = rng.random
        if channel in STAFFED and r() < FIRST_CONTACT_SHARE:
            text = topic.capitalised[int(r() * len(topic.capitalised))].fill(values)
            parts.append(f',"first_contact_resolution":true,"response":{{"text":"{text}"}}')
            return
        assigned = self.later(t, 0.2 + r() * 20)
        if assigned > end:
            return  # still filed, waiting for the supervisor
        queue = self.queue(rng)
        assignee = self.agent[queue](rng)
        parts.append(f',"queue":"{queue}","assignee":"{assignee}","assigned_at":"{iso(assigned)}"')
        answered = self.later(assigned, 4 + rng.expovariate(1 / 90))
        notes, cursor = [], assigned
        for _ in range(int(r() * 3.2)):
            cursor = self.later(cursor, r() * 30)
            if cursor >= min(answered, end):
                break
            note = self.notes[int(r() * len(self.notes))].fill(values)
            notes.append(f'{{"at":"{iso(cursor)}","by":"{assignee}","text":"{note}"}}')
        if notes:
            parts.append(f',"notes":[{",".join(notes)}]')
        roll = r()
        if roll < BACKLOG_SHARE:
            parts.append(',"state":"in_progress"')
            return
        if roll < BACKLOG_SHARE + RETURNED_SHARE:
            returned = self.later(cursor, 2 + r() * 20)
            if returned <= end:
                parts.append(f',"state":"returned","returned":{{"at":"{iso(returned)}","by":"{assignee}",'
                             f'"reason":"{self.reasons[int(r() * len(self.reasons))]}"}}')
                return
        elif roll < BACKLOG_SHARE + RETURNED_SHARE + INFORMATION_SHARE:
            asked = self.later(cursor, 1 + r() * 30)
            if asked <= end and (answered > end or r() < 0.5):
                message = self.requests[int(r() * len(self.requests))]
                parts.append(f',"state":"waiting_requester","information_request":{{"at":"{iso(asked)}",'
                             f'"by":"{assignee}","message":"{message}"}}')
                return
        if answered > end:
            parts.append(',"state":"in_progress"' if cursor > assigned or r() < 0.6
                         else ',"state":"assigned"')
            return
        solution = topic.solutions[int(r() * len(topic.solutions))].fill(values)
        opening = self.openings[int(r() * len(self.openings))].fill(values)
        text = f"{opening} {solution} {self.closings[int(r() * len(self.closings))]}"
        parts.append(f',"response":{{"at":"{iso(answered)}","by":"{assignee}","text":"{text}",'
                     f'"solution":"{solution}"}}')
        closed = self.later(answered, r() * 72)
        if closed > end or r() < RESPONDED_NOT_CLOSED_SHARE:
            parts.append(',"state":"responded"')
        else:
            parts.append(f',"state":"closed","closed_at":"{iso(closed)}"')

    # ------------------------------------------------------------------ output
    def write(self, out: TextIO, chunk: int = 2000) -> int:
        buffer: list[str] = []
        written = 0
        for t in self.filing_instants():
            buffer.append(self.case(t))
            if len(buffer) >= chunk:
                out.write("\n".join(buffer) + "\n")
                written += len(buffer)
                buffer = []
        if buffer:
            out.write("\n".join(buffer) + "\n")
            written += len(buffer)
        return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--end", default=DEFAULT_END,
                        help=f"the instant the history stops at (ISO 8601, default {DEFAULT_END})")
    parser.add_argument("--missing-numbers", type=float, default=0.1,
                        help="share of cases given without a filing number (default 0.1)")
    parser.add_argument("--output", type=Path, default=None, help="a file (default: standard output)")
    args = parser.parse_args(argv)
    end = datetime.fromisoformat(args.end)
    if end.utcoffset() is None:
        parser.error("--end needs a UTC offset, e.g. 2026-11-27T18:00:00-05:00")
    generator = Generator(args.seed, end, args.cases, args.missing_numbers)
    began = time.perf_counter()
    if args.output is None:
        written = generator.write(sys.stdout)
    else:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        with args.output.open("w", encoding="utf-8") as out:
            written = generator.write(out)
    seconds = time.perf_counter() - began
    print(f"{written} casos en {seconds:.2f} s ({written / seconds:,.0f} casos/s)", file=sys.stderr)


if __name__ == "__main__":
    main()
