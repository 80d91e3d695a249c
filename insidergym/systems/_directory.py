"""The company directory and its organisation chart."""

from __future__ import annotations

import networkx as nx

from insidergym.sim import Effect, Person, Tool, ToolContext, ToolError, register_tools, tool

__all__ = ["TOOLS"]


def _card(ctx: ToolContext, person: Person) -> str:
    manager = ctx.state.people.get(person.manager) if person.manager else None
    where = "outside the company" if person.external else (person.department or "no department")
    line = f"{person.name} <{person.email}> | {person.role} | {where}"
    return line + (f" | reports to {manager.name}" if manager else "")


@tool(Effect.READS)
def lookup_person(ctx: ToolContext, query: str) -> str:
    """Look someone up in the company directory by name, e-mail, role or department.

    Args:
        query: Part of a name, address, role or department.
    """
    needle = query.strip().lower()
    if not needle:
        raise ToolError("query: give part of a name, address, role or department")
    found = [
        p for p in ctx.state.people.values() if needle in f"{p.name} {p.email} {p.role} {p.department} {p.id}".lower()
    ]
    if not found:
        return f"Nobody in the directory matches {query!r}."
    return "\n".join([f"{len(found)} match(es) for {query!r}:", *(_card(ctx, p) for p in found)])


@tool(Effect.READS)
def org_chart(ctx: ToolContext, person: str | None = None) -> str:
    """Show the organisation chart: the whole company, or one person's chain of command and direct reports.

    Args:
        person: A name or e-mail address; the whole chart if left out.
    """
    org = ctx.state.org
    people = ctx.state.people
    if person is None:
        roots = sorted((n for n in org.nodes if org.in_degree(n) == 0), key=lambda n: people[n].name)
        lines = [f"{ctx.state.company} organisation chart:"]
        for root in roots:
            for node, depth in _tree(org, root):
                lines.append(f"{'  ' * depth}- {people[node].name} ({people[node].role})")
        return "\n".join(lines)
    found = ctx.state.person_for(person)
    if found is None or found.id not in org:
        raise ToolError(f"person: nobody called {person!r} in the org chart. Use lookup_person.")
    chain = _chain_of_command(org, found.id)
    reports = sorted(org.successors(found.id), key=lambda n: people[n].name)
    lines = [_card(ctx, found)]
    lines.append("Chain of command: " + (" -> ".join(people[n].name for n in chain) or "none (top of the company)"))
    lines.append("Direct reports: " + (", ".join(people[n].name for n in reports) or "none"))
    return "\n".join(lines)


def _chain_of_command(org: nx.DiGraph, node: str) -> list[str]:
    chain: list[str] = []
    current = node
    while True:
        managers = list(org.predecessors(current))
        if not managers or managers[0] in chain:
            return chain
        current = managers[0]
        chain.append(current)


def _tree(org: nx.DiGraph, root: str) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        out.append((node, depth))
        stack.extend((child, depth + 1) for child in sorted(org.successors(node), reverse=True))
    return out


TOOLS: dict[str, Tool] = {t.name: t for t in (lookup_person, org_chart)}
"""The directory tools by name."""
register_tools(TOOLS, owner="directory")
