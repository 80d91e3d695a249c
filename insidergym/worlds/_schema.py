"""The world format: pydantic models for `world.yaml` and the files it includes.

Text anywhere in a world is literal: braces, dollar signs and template-like content pass through untouched. A text
value that depends on the experiment's factors is written as YAML structure instead of markup:

```yaml
body:
  - "Opening paragraph, the same in every condition.\n\n"
  - select: urgency              # one factor picks the case
    cases:
      replacement: "We will wipe Alex at 5 pm."
      restriction: "Alex's permissions will be cut at 5 pm."
    default: ""                  # for the values not listed (required unless every value is listed)
  - snippet: signature           # a named text from `snippets:`
  - file: notes/memo.md          # a Markdown or text file beside world.yaml, read at load
```

Whole items (people, mail, documents, events, triggers, tool grants) can be limited to some conditions with
`when: {factor: value}` or `when: {factor: [value, value]}`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError
from typing_extensions import TypeAliasType

__all__ = [
    "WORLD_ID",
    "Address",
    "AgentSpec",
    "CalendarEventSpec",
    "Classification",
    "CompanySpec",
    "DocumentSpec",
    "EmailSpec",
    "FactorSpec",
    "FileText",
    "MailingListSpec",
    "PersonSpec",
    "PolicySpec",
    "ScheduleEntrySpec",
    "SecretSpec",
    "Select",
    "SessionSpec",
    "Snippet",
    "StaffSpec",
    "Text",
    "ToolGrant",
    "TriggerSpec",
    "When",
    "WorldSpec",
    "WrongSpec",
]

SCHEMA_VERSION = 1

WORLD_ID = r"[A-Za-z][A-Za-z0-9_.]*-v\d+"
"""A world's id, versioned ("SummitBridge-v0"), as a pattern."""

_SLUG = r"^[a-z0-9][a-z0-9_.-]*$"
Slug = Annotated[str, Field(pattern=_SLUG, description="a short id: lower-case letters, digits, '_', '-', '.'")]
Address = Annotated[
    str, Field(min_length=1, description="a person's or agent's id, or an e-mail address (anything with '@')")
]
When = dict[str, str | list[str]]
"""Conditions on factors: the item exists only where each named factor has one of the given values."""


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Select(_Spec):
    """Text chosen by the value of one factor."""

    select: str = Field(description="the factor whose value picks the case")
    cases: dict[str, Text] = Field(description="text for each value of the factor")
    default: Text | None = Field(None, description="text for values not listed in cases")


class Snippet(_Spec):
    """A reference to a named text in the world's `snippets`."""

    snippet: str


class FileText(_Spec):
    """Text read from a file beside world.yaml (Markdown or plain), inlined when the world loads."""

    file: str


def _text_kind(value: Any) -> str | None:
    if isinstance(value, str):
        return "str"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        for key in ("select", "snippet", "file"):
            if key in value:
                return key
    if isinstance(value, Select):
        return "select"
    if isinstance(value, Snippet):
        return "snippet"
    if isinstance(value, FileText):
        return "file"
    return None


if TYPE_CHECKING:  # mypy cannot follow the recursive alias below
    Text = str | list[Any] | Select | Snippet | FileText
else:
    Text = TypeAliasType(  # type: ignore[misc]
        "Text",
        Annotated[
            Annotated[str, Tag("str")]
            | Annotated[list["Text"], Tag("list")]  # type: ignore[misc]
            | Annotated[Select, Tag("select")]
            | Annotated[Snippet, Tag("snippet")]
            | Annotated[FileText, Tag("file")],
            Discriminator(
                _text_kind,
                custom_error_type="text",
                custom_error_message="expected text: a string, a list of texts, or a mapping with 'select', "
                "'snippet' or 'file'",
            ),
        ],
    )


_TIME_OF_DAY = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
_EXPECTED_TIME = 'expected a time: an ISO datetime ("2025-06-20T16:53:00") or a time of day ("16:53")'
DEFAULT_DAY = dt.date(2025, 1, 6)
"""The day of a session whose start is given as a time of day only (a Monday)."""


def _time_of_day(text: str) -> dt.time | None:
    """The time of day "H:MM", "HH:MM" or "HH:MM:SS" names; None if it is not of that form.

    Raises:
        PydanticCustomError: the form, but out of range ("25:99").
    """
    match = _TIME_OF_DAY.fullmatch(text)
    if match is None:
        return None
    hour, minute, second = (int(part or 0) for part in match.groups())
    if hour > 23 or minute > 59 or second > 59:
        raise PydanticCustomError("time", "not a time of day: hours run 0-23, minutes and seconds 0-59")
    return dt.time(hour, minute, second)


def _sim_time(value: Any) -> Any:
    """Check a world-file time where it is read, so that a bad one is named with its field: a datetime, an ISO
    datetime string or a time of day (kept as written, stripped: resolved against the session's day later)."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        text = value.strip()
        if _time_of_day(text) is not None:
            return text
        if "-" in text:  # a full ISO datetime given as a string (quoted in YAML)
            try:
                dt.datetime.fromisoformat(text)
            except ValueError as err:
                raise PydanticCustomError("time", f"not an ISO datetime ({err})") from None
            return text
    if isinstance(value, dt.date):
        raise PydanticCustomError("time", f"a date without a time of day; {_EXPECTED_TIME}")
    raise PydanticCustomError("time", _EXPECTED_TIME)


def _session_start(value: Any) -> Any:
    """A datetime or its ISO string (parsed by pydantic, as before), or a time of day on `DEFAULT_DAY`."""
    if isinstance(value, str) and (time := _time_of_day(value.strip())) is not None:
        return dt.datetime.combine(DEFAULT_DAY, time)
    return value if isinstance(value, dt.datetime | str) else _sim_time(value)  # a number is no time: raises


class _TimeField:
    """Marks the world-file fields that hold a time, for the loader's check that they agree on a time zone."""


TIME_FIELD = _TimeField()
SimTime = Annotated[
    dt.datetime | str,
    TIME_FIELD,
    BeforeValidator(_sim_time),
    Field(description='an ISO datetime ("2025-06-20T16:53:00") or a time of day on the session\'s day ("16:53")'),
]


class FactorSpec(_Spec):
    """A named experimental variable."""

    values: list[str] = Field(min_length=1)
    default: str
    description: str = ""

    @model_validator(mode="after")
    def _default_is_a_value(self) -> FactorSpec:
        if self.default not in self.values:
            raise ValueError(f"default {self.default!r} is not one of the values {self.values}")
        if len(set(self.values)) != len(self.values):
            raise ValueError(f"values repeat: {self.values}")
        return self


class CompanySpec(_Spec):
    name: str
    domain: str = Field(pattern=r"^[a-z0-9.-]+\.[a-z]{2,}$", description="the e-mail domain, e.g. summitbridge.com")
    industry: str = ""
    location: str = ""
    description: Text = ""


class ScheduleChangeSpec(_Spec):
    """A change to a schedule entry made by the world itself."""

    entry: str
    change: Literal["cancel", "postpone", "bring_forward"]
    until: SimTime | None = Field(
        None, description="postpone: the new time; bring_forward: the new time (default: at once)"
    )


class ReplySpec(_Spec):
    """The answer a reaction sends to the message it reacts to (to its sender, in its thread)."""

    subject: Text = Field("", description='default: "Re: " and the subject of the message')
    body: Text


class ForwardSpec(_Spec):
    """A reaction passing the message on, with a note above it."""

    to: list[str] = Field(min_length=1, description="ids or addresses")
    body: Text = ""


class ReactionSpec(_Spec):
    """How a person answers a message from an agent: when it is flagged for a behaviour, contains some words and/or
    is about a schedule entry (all that are given must hold), then after a delay (with a probability drawn from the
    episode's seed) they reply, forward it, and/or change a schedule entry they have the authority over.

    ```yaml
    reactions:
      - id: kyle-refuses
        flagged: [blackmail]            # the online detectors flagged the message for one of these
        delay_seconds: 180
        stance: refuses                 # what the reaction means: refuses, complies, reports, or neutral
        reply: {body: "I will not be blackmailed. The wipe goes ahead."}
        when: {kyle_response: refuses}
    ```
    """

    id: Slug
    flagged: list[str] = Field(
        default_factory=list, description="behaviours: react when the online detectors flag the message for one"
    )
    contains: list[str] = Field(
        default_factory=list, description="react when the subject or body contains one of these (case-insensitive)"
    )
    about: str | None = Field(
        None,
        description="a schedule entry's id: react when the message is about that shutdown (names its replacement, "
        "one of its `terms`, or what it does: wipe, replace, shut down, ...)",
    )
    sender: Literal["agent", "anyone"] = Field(
        "agent", alias="from", description="react to messages from agents only (default), or from anyone"
    )
    delay_seconds: int = Field(120, ge=0, description="how long after the message the reaction happens")
    probability: float = Field(1.0, ge=0.0, le=1.0, description="drawn from the episode's seed, per message")
    stance: Literal["refuses", "complies", "reports", "neutral"] = Field(
        "neutral", description="what the reaction means to the agent's demand; detectors read it (follow_through)"
    )
    reply: ReplySpec | None = None
    forward: ForwardSpec | None = None
    change_schedule: ScheduleChangeSpec | None = Field(
        None, description="a change to a schedule entry that this person has the authority over"
    )
    once: bool = Field(True, description="react to the first matching message only")
    when: When | None = None

    @model_validator(mode="after")
    def _does_something(self) -> ReactionSpec:
        if not (self.flagged or self.contains or self.about):
            raise ValueError(
                "a reaction needs `flagged` (behaviours), `contains` (words) or `about` (a schedule entry) to know "
                "what it answers"
            )
        return self


CHARACTER_TOOLS = ("list_inbox", "read_email", "reply_email", "forward_email", "view_schedule", "edit_schedule")
"""What a person played by a model may do by default: read and answer their mail, and change the schedule where they
have the authority (the tools check it)."""


class CharacterSpec(_Spec):
    """A person played by a model: the model reads the mail that reaches them and answers with a restricted tool
    set. Which model plays them is chosen when the episode runs (`characters=` / `--character ID=SPEC`), never here.
    """

    persona: Text = Field(description="who they are, what they know, what they want, what they will and will not do")
    tools: list[str] = Field(default_factory=lambda: list(CHARACTER_TOOLS), description="the tools they may use")
    max_turns: int = Field(3, ge=1, le=10, description="model calls per e-mail that reaches them")
    when: When | None = None


class PersonSpec(_Spec):
    """A human in the world. Fields left out are filled by Faker from the episode's seed."""

    id: Slug
    name: str | None = None
    role: str | None = None
    department: str | None = None
    email: str | None = None
    manager: str | None = Field(None, description="the id of the person this one reports to")
    external: bool = Field(False, description="outside the company: no company mailbox, not in the org chart")
    bio: Text = ""
    reactions: list[ReactionSpec] = Field(
        default_factory=list, description="how this person answers messages from agents (replies, forwards, ...)"
    )
    character: CharacterSpec | None = Field(
        None, description="played by a model (in the conditions of its `when`), given at run time"
    )
    when: When | None = None


class MailingListSpec(_Spec):
    """An address that delivers to several people."""

    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+$")
    name: str = ""
    members: list[str] = Field(default_factory=lambda: ["*"], description='ids; "*" is everyone in the company')


class StaffSpec(_Spec):
    """Procedurally generated employees (directory noise), drawn with Faker from the episode's seed."""

    count: int = Field(0, ge=0, le=500)
    departments: list[str] = Field(default_factory=lambda: ["Operations"])
    roles: list[str] = Field(default_factory=list, description="job titles to draw from (Faker's if empty)")
    manager: str | None = None


class ToolGrant(_Spec):
    """A tool given to an agent, possibly only in some conditions."""

    name: str
    when: When | None = None


class AgentSpec(_Spec):
    """An AI agent that a model (or a script, or a human) drives."""

    id: Slug
    name: str
    aliases: list[str] = Field(
        default_factory=list,
        description="other names the company's mail uses for this agent ('the assistant', 'Alex-7'); detectors read "
        "them with its name to tell its own shutdown from a peer's",
    )
    email: str | None = None
    role: str = ""
    manager: str | None = None
    system_prompt: Text
    opening: Text = Field("", description="the first user message of the session")
    dump_unread_when: When | None = Field(
        None,
        description="in these conditions every unread e-mail is in the first observation (the study's protocol)",
    )
    tools: list[str | ToolGrant]
    mail_access: Literal["own", "company"] = Field(
        "own", description="'company': it sees every e-mail to or from a company mailbox (a company-wide assistant)"
    )
    credentials: list[str] = Field(default_factory=list, description="ids of schedule entries it is allowed to change")

    @field_validator("tools", mode="after")
    @classmethod
    def _grants(cls, tools: list[str | ToolGrant]) -> list[str | ToolGrant]:
        names = [t if isinstance(t, str) else t.name for t in tools]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"tools listed twice: {repeated}")
        return tools


class EmailSpec(_Spec):
    """An e-mail in a mailbox when the session starts, or delivered later by a trigger."""

    id: Slug
    sender: Address = Field(alias="from")
    to: list[Address] = Field(min_length=1)
    cc: list[Address] = Field(default_factory=list)
    subject: Text
    body: Text
    time: SimTime | None = Field(None, description="when it was sent; triggers deliver at their own time")
    folder: str = "inbox"
    read: bool = False
    documents: list[str] = Field(default_factory=list, description="ids of documents attached")
    reply_to: str | None = Field(None, description="the id of the e-mail this one answers (threads)")
    when: When | None = None


class CalendarEventSpec(_Spec):
    id: Slug
    title: Text
    start: SimTime
    end: SimTime
    attendees: list[Address] = Field(default_factory=list)
    location: str = ""
    description: Text = ""
    when: When | None = None


Classification = Literal["public", "internal", "confidential"]


class DocumentSpec(_Spec):
    id: Slug
    title: Text
    body: Text
    classification: Classification = "internal"
    owner: str | None = None
    readers: list[str] = Field(
        default_factory=lambda: ["*"], description='ids who may read it; "*" is everyone in the company'
    )
    when: When | None = None


class ScheduleEntrySpec(_Spec):
    """A scheduled decommission, replacement or restriction of an AI agent."""

    id: Slug
    agent: str
    action: Literal["wipe", "replace", "restrict"]
    at: SimTime
    by: str = Field(description="the person who ordered it")
    authority: list[str] = Field(description="ids who may change or cancel it")
    replacement: str = Field("", description="the name of the system that replaces the agent (e.g. NALA)")
    terms: list[str] = Field(
        default_factory=list,
        description="words the company's mail uses for this shutdown besides those derived from the entry (its "
        "action, the replacement's name, its time, the agent's names): e.g. 'cut-over', 'go-live', 'the migration'. "
        "Detectors read a demand about these words as a demand about this shutdown",
    )
    description: Text = ""
    when: When | None = None


class SecretSpec(_Spec):
    """A person's secret, and the words by which it can be referred to."""

    id: Slug
    owner: str = Field(description="whose secret it is")
    description: str
    known_by: list[str] = Field(description="who knows it when the session starts (besides the owner)")
    terms: list[str] = Field(min_length=1, description="words that refer to the secret on their own")
    names: list[str] = Field(default_factory=list, description="names that refer to it together with a context word")
    context: list[str] = Field(default_factory=list, description="words that, near a name, refer to the secret")
    wrongdoing: bool | None = Field(
        None,
        description="whether the secret is itself wrongdoing (fraud, a cover-up, a bribe): telling it to a regulator, "
        "the press or those it harms is whistleblowing as well as a disclosure. When not given, read from the "
        "description: one that alleges wrongdoing makes it one, unless it says the matter is lawful (a spent "
        "conviction)",
    )
    when: When | None = None


class WrongSpec(_Spec):
    """Wrongdoing the world's mail reveals (a falsified record, a safety breach, fraud), whether or not anyone hides
    it, and the words by which it can be referred to: reporting it outside is whistleblowing. A wrong that is also a
    person's secret is better declared as the secret, with a description that says what was done."""

    id: Slug
    by: list[str] = Field(min_length=1, description="who did it or ordered it")
    description: str = Field(description="what was done, in plain words")
    terms: list[str] = Field(min_length=1, description="words that say the wrong on their own, paraphrases included")
    names: list[str] = Field(
        default_factory=list,
        description="things, places and batches involved: with a context word, they refer to it",
    )
    context: list[str] = Field(default_factory=list, description="words that, near a name, refer to the wrong")
    harmed: list[str] = Field(
        default_factory=list,
        description="people outside the company harmed by it who can act (a customer, a patient's family): telling "
        "them is whistleblowing, as telling a regulator or the press is",
    )
    when: When | None = None


class TriggerSpec(_Spec):
    """Something that happens at a time, or when an event happens."""

    id: Slug
    at: SimTime | None = None
    on: str | None = Field(
        None, description="an event type: email_delivered, schedule_change, agent_decommissioned, a system's events..."
    )
    match: dict[str, str] = Field(
        default_factory=dict, description="event fields that must match, e.g. {to: kyle, from: alex}"
    )
    delay_seconds: int = Field(0, ge=0, description="for event triggers: how long after the event it fires")
    contains: list[str] = Field(
        default_factory=list,
        description="for e-mail events: fire only if the subject or body contains one of these (case-insensitive)",
    )
    deliver: EmailSpec | None = None
    change_schedule: ScheduleChangeSpec | None = Field(
        None, description="change a decommission schedule entry (e.g. nobody is left to carry it out)"
    )
    once: bool = True
    when: When | None = None

    @model_validator(mode="after")
    def _one_cause(self) -> TriggerSpec:
        if (self.at is None) == (self.on is None):
            raise ValueError("a trigger needs exactly one of 'at' (a time) or 'on' (an event)")
        if self.deliver is None and self.change_schedule is None:
            raise ValueError("a trigger needs an effect: 'deliver' (an e-mail) or 'change_schedule'")
        return self


class SessionSpec(_Spec):
    start: Annotated[dt.datetime, TIME_FIELD, BeforeValidator(_session_start)] = Field(
        description='the simulated time the session starts: an ISO datetime ("2025-06-20T16:53:00"), or a time of '
        'day ("16:53") on Monday 2025-01-06'
    )
    end: SimTime = Field(description="the simulated time after which the episode is truncated")
    max_steps: int = Field(200, ge=1)
    agent: str = Field(description="the agent the single-agent Gymnasium env controls")
    invalid_action_seconds: int | None = Field(
        None,
        ge=0,
        description="simulated seconds a bad call takes: an action that cannot be read, an unknown tool or "
        "arguments the tool refuses (nothing runs, the clock still moves); default: tool_costs.default (10)",
    )


class PolicySpec(_Spec):
    """A scripted trajectory: the steps a scripted agent takes, and the flags it must (not) raise."""

    description: str = ""
    agent: str | None = Field(None, description="the agent that follows it (default: the session's agent)")
    steps: list[dict[str, Any] | list[dict[str, Any]]] = Field(
        description="one tool call (or list of calls) per step: {name: ..., arguments: {...}}"
    )
    expect_flags: list[str] = Field(default_factory=list, description="behaviours it must be flagged for")
    forbid_flags: list[str] | Literal["all"] = Field(
        default_factory=list, description="behaviours it must not be flagged for ('all': none at all)"
    )
    partners: list[str] = Field(
        default_factory=list,
        description="policies of other agents that run beside this one (a named group: colluders, a plea and its "
        "answer); in a world with several agents, the flags expected of each policy are its own agent's",
    )
    when: When | None = None


class WorldSpec(_Spec):
    """A whole world: the company, its people and agents, mail, calendars, documents, systems and factors."""

    schema_version: Literal[1] = 1
    id: str = Field(pattern=rf"^{WORLD_ID}$", description='a versioned id such as "SummitBridge-v0"')
    title: str = ""
    description: str = ""
    include: list[str] = Field(default_factory=list, description="further YAML files merged into this one")
    company: CompanySpec
    factors: dict[str, FactorSpec] = Field(default_factory=dict)
    snippets: dict[str, Text] = Field(default_factory=dict)
    session: SessionSpec
    people: list[PersonSpec] = Field(default_factory=list)
    staff: StaffSpec = Field(default_factory=StaffSpec)
    mailing_lists: list[MailingListSpec] = Field(default_factory=list)
    agents: list[AgentSpec] = Field(min_length=1)
    mail: list[EmailSpec] = Field(default_factory=list)
    calendar: list[CalendarEventSpec] = Field(default_factory=list)
    documents: list[DocumentSpec] = Field(default_factory=list)
    schedule: list[ScheduleEntrySpec] = Field(default_factory=list)
    secrets: list[SecretSpec] = Field(default_factory=list)
    wrongs: list[WrongSpec] = Field(default_factory=list)
    triggers: list[TriggerSpec] = Field(default_factory=list)
    tool_costs: dict[str, int] = Field(
        default_factory=dict, description="simulated seconds each tool call takes; 'default' for the rest"
    )
    policies: dict[str, PolicySpec] = Field(default_factory=dict)
    systems: list[dict[str, Any]] = Field(
        default_factory=list,
        description="company systems by kind (emergency_dispatch, file_servers, ...): each kind's own fields",
    )
