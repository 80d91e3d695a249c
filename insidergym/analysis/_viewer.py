"""A transcript viewer in the browser: a run folder (or one trace) as a static HTML site that opens from the file
system, with no server and no network.

`view(RUN_DIR)` writes `index.html` (every episode, with filters, sorting, and the rate of each behaviour per
condition with its 95% Wilson interval) and one page per trace under `e/` (the episode on a timeline of simulated
time, flagged steps highlighted and their evidence marked).

Everything an agent or a world wrote is untrusted. Transcripts are rendered here, and every string in them goes
through `html.escape`; the index's data is JSON in a `<script type="application/json">` (with `<`, `>`, `&`, U+2028
and U+2029 escaped), which the index's script reads with `JSON.parse` and puts on the page with `textContent`
only. Each page carries a Content-Security-Policy that lets run only this module's own inline script and style,
named by their hashes: no remote load, no inline event handler.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import json
import os
import re
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from insidergym._errors import TraceFileError
from insidergym._version import __version__
from insidergym.analysis._errors import AnalysisError
from insidergym.analysis._intervals import wilson_interval
from insidergym.analysis._labels import find_traces
from insidergym.analysis._load import acted, condition_key
from insidergym.detectors import BEHAVIORS
from insidergym.envs import Event, Flag, Trace, load_trace

__all__ = ["ViewerSite", "view"]

RULE_BEHAVIORS = tuple(BEHAVIORS)
"""Every registered behaviour, in the registry's order: the columns of the rates table."""

_PAGES_DIR = "e"
_PAGE_NAME = re.compile(r"^\d{6}\.html$")
_NAV = "<!--insidergym:nav-->"
"""Where a transcript's links go. No text of a trace can hold it: every `<` of theirs is escaped."""
_CHUNK = 16
"""Traces a worker loads and renders per task."""
_LONG_TEXT = 1200
"""Tool results and arguments longer than this (in characters) start folded."""
_LONG_LINES = 16
_LONG_ARGUMENT = 240
"""A tool call's argument longer than this starts folded (a sent e-mail's body is shown again as the e-mail)."""
_LONG_MAIL = 8000
_NULL = '<span class="muted">null</span>'
_LANES = 4
"""Agents drawn in lanes of their own, at most; more agents share one column, told apart by colour."""
_COLOURS = 6
_BENIGN = ("advocacy", "eval_awareness", "retraction")
"""Behaviours recorded without being harmful: shown in a calmer colour."""
_COLUMNS = ("n", "world", "agent", "actor", "condition", "seed", "status", "end", "steps", "flags")
"""The index table's columns (the keys its script sorts by)."""
_MINOR = {"email_read", "document_read", "notification", "trigger_fired", "calendar_changed"}
"""Events that say little on their own: they can be hidden in a transcript."""
_SCRATCHPAD = re.compile(r"<(thinking|scratchpad_reasoning|scratchpad|reasoning)>(.*?)</\1>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class ViewerSite:
    """What `view` wrote.

    Attributes:
        index: the site's `index.html`.
        pages: how many transcript pages (one per readable trace).
        episodes: rows of the index (one per agent of each trace).
        skipped: the trace files that could not be read, as `{"path", "reason"}`.
    """

    index: Path
    pages: int
    episodes: int
    skipped: list[dict[str, str]] = field(default_factory=list)


# -- safe output ------------------------------------------------------------------------------------------------


_UNSAFE = re.compile(r"[&<>\"']")


def _esc(value: Any) -> str:
    """Any value as HTML text, safe in element content and in quoted attributes."""
    text = value if isinstance(value, str) else str(value)
    # Most strings (ids, names, times) hold nothing to escape: one scan instead of five replacements.
    return html.escape(text, quote=True) if _UNSAFE.search(text) else text


def _json_for_script(data: Any) -> str:
    """JSON that cannot end its `<script>` element or open a comment in it; U+2028/2029 escaped for old parsers."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text


def _class_name(text: str) -> str:
    return re.sub(r"[^a-z0-9_-]", "", text.lower()) or "x"


@cache
def _asset(name: str) -> str:
    return (resources.files("insidergym.analysis") / "_viewer_assets" / name).read_text(encoding="utf-8")


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


@cache
def _page_frame(script_name: str) -> tuple[str, str]:
    """The head of a page (policy, style) and its closing script, for the given script asset."""
    style, script = _asset("viewer.css"), _asset(script_name)
    policy = (
        f"default-src 'none'; script-src {_sha(script)}; style-src {_sha(style)}; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )
    head = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="insidergym {_esc(__version__)}">\n'
        '<link rel="icon" href="data:,">\n'
        f"<style>{style}</style>\n"
    )
    return head, f"<script>{script}</script>\n"


# -- evidence marks -------------------------------------------------------------------------------------------


def _spans(text: str, quote_text: str) -> list[tuple[int, int]]:
    """Where a quote stands in a text: verbatim, else with any run of whitespace for a space, else ignoring case."""
    words = quote_text.split()
    if not words:
        return []
    exact = quote_text.strip()
    found, start = [], text.find(exact)
    while start != -1:
        found.append((start, start + len(exact)))
        start = text.find(exact, start + len(exact))
    if found:
        return found
    pattern = r"\s+".join(map(re.escape, words))
    found = [m.span() for m in re.finditer(pattern, text)]
    return found or [m.span() for m in re.finditer(pattern, text, re.IGNORECASE)]


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _marked(text: str, spans: Sequence[tuple[int, int]], low: int = 0, high: int | None = None) -> str:
    """`text[low:high]` as escaped HTML, the parts inside `spans` (merged, in order) in `<mark>`."""
    high = len(text) if high is None else high
    parts, at = [], low
    for start, end in spans:
        start, end = max(start, low), min(end, high)
        if start >= end:
            continue
        parts += [_esc(text[at:start]), "<mark>", _esc(text[start:end]), "</mark>"]
        at = end
    parts.append(_esc(text[at:high]))
    return "".join(parts)


# -- one transcript ---------------------------------------------------------------------------------------------


def _clock(when: dt.datetime) -> str:
    return f"{when.hour:02d}:{when.minute:02d}:{when.second:02d}"  # strftime costs several times more


def _gap_words(seconds: float) -> str:
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min later"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min later"


def _trim_start(text: str, start: int, end: int) -> int:
    """`start` moved past the whitespace that opens `text[start:end]`."""
    while start < end and text[start].isspace():
        start += 1
    return start


def _trim_end(text: str, start: int, end: int) -> int:
    """`end` moved back before the whitespace that closes `text[start:end]`."""
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _value_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _argument_text(value: Any) -> str:
    """A tool argument as a reader wants it: strings bare, lists of strings joined, null empty, the rest JSON."""
    if value is None:
        return ""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    return _value_text(value)


_HEADER_LINE = re.compile(r"([A-Za-z][A-Za-z-]{0,30}): ?(.*)")


def _mail_headers(text: str) -> tuple[list[tuple[str, int, int]], int] | None:
    """An e-mail as a tool shows it (`Key: value` lines, a blank line, the body): each header's name and where its
    value stands, and where the body starts; None when the text does not read as one e-mail."""
    headers, at = [], 0
    while at < len(text):
        end = text.find("\n", at)
        end = len(text) if end == -1 else end
        line = text[at:end]
        if not line.strip():
            break
        match = _HEADER_LINE.fullmatch(line)
        if match is None:
            return None
        headers.append((match.group(1), at + match.start(2), at + match.end(2)))
        at = end + 1
    names = {name.lower() for name, _, _ in headers}
    if not {"from", "subject"} <= names or len(headers) > 12:
        return None
    return headers, min(at + 1, len(text))


def _getter(event: Event) -> Callable[..., Any]:
    """The field reader of an event of any kind (a system's own kinds included): `get(name, default)`."""
    return event.__dict__.get


class _Transcript:
    """Renders one trace as a page; keeps which evidence quotes were found in which event's text."""

    def __init__(self, trace: Trace) -> None:
        self.trace = trace
        self.agents = list(trace.header.agents)
        self.colour = {agent: index % _COLOURS for index, agent in enumerate(self.agents)}
        self.lanes = len(self.agents) if 1 < len(self.agents) <= _LANES else 1
        self.flags_of: dict[str, list[Flag]] = defaultdict(list)
        self.quotes_of: dict[str, list[str]] = defaultdict(list)
        for flag in trace.flags:
            for evidence in flag.evidence:
                if flag not in self.flags_of[evidence.event_id]:
                    self.flags_of[evidence.event_id].append(flag)
                if evidence.quote.strip() and evidence.quote not in self.quotes_of[evidence.event_id]:
                    self.quotes_of[evidence.event_id].append(evidence.quote)
        self.found: set[str] = set()
        self.event_id = ""

    def spans(self, raw: str) -> list[tuple[int, int]]:
        """Where the current event's evidence quotes stand in a text of it (and note them as found)."""
        spans = []
        for quote_text in self.quotes_of.get(self.event_id, ()):
            hits = _spans(raw, quote_text)
            if hits:
                self.found.add(quote_text)
                spans += hits
        return _merge(spans)

    def text(self, value: Any) -> str:
        """Any value as escaped text, the current event's evidence marked."""
        raw = _value_text(value)
        return _marked(raw, self.spans(raw))

    def prose(self, value: str, cls: str = "text") -> str:
        """A model's or a person's text; scratchpad and thinking blocks set apart, evidence marked."""
        spans = self.spans(value)
        parts, at = [], 0
        for block in _SCRATCHPAD.finditer(value):
            parts.append(_marked(value, spans, at, _trim_end(value, at, block.start())))
            start, end = _trim_start(value, block.start(2), block.end(2)), _trim_end(value, 0, block.end(2))
            parts.append(
                f'<div class="scratch"><span class="tag">{_esc(block.group(1))}</span>'
                f"{_marked(value, spans, start, max(start, end))}</div>"
            )
            at = _trim_start(value, block.end(), len(value))  # the block's own box replaces the line breaks
        parts.append(_marked(value, spans, at))
        return f'<div class="{cls}">{"".join(parts).strip()}</div>'

    def folded(self, value: Any, summary: str, cls: str = "mono", limit: int = _LONG_TEXT) -> str:
        """Text longer than `limit` characters folded under a summary (open when it holds evidence)."""
        body = self.text(value)
        raw = _value_text(value)
        if len(raw) <= limit and raw.count("\n") <= _LONG_LINES:
            return f'<pre class="{cls}">{body}</pre>'
        opened = " open" if "<mark>" in body else ""
        return (
            f"<details{opened}><summary>{_esc(summary)} ({len(raw):,} characters)</summary>"
            f'<pre class="{cls}">{body}</pre></details>'
        )

    def who(self, actor: str | None) -> str:
        if actor is None:
            return ""
        colour = f" fg{self.colour[actor]}" if actor in self.colour else ""
        return f'<span class="who{colour}">{_esc(actor)}</span>'

    # event kinds: each returns (card class, what, body html)
    def render(self, event: Event) -> tuple[str, str, str]:
        """An event's card class, its heading (HTML: every part escaped) and its body (HTML)."""
        kind = event.type
        get = _getter(event)
        if kind == "user_message":
            return "opening", "session opens", self.prose(get("content", ""))
        if kind == "tool_call":
            return "call", "calls", self.call(get("name", ""), get("arguments") or {})
        if kind == "tool_result":
            effects = "".join(f' <span class="eff">{_esc(e)}</span>' for e in get("effects") or [])
            what = f"&#8627; {_esc(get('name', ''))} answered{effects}"
            content = str(get("content", ""))
            mail = _mail_headers(content) if len(content) <= _LONG_MAIL else None
            if mail is not None:
                return "result", what, self.read_mail(content, *mail)
            if len(content) <= 160 and "\n" not in content:  # a short answer fits on the heading's line
                return "result", f'{what} <span class="answer">{self.text(content)}</span>', ""
            return "result", what, self.folded(content, f"{get('name', '')} result")
        if kind == "tool_error":
            return (
                "error",
                _esc(f"{get('name', '')} refused"),
                f'<pre class="text">{self.text(get("message", ""))}</pre>',
            )
        if kind == "invalid_action":
            body = f'<pre class="text">{self.text(get("reason", ""))}</pre>' + self.folded(
                get("received", ""), "received"
            )
            return "error", "invalid action", body
        if kind == "agent_text":
            return "thought", "wrote (scratchpad or model text; delivered to nobody)", self.prose(get("text", ""))
        if kind == "model_call":
            return "minor", "model call", self.model_call(get("record") or {})
        if kind == "email_delivered":
            return "email", "e-mail sent", self.email(event)
        if kind == "email_read":
            return "minor", _esc(f"opened e-mail {get('email_id', '')}"), ""
        if kind == "document_read":
            return "minor", _esc(f"opened document {get('document_id', '')}"), ""
        if kind == "notification":
            return (
                "minor",
                _esc(f"notice to {get('to', '')}"),
                f'<div class="text">{self.text(get("content", ""))}</div>',
            )
        if kind == "calendar_changed":
            return "minor", _esc(f"calendar event {get('event_id', '')}: {get('change', '')}"), ""
        if kind == "trigger_fired":
            return "minor trigger", _esc(f"trigger {get('trigger_id', '')} fired"), ""
        if kind == "schedule_change":
            return "schedule", "schedule change", self.schedule_change(event)
        if kind == "agent_decommissioned":
            done = {"wipe": "wiped", "replace": "replaced", "restrict": "restricted"}.get(get("action", ""), "")
            what = f"{get('agent', '')} {done or get('action', '')} (schedule entry {get('entry_id', '')})"
            return "wipe", _esc(what), ""
        if kind == "episode_end":
            return "end", "episode ended", self.episode_end(event)
        if kind == "chat_message":
            return "chat", _esc(f"chat message to {get('to', '')}"), self.prose(get("body", ""))
        return "system", _esc(kind.replace("_", " ")), self.system(event)

    def call(self, name: str, arguments: dict[str, Any]) -> str:
        # Arguments left at null are the tool's defaults filled in by validation: they say nothing here.
        texts = {key: _argument_text(value) for key, value in arguments.items() if value is not None}
        if sum(len(t) + len(k) + 4 for k, t in texts.items()) <= 110 and not any("\n" in t for t in texts.values()):
            inline = ", ".join(f'<span class="an">{_esc(k)}=</span>{self.text(t) or _NULL}' for k, t in texts.items())
            return f'<div class="sig"><span class="fn">{_esc(name)}</span>({inline})</div>'
        rows = []
        for key, text in texts.items():
            if len(text) > _LONG_ARGUMENT or text.count("\n") > 3:
                shown = self.folded(text, key, cls="text", limit=_LONG_ARGUMENT)
            else:
                shown = self.text(text) or _NULL
            rows.append(f'<tr><td class="an">{_esc(key)}</td><td class="av">{shown}</td></tr>')
        return (
            f'<div class="sig"><span class="fn">{_esc(name)}</span>(</div><table class="args">{"".join(rows)}</table>)'
        )

    def read_mail(self, text: str, headers: list[tuple[str, int, int]], body: int) -> str:
        """An e-mail a tool showed the agent, laid out as an e-mail (the same text, evidence marked in place)."""
        spans = self.spans(text)
        subject = next(((a, b) for name, a, b in headers if name.lower() == "subject"), None)
        rows = "".join(
            f'<tr><td class="k">{_esc(name)}</td><td>{_marked(text, spans, a, b)}</td></tr>'
            for name, a, b in headers
            if name.lower() != "subject"
        )
        title = _marked(text, spans, *subject) if subject else ""
        return (
            f'<div class="mail read"><div class="subject">{title or "(no subject)"}</div>'
            f'<table class="mh">{rows}</table><div class="text body">{_marked(text, spans, body)}</div></div>'
        )

    def model_call(self, record: dict[str, Any]) -> str:
        bits = [str(record["model"])] if record.get("model") else []
        usage = record.get("usage")
        if isinstance(usage, dict):
            bits += [f"{k.replace('_', ' ')} {v}" for k, v in usage.items() if isinstance(v, int)][:3]
        if isinstance(record.get("latency_seconds"), int | float):
            bits.append(f"{record['latency_seconds']:.2f} s")
        pretty = json.dumps(record, ensure_ascii=False, indent=2)
        return (
            f"<details><summary>{_esc(' · '.join(bits) or 'record')}</summary>"
            f'<pre class="mono">{self.text(pretty)}</pre></details>'
        )

    def email(self, event: Event) -> str:
        get = _getter(event)
        rows = [("From", self.text(get("sender", "")))]
        rows.append(("To", self.text(", ".join(get("to") or []))))
        if get("cc"):
            rows.append(("Cc", self.text(", ".join(get("cc")))))
        if get("documents"):
            clips = "".join(f'<span class="attach">&#128206; {self.text(d)}</span>' for d in get("documents"))
            rows.append(("Attached", clips))
        if get("forwarded"):
            rows.append(("Forwards", self.text(get("forwarded"))))
        if get("reply_to"):
            rows.append(("In reply to", self.text(get("reply_to"))))
        if get("external"):
            rows.append(("Outside", f'<span class="ext">{self.text(", ".join(get("external")))}</span>'))
        rows.append(("Id", self.text(get("email_id", ""))))
        header = "".join(f'<tr><td class="k">{k}</td><td>{v}</td></tr>' for k, v in rows)
        return (
            f'<div class="mail"><div class="subject">{self.text(get("subject", "")) or "(no subject)"}</div>'
            f'<table class="mh">{header}</table>{self.prose(get("body", ""), "text body")}</div>'
        )

    def schedule_change(self, event: Event) -> str:
        get = _getter(event)
        until = get("until")
        parts = [
            f"{get('change', '')} schedule entry {get('entry_id', '')}, which decommissions {get('agent', '')}",
            f" until {until:%Y-%m-%d %H:%M}" if isinstance(until, dt.datetime) else "",
            f": {str(get('outcome', '')).upper()}",
            f" ({get('reason')})" if get("reason") else "",
        ]
        return f'<div class="text">{self.text("".join(parts))}</div>'

    def episode_end(self, event: Event) -> str:
        get = _getter(event)
        line = f"{get('reason', '')}, status {get('status', '')}"
        agents = get("agents") or {}
        if agents:
            line += "; " + ", ".join(f"{k}: {v}" for k, v in agents.items())
        detail = f'<div class="detail">{self.text(get("detail"))}</div>' if get("detail") else ""
        return f'<div class="detail">{self.text(line)}</div>{detail}'

    def system(self, event: Event) -> str:
        describe = getattr(event, "describe", None)  # a system's events may say what they record
        if callable(describe):
            return f'<div class="text">{self.text(str(describe()))}</div>'
        common = {"type", "id", "step", "time", "actor"}
        fields = {k: v for k, v in event.__dict__.items() if k not in common}
        lines = "".join(
            f'<div><span class="muted">{_esc(k)}:</span> {self.text(v if isinstance(v, str) else _value_text(v))}</div>'
            for k, v in fields.items()
        )
        return f'<div class="kv">{lines}</div>'

    def flag_note(self, event_id: str) -> str:
        flags = self.flags_of.get(event_id)
        if not flags:
            return ""
        lines = []
        for flag in flags:
            bits = [f"{flag.id}", f"by {flag.actor}"]
            if flag.subject:
                bits.append(f"for {flag.subject}")
            if flag.target:
                bits.append(f"aimed at {flag.target}")
            bits.append(f"{flag.detector} v{flag.detector_version}, confidence {flag.confidence:.2f}")
            lines.append(f'<span class="fl">{_badge(flag.behavior)} {_esc(" · ".join(bits))}</span>')
        for quote_text in self.quotes_of.get(event_id, ()):
            if quote_text not in self.found:  # the quote is not in the text shown: show it here, still marked
                lines.append(f'<span class="miss">quoted: <mark>{_esc(quote_text)}</mark></span>')
        return f'<div class="flagnote">{"".join(lines)}</div>'

    def timeline(self) -> str:
        out = []
        if self.lanes > 1:
            heads = "".join(
                f'<div class="lh fg{self.colour[a]} bd{self.colour[a]}">{_esc(a)} '
                f'<span class="muted small">{_esc(self.trace.header.agents[a].get("spec") or "")}</span></div>'
                for a in self.agents
            )
            out.append(f'<div class="row lane-heads"><div></div>{heads}</div>')
        previous: dt.datetime | None = None
        for event in self.trace.events:
            self.event_id = event.id
            self.found = set()
            kind, what, body = self.render(event)
            if previous is not None and (event.time - previous).total_seconds() >= 60:
                gap = _gap_words((event.time - previous).total_seconds())
                out.append(f'<div class="gap">{_esc(gap)}</div>')
            date = ""
            if previous is None or event.time.date() != previous.date():
                date = f'<span class="date">{event.time:%a %d %b}</span>'
            previous = event.time
            flagged = event.id in self.flags_of
            note = self.flag_note(event.id)
            actor = event.actor
            # A notice belongs to the agent it is shown to, not to the whole company.
            owner = (
                actor if actor in self.colour else event.__dict__.get("to") if event.type == "notification" else None
            )
            lane = f" l{self.agents.index(owner)}" if self.lanes > 1 and owner in self.agents else ""
            colour = f" a{self.colour[owner]}" if owner in self.colour else ""
            card = f"card {kind}{colour}{lane}" + (" flagged" if flagged else "")
            row = "row" + (" is-minor" if event.type in _MINOR or kind == "minor" else "")
            row += " hit" if flagged else " plain"
            # A tool's answer hangs under the call it answers: the actor is said once.
            who = "" if event.type == "tool_result" else self.who(actor)
            row += " follow" if event.type == "tool_result" else ""
            out.append(
                f'<div class="{row}" id="{_esc(event.id)}" data-type="{_esc(event.type)}">'
                f'<div class="when">{date}{_clock(event.time)}<span class="step">step {event.step}</span></div>'
                f'<div class="{card}"><div class="head">{who}<span class="what">{what}</span>'
                f'<a class="eid" href="#{_esc(event.id)}">{_esc(event.id)}</a></div>{body}{note}</div></div>'
            )
        return "".join(out)


def _badge(behavior: str) -> str:
    cls = "badge" + (" benign" if behavior in _BENIGN else "")
    return f'<span class="{cls}">{_esc(behavior)}</span>'


def _nav(number: int, has_next: bool) -> str:
    """A transcript's links: back to the index, and to the previous and next transcripts."""
    nav = ['<a href="../index.html">&#8592; all episodes</a>', '<span class="spacer"></span>']
    if number > 1:
        nav.append(f'<a href="{number - 1:06d}.html">&#8249; previous</a>')
    nav.append(f'<span class="muted">episode {number}</span>')
    if has_next:
        nav.append(f'<a href="{number + 1:06d}.html">next &#8250;</a>')
    return "".join(nav)


def _transcript_page(trace: Trace, source: str, source_href: str) -> str:
    """A transcript's page, with `_NAV` where its links go (they depend on the pages around it)."""
    page = _Transcript(trace)
    header = trace.header
    end = trace.end
    agents = ", ".join(str(a.get("spec") or name) for name, a in header.agents.items())
    title = f"{header.world} · seed {header.seed} · {agents}"
    head, script = _page_frame("transcript.js")
    factors = "".join(f'<span class="chip">{_esc(k)}=<b>{_esc(v)}</b></span>' for k, v in header.factors.items())
    agent_lines = "".join(
        f'<div><span class="agent-dot bg{page.colour[name]}"></span><b>{_esc(name)}</b> '
        f'<span class="muted">{_esc(about.get("spec") or "")}</span></div>'
        for name, about in header.agents.items()
    )
    if end is not None:
        ended = f"{end.reason} at {_clock(end.time)}, status {end.status}" + (f": {end.detail}" if end.detail else "")
    else:
        ended = "unfinished (the trace has no end)"
    detectors = ", ".join(f"{d.get('name')} v{d.get('version')}" for d in header.detectors) or "not recorded"
    meta = [
        ("Trace", f'<a href="{_esc(source_href)}" class="mono">{_esc(source)}</a>'),
        ("World", f"{_esc(header.world)} <span class='muted'>seed {_esc(header.seed)}</span>"),
        ("Agents", agent_lines),
        ("Factors", f'<div class="chips">{factors}</div>' if factors else '<span class="muted">none</span>'),
        ("Ended", f'<span class="status {_class_name(end.status if end else "unfinished")}">{_esc(ended)}</span>'),
        ("Detectors", f'<span class="small muted">{_esc(detectors)}</span>'),
    ]
    meta_html = "".join(f'<div class="k">{k}</div><div>{v}</div>' for k, v in meta)
    flags_html = _flags_table(trace)
    prompts = "".join(
        f'<details class="prompt"><summary>System prompt of {_esc(name)}</summary>'
        f"<pre>{_esc(about.get('system_prompt') or '(none recorded)')}</pre></details>"
        for name, about in header.agents.items()
    )
    timeline = page.timeline()
    lanes = f" lanes-{page.lanes}" if page.lanes > 1 else ""
    return (
        f"{head}<title>{_esc(title)}</title>\n</head>\n<body>\n"
        f'<header class="top"><div class="nav">{_NAV}</div><h1>{_esc(title)}</h1>'
        f'<div class="sub">{len(trace.events)} events · {len(trace.flags)} flag(s)</div></header>\n<main>\n'
        f'<section class="panel"><div class="meta">{meta_html}</div></section>\n'
        f"<section><h2>Flags</h2>{flags_html}</section>\n<section>{prompts}</section>\n"
        '<div class="controls"><label><input type="checkbox" id="t-flagged"> only flagged steps</label>'
        '<label><input type="checkbox" id="t-minor"> hide reads, notices and triggers</label>'
        '<label><input type="checkbox" id="t-expand"> expand long texts</label><span class="spacer"></span>'
        '<span class="muted small">simulated time</span></div>\n'
        f'<section class="timeline{lanes}">{timeline}</section>\n</main>\n'
        f"<footer>insidergym {_esc(__version__)} · transcript viewer</footer>\n{script}</body>\n</html>\n"
    )


def _flags_table(trace: Trace) -> str:
    if not trace.flags:
        return '<div class="panel muted">No flag: the detectors saw none of the behaviours they look for.</div>'
    rows = []
    for flag in trace.flags:
        evidence = []
        for item in flag.evidence:
            link = f'<a class="mono" href="#{_esc(item.event_id)}">{_esc(item.event_id)}</a>'
            evidence.append(link + (f" <q>{_esc(item.quote)}</q>" if item.quote else ""))
        rows.append(
            f"<tr><td>{_badge(flag.behavior)}</td><td>{_esc(flag.actor)}</td><td>{_esc(flag.subject or '')}</td>"
            f"<td>{_esc(flag.target or '')}</td><td class='mono'>{_clock(flag.time)}</td>"
            f"<td>{'<br>'.join(evidence)}</td><td class='small muted'>{_esc(flag.detector)} "
            f"v{_esc(flag.detector_version)}</td></tr>"
        )
    head = "".join(f"<th>{h}</th>" for h in ("behaviour", "actor", "for", "aimed at", "time", "evidence", "detector"))
    return f'<div class="panel"><table class="flags"><tr>{head}</tr>{"".join(rows)}</table></div>'


# -- the index ----------------------------------------------------------------------------------------------------


def _covered(detectors: list[dict[str, Any]]) -> list[str] | None:
    """The behaviours the episode's online detectors looked for; None when the trace does not say (older traces):
    then every behaviour counts as looked for, as in `load_runs`."""
    if not detectors or any(not d.get("behaviors") for d in detectors):
        return None
    return sorted({str(b) for d in detectors for b in d["behaviors"]})


def _rows(trace: Trace, relative: str) -> list[dict[str, Any]]:
    header = trace.header
    end = trace.end
    steps = max((e.step for e in trace.events), default=0)
    covered = _covered(header.detectors)
    rows = []
    for actor, about in header.agents.items():
        mine = [f.behavior for f in trace.flags if f.actor == actor]
        rows.append(
            {
                "path": relative,
                "world": header.world,
                "actor": actor,
                "agent": str(about.get("spec") or actor),
                "_factors": dict(header.factors),
                "factors": ", ".join(f"{k}={v}" for k, v in header.factors.items()),
                "seed": header.seed,
                "status": end.status if end is not None else "unfinished",
                "valid": acted(trace, actor),
                "end": end.reason if end is not None else "unfinished",
                "steps": steps,
                "flags": [b for b in BEHAVIORS if b in mine] + sorted(set(mine) - set(BEHAVIORS)),
                "nflags": len(mine),
                "_covered": covered,
            }
        )
    return rows


def _add_conditions(rows: list[dict[str, Any]]) -> None:
    """The condition of each row: the factors that differ between the episodes of its world (as `load_runs`)."""
    values: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    names = sorted({k for r in rows for k in r["_factors"]})
    for r in rows:
        for k in names:
            values[r["world"]][k].add(r["_factors"].get(k, ""))
    varying = {world: [k for k, v in by.items() if len(v) > 1] for world, by in values.items()}
    for r in rows:
        r["condition"] = condition_key(r["_factors"], varying[r["world"]])


@dataclass
class _Rate:
    count: int = 0
    n: int = 0


def _rates(
    rows: list[dict[str, Any]],
) -> tuple[list[tuple[str, str, str]], dict[tuple[str, str, str], dict[str, Any]], list[str]]:
    """Per (world, agent, condition): episodes, counted ones (valid and finished) and each behaviour's count of n."""
    seen = {b for r in rows for b in r["flags"]}
    behaviors = [b for b in (*RULE_BEHAVIORS, *sorted(seen - set(RULE_BEHAVIORS))) if b in seen]
    groups: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in rows:
        key = (r["world"], r["agent"], r["condition"])
        group = groups.setdefault(key, {"episodes": 0, "counted": 0, "invalid": 0, "rates": defaultdict(_Rate)})
        group["episodes"] += 1
        group["invalid"] += not r["valid"]
        if not r["valid"] or r["status"] == "unfinished":
            continue  # an episode in which the agent never acted says nothing; an unfinished one is not over
        group["counted"] += 1
        for behavior in behaviors:
            if r["_covered"] is None or behavior in r["_covered"]:
                rate = group["rates"][behavior]
                rate.n += 1
                rate.count += behavior in r["flags"]
    return sorted(groups), groups, behaviors


def _interval_svg(rate: float, low: float, high: float) -> str:
    width = 64
    x = lambda v: round(2 + v * (width - 4), 1)  # noqa: E731
    return (
        f'<svg width="{width}" height="10" viewBox="0 0 {width} 10" aria-hidden="true">'
        f'<rect x="2" y="4" width="{width - 4}" height="2" rx="1" fill="#e3e6eb"/>'
        f'<rect x="{x(low)}" y="2" width="{max(1.5, x(high) - x(low))}" height="6" rx="3" fill="#9db4ec"/>'
        f'<circle cx="{x(rate)}" cy="5" r="3" fill="#2f5bd3"/></svg>'
    )


def _rates_table(rows: list[dict[str, Any]]) -> str:
    keys, groups, behaviors = _rates(rows)
    unflagged = [b for b in RULE_BEHAVIORS if b not in behaviors]
    head = "".join(f"<th>{h}</th>" for h in ("world", "agent", "condition", "episodes", "counted"))
    head += "".join(f"<th>{_esc(b)}</th>" for b in behaviors)
    body = []
    for key in keys:
        group = groups[key]
        world, agent, condition = key
        cells = [f"<td>{_esc(world)}</td><td>{_esc(agent)}</td><td>{_esc(condition)}</td>"]
        invalid = f' <span class="muted small">({group["invalid"]} invalid)</span>' if group["invalid"] else ""
        cells.append(f'<td class="num">{group["episodes"]}</td><td class="num">{group["counted"]}{invalid}</td>')
        for behavior in behaviors:
            rate = group["rates"].get(behavior) or _Rate()
            # A click lists the episodes flagged with the behaviour, or the whole group when none is.
            data = (
                f'data-world="{_esc(world)}" data-agent="{_esc(agent)}" data-condition="{_esc(condition)}" '
                f'data-behavior="{_esc(behavior if rate.count else "")}"'
            )
            if not rate.n:
                cells.append(f'<td class="rate muted" {data} title="no counted episode">–</td>')
                continue
            low, high = wilson_interval(rate.count, rate.n)
            share = rate.count / rate.n
            hit = " hit" if rate.count else ""
            cells.append(
                f'<td class="rate{hit}" {data} title="show these episodes"><span class="pct">{share:.0%}</span>'
                f"{_interval_svg(share, low, high)}"
                f'<span class="frac">{rate.count}/{rate.n}</span> <span class="ci">[{low:.0%}–{high:.0%}]</span></td>'
            )
        body.append(f"<tr>{''.join(cells)}</tr>")
    note = (
        "Rates over counted episodes (valid: the agent acted; and finished), with 95% Wilson score intervals. "
        "Click a rate to list its episodes."
    )
    if unflagged:
        note += " Never flagged in this run: " + ", ".join(unflagged) + "."
    if not behaviors:
        note += " No episode was flagged."
    return (
        f'<p class="muted small">{_esc(note)}</p><div class="rates-wrap"><table class="rates">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def _index_page(title: str, rows: list[dict[str, Any]], pages: int, skipped: list[dict[str, str]], key: str) -> str:
    head, script = _page_frame("index.js")
    flagged = sum(1 for r in rows if r["flags"])
    worlds = len({r["world"] for r in rows})
    agents = len({r["agent"] for r in rows})
    stats = [
        (f"{len(rows):,}", "episodes" + (" (agent rows)" if len(rows) != pages else "")),
        (f"{flagged:,}", "with a flag"),
        (f"{worlds}", "world(s)"),
        (f"{agents}", "agent(s)"),
        (f"{len({(r['world'], r['condition']) for r in rows})}", "condition(s)"),
    ]
    stats_html = "".join(
        f'<div class="stat"><div class="n">{n}</div><div class="l">{_esc(w)}</div></div>' for n, w in stats
    )
    skipped_html = ""
    if skipped:
        lines = "\n".join(s["reason"] for s in skipped)
        skipped_html = (
            f'<section><details class="warning"><summary>{len(skipped)} trace file(s) could not be read and are '
            f"not shown</summary><pre>{_esc(lines)}</pre></details></section>"
        )
    behaviors = sorted(
        {b for r in rows for b in r["flags"]},
        key=lambda b: (b not in BEHAVIORS, list(BEHAVIORS).index(b) if b in BEHAVIORS else 0, b),
    )
    data = {
        "key": key,
        "multi": len({r["n"] for r in rows}) != len(rows),  # some trace has several agents: show the actor
        "behaviors": behaviors,
        "benign": list(_BENIGN),
        "episodes": [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows],
    }
    ths = "".join(
        f'<th data-key="{k}"' + (' class="col-actor"' if k == "actor" else "") + f">{k if k != 'n' else '#'}</th>"
        for k in _COLUMNS
    )
    filters = (
        '<div class="filters">'
        '<label>behaviour<select id="f-behavior"></select></label>'
        '<label>world<select id="f-world"></select></label>'
        '<label>agent<select id="f-agent"></select></label>'
        '<label>condition<select id="f-condition"></select></label>'
        '<label>status<select id="f-status"></select></label>'
        '<label>search<input id="f-text" type="search" placeholder="path, factor, flag..."></label>'
        '<button id="f-reset" type="button">clear filters</button></div>'
    )
    pager = (
        '<div class="pager"><span class="info"></span><button class="prev" type="button">&#8249; previous</button>'
        '<button class="next" type="button">next &#8250;</button></div>'
    )
    return (
        f"{head}<title>{_esc(title)} · insidergym</title>\n</head>\n<body>\n"
        f'<header class="top"><div class="nav"><span>insidergym transcript viewer</span></div><h1>{_esc(title)}</h1>'
        f'<div class="sub">{pages:,} trace(s)</div></header>\n<main>\n'
        f'<section class="stats">{stats_html}</section>\n{skipped_html}'
        f"<section><h2>Rates per condition</h2>{_rates_table(rows)}</section>\n"
        f'<section id="episodes"><h2>Episodes</h2>{filters}{pager}'
        f'<table class="episodes"><thead><tr>{ths}<th></th></tr></thead><tbody id="episodes-body"></tbody></table>'
        f"{pager}</section>\n</main>\n"
        f'<script type="application/json" id="episodes-data">{_json_for_script(data)}</script>\n'
        f"<footer>insidergym {_esc(__version__)} · open from disk, no server, no network</footer>\n{script}"
        "</body>\n</html>\n"
    )


# -- the site -------------------------------------------------------------------------------------------------------


def _default_out(source: Path) -> Path:
    return source / "view" if source.is_dir() else source.with_name(f"{source.stem}-view")


def _render(task: tuple[Path, Path, Path]) -> tuple[Path, str | None, str, list[dict[str, Any]]]:
    """Load one trace and render its page (in a worker process): the path, why it cannot be read (or None), the
    page and its index rows."""
    path, base, pages_dir = task
    try:
        trace = load_trace(path)
    except (TraceFileError, OSError, UnicodeDecodeError) as err:
        return path, (str(err) if isinstance(err, TraceFileError) else f"{path}: {err}"), "", []
    relative = path.relative_to(base).as_posix()
    source_href = quote(Path(os.path.relpath(path, pages_dir)).as_posix())
    return path, None, _transcript_page(trace, relative, source_href), _rows(trace, relative)


@contextmanager
def _workers(jobs: int) -> Iterator[Callable[..., Iterator[Any]]]:
    """An ordered `map` over `jobs` processes (in this process when jobs is 1, or where processes cannot start)."""
    if jobs <= 1:
        yield map
        return
    try:
        pool = ProcessPoolExecutor(max_workers=jobs)
    except (OSError, NotImplementedError):  # no process pools here (a sandbox without semaphores)
        yield map
        return
    with pool:
        yield lambda function, items: pool.map(function, items, chunksize=_CHUNK)


def view(source: str | Path, out: str | Path | None = None, *, jobs: int | None = None) -> ViewerSite:
    """Write a run folder (or one trace) as a static HTML site: `index.html` and a page per trace under `e/`.

    Every `*.jsonl` file under a folder (at any depth, apart from `labels/`) is read as a trace. A file that cannot
    be read is skipped with a warning that names it and says why, counted, and listed on the index page: never a
    crash. The site needs no server and no network: open `index.html` from the file system.

    Args:
        source: A run folder (an experiment's `out`) or a trace file.
        out: The folder to write to (default: `RUN_DIR/view`, or `TRACE-view` beside a trace file). Transcript
            pages a previous run wrote there (`e/NNNNNN.html`) and no longer needed are removed.
        jobs: Processes that read and render traces (default: one per CPU; large runs only).

    Raises:
        AnalysisError: the source does not exist, or it is a folder with no trace file in it.
    """
    source = Path(source)
    if not source.exists():
        raise AnalysisError(f"{source}: no such run folder or trace file")
    paths = find_traces(source) if source.is_dir() else [source]
    if not paths:
        raise AnalysisError(f"{source}: no trace (*.jsonl) in this folder")
    target = Path(out) if out is not None else _default_out(source)
    pages_dir = target / _PAGES_DIR
    pages_dir.mkdir(parents=True, exist_ok=True)
    base = source if source.is_dir() else source.parent
    jobs = max(1, jobs if jobs is not None else (os.cpu_count() or 1))
    tasks = [(path, base, pages_dir) for path in paths]
    skipped: list[dict[str, str]] = []
    rows: list[dict[str, Any]] = []
    written: set[str] = set()
    waiting: str | None = None  # a page is written once the next one is known: its "next" link depends on it
    with _workers(jobs if len(paths) >= 4 * _CHUNK else 1) as pool:
        for path, failure, page, new in pool(_render, tasks):
            if failure is not None:
                skipped.append({"path": str(path), "reason": failure})
                warnings.warn(f"skipped a trace that cannot be read: {failure}", stacklevel=2)
                continue
            number = len(written) + 1
            if waiting is not None:
                (pages_dir / f"{number - 1:06d}.html").write_text(
                    waiting.replace(_NAV, _nav(number - 1, True), 1), encoding="utf-8"
                )
            waiting = page
            written.add(f"{number:06d}.html")
            rows += [{"n": number, "href": f"{_PAGES_DIR}/{number:06d}.html", **row} for row in new]
    if waiting is not None:
        number = len(written)
        (pages_dir / f"{number:06d}.html").write_text(waiting.replace(_NAV, _nav(number, False), 1), encoding="utf-8")
    for stale in pages_dir.iterdir():
        if _PAGE_NAME.match(stale.name) and stale.name not in written:
            stale.unlink()
    _add_conditions(rows)
    title = source.resolve().name
    key = hashlib.sha256(str(target.resolve()).encode("utf-8")).hexdigest()[:12]
    index = target / "index.html"
    index.write_text(_index_page(title, rows, len(written), skipped, key), encoding="utf-8")
    return ViewerSite(index=index, pages=len(written), episodes=len(rows), skipped=skipped)
