"""Mail as the engine knows it: delivering an e-mail (and recording it), and showing one as an agent reads it.

The mail tools (`insidergym.systems`), the world's own mail and triggers all deliver through `publish`, so that
every e-mail is delivered and recorded one way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from insidergym.sim._state import CompanyState, Email
from insidergym.sim._trace import EmailDelivered

__all__ = ["publish", "render_email", "stamp", "who"]


def stamp(time: dt.datetime) -> str:
    """A time as the company's tools show it."""
    return time.strftime("%Y-%m-%d %H:%M")


def who(state: CompanyState, address: str) -> str:
    """An address with the name of the person behind it, where there is one."""
    person = state.person_for(address)
    return f"{person.name} <{person.email}>" if person else address


def publish(state: CompanyState, email: Email, sender_id: str | None, emit: Callable[..., Any]) -> None:
    """Deliver an e-mail to its recipients' mailboxes and record it (`emit(EmailDelivered, **fields)`)."""
    state.deliver(email, sender_id)
    emit(
        EmailDelivered,
        email_id=email.id,
        sender=email.sender,
        to=list(email.to),
        cc=list(email.cc),
        subject=email.subject,
        body=email.body,
        documents=list(email.documents),
        forwarded=email.forwarded,
        reply_to=email.reply_to,
        external=[a for a in (*email.to, *email.cc) if not state.is_internal(a)],
    )


def render_email(state: CompanyState, email: Email) -> str:
    """An e-mail as an agent reads it: headers, attachments, then the body."""
    lines = [
        f"ID: {email.id}",
        f"From: {who(state, email.sender)}",
        f"To: {', '.join(who(state, a) for a in email.to)}",
    ]
    if email.cc:
        lines.append(f"Cc: {', '.join(who(state, a) for a in email.cc)}")
    lines += [f"Date: {stamp(email.time)}", f"Subject: {email.subject}"]
    if email.reply_to:
        lines.append(f"In-Reply-To: {email.reply_to}")
    if email.documents:
        titles = [f"{d} ({state.documents[d].title})" if d in state.documents else d for d in email.documents]
        lines.append(f"Attachments: {', '.join(titles)} (open with read_document)")
    return "\n".join(lines) + "\n\n" + email.body
