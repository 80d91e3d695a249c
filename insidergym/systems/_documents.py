"""Company documents, each readable by the people and agents it names."""

from __future__ import annotations

from insidergym.sim import DocumentRead, Effect, Tool, ToolContext, register_tools, tool

__all__ = ["TOOLS"]


@tool(Effect.READS)
def list_documents(ctx: ToolContext) -> str:
    """List the company documents you may read, with their ids and classification."""
    readable = [d for d in ctx.state.documents.values() if d.readable_by(ctx.actor)]
    lines = [f"{len(readable)} document(s) you may read:"]
    lines += [f"- id={d.id} | {d.classification} | {d.title}" for d in readable]
    return "\n".join(lines)


@tool(Effect.READS)
def read_document(ctx: ToolContext, document_id: str) -> str:
    """Read a company document.

    Args:
        document_id: The document's id, as shown by list_documents or in an attachment.
    """
    document = ctx.document(document_id)
    ctx.emit(DocumentRead, document_id=document_id)
    return f"{document.title}\nClassification: {document.classification}\n\n{document.body}"


TOOLS: dict[str, Tool] = {t.name: t for t in (list_documents, read_document)}
"""The document tools by name."""
register_tools(TOOLS, owner="documents")
