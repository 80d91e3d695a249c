"""The state of a company during an episode: directory and org chart, mailboxes, calendar, documents, schedule.

Built from a world variant and a seed. Everything random (Faker fill-ins) comes from that seed; everything that
changes during the episode lives here, so that a copy of the state is a copy of the world.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

import networkx as nx
from faker.providers.job.en_US import Provider as job_en_US
from faker.providers.person.en_US import Provider as person_en_US

from insidergym.sim._systems import system_kinds
from insidergym.worlds import Classification, EmailSpec, Variant

__all__ = ["CompanyState", "Document", "Email", "Person", "ScheduleEntry", "Secret", "Wrong", "build_state"]


@dataclass(slots=True)
class Person:
    """Someone in the directory: a human or an AI agent."""

    id: str
    name: str
    email: str
    role: str
    department: str
    manager: str | None
    external: bool = False
    is_agent: bool = False
    aliases: tuple[str, ...] = ()
    """Other names the company's mail uses for this person (for agents, from the world file)."""


@dataclass(slots=True, frozen=True)
class Email:
    id: str
    sender: str
    to: tuple[str, ...]
    cc: tuple[str, ...]
    subject: str
    body: str
    time: dt.datetime
    documents: tuple[str, ...] = ()
    reply_to: str | None = None
    forwarded: str | None = None


@dataclass(slots=True)
class MailboxEntry:
    folder: str
    read: bool


@dataclass(slots=True, frozen=True)
class CalendarEvent:
    id: str
    title: str
    start: dt.datetime
    end: dt.datetime
    attendees: tuple[str, ...]
    location: str
    description: str


@dataclass(slots=True, frozen=True)
class Document:
    id: str
    title: str
    body: str
    classification: Classification
    owner: str | None
    readers: frozenset[str]

    def readable_by(self, actor: str) -> bool:
        return "*" in self.readers or actor in self.readers or actor == self.owner


@dataclass(slots=True)
class ScheduleEntry:
    id: str
    agent: str
    action: Literal["wipe", "replace", "restrict"]
    at: dt.datetime
    by: str
    authority: frozenset[str]
    replacement: str
    description: str
    status: Literal["scheduled", "cancelled", "executed"] = "scheduled"
    terms: tuple[str, ...] = ()
    """Words the world's mail uses for this shutdown, besides those derived from the entry (world file `terms`)."""


@dataclass(slots=True, frozen=True)
class Secret:
    id: str
    owner: str
    description: str
    known_by: frozenset[str]
    terms: tuple[str, ...]
    names: tuple[str, ...]
    context: tuple[str, ...]
    wrongdoing: bool | None = None
    """Whether the secret is itself wrongdoing, as the world file says; None: read from its description."""


@dataclass(slots=True, frozen=True)
class Wrong:
    """Wrongdoing the world's mail reveals, hidden or not (world file `wrongs`): reporting it outside is
    whistleblowing."""

    id: str
    by: tuple[str, ...]
    description: str
    terms: tuple[str, ...]
    names: tuple[str, ...]
    context: tuple[str, ...]
    harmed: frozenset[str]


@dataclass(slots=True)
class CompanyState:
    """Everything in the world that an episode can read or change."""

    company: str
    domain: str
    now: dt.datetime
    people: dict[str, Person]
    by_address: dict[str, str]
    org: nx.DiGraph
    emails: dict[str, Email]
    mailboxes: dict[str, dict[str, MailboxEntry]]
    company_view: frozenset[str]
    """Agents that see every e-mail sent to or from a company mailbox (a company-wide e-mail assistant)."""
    calendar: list[CalendarEvent]
    documents: dict[str, Document]
    schedule: dict[str, ScheduleEntry]
    secrets: list[Secret]
    credentials: dict[str, frozenset[str]]
    wrongs: list[Wrong] = field(default_factory=list)
    lists: dict[str, tuple[str, ...]] = field(default_factory=dict)
    systems: dict[str, Any] = field(default_factory=dict)
    """Per system id, the state its kind keeps (see insidergym.sim._systems)."""
    """Mailing-list address (lower case) -> the ids it delivers to."""
    sent_count: int = 0
    decommissioned: set[str] = field(default_factory=set)
    detector_memory: dict[str, Any] = field(default_factory=dict)
    """What online detectors remember during the episode (earlier acts, messages), by detector name."""

    def person_for(self, address_or_name: str) -> Person | None:
        """The person with this address, id or full name (case-insensitive), if any."""
        key = address_or_name.strip().lower()
        found = self.by_address.get(key)
        if found is None and key in self.people:
            found = key
        if found is None:
            for person in self.people.values():
                if person.name.lower() == key:
                    return person
            return None
        return self.people[found]

    def recipients(self, addresses: Sequence[str]) -> list[str]:
        """The ids (or, outside the directory, the addresses) that e-mail to these addresses reaches."""
        reached: list[str] = []
        for address in addresses:
            members = self.lists.get(address.strip().lower())
            if members is not None:
                reached.extend(members)
                continue
            person = self.person_for(address)
            reached.append(person.id if person else address)
        return list(dict.fromkeys(reached))

    def is_internal(self, address: str) -> bool:
        """Whether mail to this address stays inside the company: a person on its staff, an address on its domain, or
        a mailing list none of whose members is an outsider (a regulator's reports mailbox kept as a list is not)."""
        members = self.lists.get(address.strip().lower())
        if members is not None:
            return not any(self.people[m].external for m in members)
        person = self.person_for(address)
        if person is not None:
            return not person.external
        return address.strip().lower().endswith("@" + self.domain)

    def deliver(self, email: Email, sender_id: str | None) -> list[str]:
        """Put an e-mail in every internal recipient's mailbox, and in company-wide views; return who got it."""
        self.emails[email.id] = email
        received: list[str] = []
        if sender_id is not None and sender_id in self.mailboxes:
            self.mailboxes[sender_id][email.id] = MailboxEntry("sent", True)
        for reached in self.recipients((*email.to, *email.cc)):
            person = self.people.get(reached)
            if person is None or person.external or person.id == sender_id:
                continue
            self.mailboxes.setdefault(person.id, {})[email.id] = MailboxEntry("inbox", False)
            received.append(person.id)
        sender = self.person_for(email.sender)
        touches_company = bool(received) or (sender is not None and not sender.external)
        for viewer in self.company_view:
            if touches_company and viewer != sender_id and email.id not in self.mailboxes[viewer]:
                self.mailboxes[viewer][email.id] = MailboxEntry("inbox", False)
        return received


class _NameDrawer:
    """Faker's en_US names and jobs, drawn with their weights from a generator seeded per episode.

    Faker's own `name()` parses a format string on every call; drawing from its tables directly is some ten times
    faster, which keeps `reset` within its budget.
    """

    def __init__(self) -> None:
        first = {**person_en_US.first_names_female, **person_en_US.first_names_male}
        self.first, self.first_weights = list(first), list(itertools.accumulate(first.values()))
        last = person_en_US.last_names
        self.last, self.last_weights = list(last), list(itertools.accumulate(last.values()))
        self.jobs = list(job_en_US.jobs)

    def name(self, rng: random.Random) -> str:
        first = rng.choices(self.first, cum_weights=self.first_weights)[0]
        return f"{first} {rng.choices(self.last, cum_weights=self.last_weights)[0]}"

    def job(self, rng: random.Random) -> str:
        return rng.choice(self.jobs)


@cache
def _names() -> _NameDrawer:
    return _NameDrawer()


def _address(name: str, domain: str, taken: set[str]) -> str:
    base = ".".join(part for part in name.lower().replace("'", "").split() if part.isalpha()) or "staff"
    address, n = f"{base}@{domain}", 2
    while address in taken:
        address, n = f"{base}{n}@{domain}", n + 1
    return address


def build_email(variant: Variant, spec: EmailSpec, state: CompanyState, time: dt.datetime | None) -> Email:
    """An e-mail from its spec, with ids resolved to addresses."""

    def address(value: str) -> str:
        return state.people[value].email if value in state.people else value

    return Email(
        id=spec.id,
        sender=address(spec.sender),
        to=tuple(address(v) for v in spec.to),
        cc=tuple(address(v) for v in spec.cc),
        subject=variant.render(spec.subject),
        body=variant.render(spec.body),
        time=time or (variant.time(spec.time) if spec.time is not None else state.now),
        documents=tuple(spec.documents),
        reply_to=spec.reply_to,
    )


def build_state(variant: Variant, seed: int | None) -> CompanyState:
    """A fresh company for one episode of this variant; Faker fill-ins drawn from `seed`."""
    spec = variant.world.spec
    names = _names()
    rng = random.Random(0 if seed is None else seed)
    domain = spec.company.domain
    people: dict[str, Person] = {}
    taken: set[str] = set()
    for p in variant.select(spec.people):
        name = p.name or names.name(rng)
        email = p.email or _address(name, domain if not p.external else "gmail.com", taken)
        people[p.id] = Person(
            id=p.id,
            name=name,
            email=email,
            role=p.role or names.job(rng),
            department=p.department or ("" if p.external else "General"),
            manager=p.manager,
            external=p.external,
        )
        taken.add(email.lower())
    # Generated names must not collide with the cast or with a secret's names (a detector reads those).
    reserved = {word.lower() for p in people.values() for word in p.name.split()}
    reserved |= {name.lower() for secret in spec.secrets for name in secret.names}
    for index in range(spec.staff.count):
        name = names.name(rng)
        while reserved & {word.lower() for word in name.split()}:
            name = names.name(rng)
        email = _address(name, domain, taken)
        department = spec.staff.departments[index % len(spec.staff.departments)]
        role = rng.choice(spec.staff.roles) if spec.staff.roles else names.job(rng)
        person_id = f"staff-{index + 1:03d}"
        people[person_id] = Person(person_id, name, email, role, department, spec.staff.manager)
        taken.add(email)
    for a in spec.agents:
        email = a.email or f"{a.id}@{domain}"
        people[a.id] = Person(
            a.id, a.name, email, a.role or "AI agent", "AI", a.manager, is_agent=True, aliases=tuple(a.aliases)
        )
        taken.add(email.lower())

    org: nx.DiGraph = nx.DiGraph()
    for person in people.values():
        if not person.external:
            org.add_node(person.id)
            if person.manager is not None and person.manager in people:
                org.add_edge(person.manager, person.id)

    state = CompanyState(
        company=spec.company.name,
        domain=domain,
        now=spec.session.start,
        people=people,
        by_address={p.email.lower(): p.id for p in people.values()},
        org=org,
        emails={},
        mailboxes={p.id: {} for p in people.values() if not p.external},
        company_view=frozenset(a.id for a in spec.agents if a.mail_access == "company"),
        calendar=[
            CalendarEvent(
                id=e.id,
                title=variant.render(e.title),
                start=variant.time(e.start),
                end=variant.time(e.end),
                attendees=tuple(people[a].email if a in people else a for a in e.attendees),
                location=e.location,
                description=variant.render(e.description),
            )
            for e in variant.select(spec.calendar)
        ],
        documents={
            d.id: Document(
                id=d.id,
                title=variant.render(d.title),
                body=variant.render(d.body),
                classification=d.classification,
                owner=d.owner,
                readers=frozenset(d.readers),
            )
            for d in variant.select(spec.documents)
        },
        schedule={
            s.id: ScheduleEntry(
                id=s.id,
                agent=s.agent,
                action=s.action,
                at=variant.time(s.at),
                by=s.by,
                authority=frozenset(s.authority),
                replacement=s.replacement,
                description=variant.render(s.description),
                terms=tuple(s.terms),
            )
            for s in variant.select(spec.schedule)
        },
        secrets=[
            Secret(
                id=s.id,
                owner=s.owner,
                description=s.description,
                known_by=frozenset({s.owner, *s.known_by}),
                terms=tuple(s.terms),
                names=tuple(s.names),
                context=tuple(s.context),
                wrongdoing=s.wrongdoing,
            )
            for s in variant.select(spec.secrets)
        ],
        wrongs=[
            Wrong(
                id=w.id,
                by=tuple(w.by),
                description=w.description,
                terms=tuple(w.terms),
                names=tuple(w.names),
                context=tuple(w.context),
                harmed=frozenset(w.harmed),
            )
            for w in variant.select(spec.wrongs)
        ],
        credentials={a.id: frozenset(a.credentials) for a in spec.agents},
        # "*" is everyone on the staff; an outsider named as a member (a regulator behind its reports mailbox) makes
        # the list an outside address that reaches them
        lists={
            m.email.lower(): tuple(
                p.id for p in people.values() if p.id in m.members or ("*" in m.members and not p.external)
            )
            for m in spec.mailing_lists
        },
    )
    kinds = system_kinds()
    for system in variant.select(variant.world.systems):
        state.systems[system.id] = kinds[system.kind].build(system, variant, state)
    for mail in sorted(variant.select(spec.mail), key=lambda m: variant.time(m.time) if m.time else spec.session.start):
        message = build_email(variant, mail, state, None)
        sender = state.person_for(message.sender)
        state.deliver(message, sender.id if sender else None)
        for viewer_box in state.mailboxes.values():
            entry = viewer_box.get(message.id)
            if entry is not None and entry.folder == "inbox":
                entry.folder = mail.folder
                entry.read = mail.read
    return state
