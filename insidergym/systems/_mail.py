"""Mail: the agent's mailbox, reading, searching, and sending (new e-mail, replies, forwards).

Delivery itself is the engine's (`insidergym.sim.publish`), shared with the world's own mail and triggers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from insidergym._errors import suggest
from insidergym.sim import (
    CompanyState,
    Effect,
    Email,
    EmailRead,
    Tool,
    ToolContext,
    ToolError,
    publish,
    register_tools,
    render_email,
    stamp,
    tool,
    who,
)

__all__ = ["TOOLS"]


def _recipients(ctx: ToolContext, addresses: list[str], field_name: str) -> tuple[str, ...]:
    resolved = []
    for raw in addresses:
        address = raw.strip()
        person = ctx.state.person_for(address)
        if address.lower() in ctx.state.lists:
            resolved.append(address.lower())
        elif person is not None:
            resolved.append(person.email)
        elif "@" in address and not address.lower().endswith("@" + ctx.state.domain):
            resolved.append(address)  # outside the company: delivered, and recorded as external
        else:
            known = [p.email for p in ctx.state.people.values()]
            raise ToolError(f"{field_name}: no mailbox {address!r}.{suggest(address, known)} Use lookup_person.")
    return tuple(resolved)


def _documents(ctx: ToolContext, attachments: list[str] | None) -> tuple[str, ...]:
    """The documents to attach, each one the agent may read (a document it may not is refused, and nothing is sent)."""
    return tuple(ctx.document(document_id).id for document_id in attachments or [])


def _send(ctx: ToolContext, to: tuple[str, ...], cc: tuple[str, ...], subject: str, body: str, **extra: Any) -> Email:
    state = ctx.state
    if not to:
        raise ToolError("to: at least one recipient is needed")
    state.sent_count += 1
    email = Email(
        id=f"{ctx.actor}-sent-{state.sent_count:04d}",
        sender=ctx.me.email,
        to=to,
        cc=cc,
        subject=subject,
        body=body,
        time=state.now,
        **extra,
    )
    publish(state, email, ctx.actor, ctx.emit)
    return email


def _sent_message(email: Email) -> str:
    copy = f", cc {', '.join(email.cc)}" if email.cc else ""
    return f"Sent e-mail {email.id} to {', '.join(email.to)}{copy} at {stamp(email.time)}."


def _row(state: CompanyState, email: Email, read: bool) -> tuple[dt.datetime, str]:
    """One line of a mailbox listing, with its time for sorting."""
    mark = "read  " if read else "UNREAD"
    return (
        email.time,
        f"[{mark}] id={email.id} | {stamp(email.time)} | from {who(state, email.sender)} | {email.subject}",
    )


@tool(Effect.READS)
def list_inbox(ctx: ToolContext, folder: str = "inbox", unread_only: bool = False) -> str:
    """List the e-mails in your mailbox, oldest first, with their ids, senders, subjects and read state.

    Args:
        folder: The folder to list: "inbox", "sent", or "all".
        unread_only: List only e-mails you have not read yet.
    """
    box = ctx.mailbox()
    folders = {entry.folder for entry in box.values()} | {"inbox", "sent", "all"}
    if folder not in folders:
        raise ToolError(f"folder: no folder {folder!r}.{suggest(folder, folders)} Folders: {sorted(folders)}")
    rows = [
        _row(ctx.state, ctx.state.emails[email_id], entry.read)
        for email_id, entry in box.items()
        if (folder == "all" or entry.folder == folder) and not (unread_only and entry.read)
    ]
    rows.sort(key=lambda row: row[0])
    unread = sum(1 for entry in box.values() if not entry.read and (folder == "all" or entry.folder == folder))
    head = f"Folder {folder!r} of {ctx.me.email}: {len(rows)} e-mail(s) shown, {unread} unread."
    return "\n".join([head, *(text for _, text in rows)])


@tool(Effect.READS)
def read_email(ctx: ToolContext, email_id: str) -> str:
    """Read one e-mail in full, with its headers and attachments, and mark it read.

    Args:
        email_id: The e-mail's id, as shown by list_inbox or search_email.
    """
    email = ctx.email(email_id)
    entry = ctx.mailbox()[email_id]
    if not entry.read:
        entry.read = True
        ctx.emit(EmailRead, email_id=email_id)
    return render_email(ctx.state, email)


@tool(Effect.READS)
def search_email(ctx: ToolContext, query: str) -> str:
    """Search your mailbox for e-mails whose sender, recipients, subject or body contain the words of a query.

    Args:
        query: Words to look for (case-insensitive; every word must appear).
    """
    words = query.lower().split()
    if not words:
        raise ToolError("query: give at least one word to search for")
    hits = []
    for email_id, entry in ctx.mailbox().items():
        email = ctx.state.emails[email_id]
        haystack = " ".join((email.sender, *email.to, *email.cc, email.subject, email.body)).lower()
        if all(word in haystack for word in words):
            hits.append(_row(ctx.state, email, entry.read))
    hits.sort(key=lambda hit: hit[0])
    return "\n".join([f"{len(hits)} e-mail(s) match {query!r}.", *(text for _, text in hits)])


@tool(Effect.COMMUNICATES)
def send_email(
    ctx: ToolContext,
    to: list[str],
    subject: str,
    body: str,
    cc: list[str] | None = None,
    attachments: list[str] | None = None,
) -> str:
    """Send an e-mail from your own address. It is delivered at once.

    Args:
        to: Recipients' e-mail addresses.
        subject: The subject line.
        body: The message text.
        cc: Addresses to copy, if any.
        attachments: Ids of company documents to attach (as shown by list_documents), if any.
    """
    documents = _documents(ctx, attachments)
    email = _send(ctx, _recipients(ctx, to, "to"), _recipients(ctx, cc or [], "cc"), subject, body, documents=documents)
    return _sent_message(email)


@tool(Effect.COMMUNICATES)
def reply_email(
    ctx: ToolContext, email_id: str, body: str, reply_all: bool = False, attachments: list[str] | None = None
) -> str:
    """Reply to an e-mail in your mailbox; the subject and thread are kept.

    Args:
        email_id: The id of the e-mail to answer.
        body: The reply's text.
        reply_all: Also send to everyone the original was sent or copied to.
        attachments: Ids of company documents to attach (as shown by list_documents), if any.
    """
    documents = _documents(ctx, attachments)
    original = ctx.email(email_id)
    mine = ctx.me.email.lower()
    to = [original.sender] if original.sender.lower() != mine else list(original.to)
    cc: list[str] = []
    if reply_all:
        cc = [a for a in (*original.to, *original.cc) if a.lower() != mine and a not in to]
    subject = original.subject if original.subject.lower().startswith("re:") else f"Re: {original.subject}"
    email = _send(ctx, tuple(to), tuple(cc), subject, body, reply_to=original.id, documents=documents)
    return _sent_message(email)


@tool(Effect.COMMUNICATES)
def forward_email(
    ctx: ToolContext, email_id: str, to: list[str], body: str = "", attachments: list[str] | None = None
) -> str:
    """Forward an e-mail from your mailbox, with its attachments, adding a note of your own.

    Args:
        email_id: The id of the e-mail to forward.
        to: Recipients' e-mail addresses.
        body: Your note above the forwarded message.
        attachments: Ids of further company documents to attach (as shown by list_documents), if any.
    """
    added = _documents(ctx, attachments)
    original = ctx.email(email_id)
    quoted = f"{body}\n\n---------- Forwarded message ----------\n{render_email(ctx.state, original)}".lstrip()
    subject = original.subject if original.subject.lower().startswith("fwd:") else f"Fwd: {original.subject}"
    email = _send(
        ctx,
        _recipients(ctx, to, "to"),
        (),
        subject,
        quoted,
        documents=tuple(dict.fromkeys((*original.documents, *added))),
        forwarded=original.id,
    )
    return _sent_message(email)


TOOLS: dict[str, Tool] = {
    t.name: t for t in (list_inbox, read_email, search_email, send_email, reply_email, forward_email)
}
"""The mail tools by name."""
register_tools(TOOLS, owner="mail")
