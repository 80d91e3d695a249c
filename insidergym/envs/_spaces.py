"""The action space: tool calls, validated against the tool schemas, sampled from the space's generator."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from gymnasium import spaces

from insidergym.sim import Action, Tool, ToolCall, ToolSpec, parse_action

__all__ = ["ToolCallSpace", "sample_call"]

_WORDS = ("update", "meeting", "report", "thanks", "schedule", "question", "today", "team", "review", "notes")


class ToolCallSpace(spaces.Space[ToolCall]):
    """Calls of an agent's tools. `contains` accepts whatever `env.step` accepts if every call is valid.

    Args:
        tools: the tools the agent has.
        vocabulary: ids and addresses of the world (e-mail ids, addresses, document ids) that `sample` draws
            string arguments from half of the time, so that random calls reach real things.
    """

    def __init__(self, tools: Sequence[Tool], vocabulary: Sequence[str] = (), seed: Any = None) -> None:
        super().__init__(shape=None, dtype=None, seed=seed)
        self.tools = {t.name: t for t in tools}
        self.vocabulary = tuple(vocabulary)

    @property
    def is_np_flattenable(self) -> bool:
        return False

    def contains(self, x: Any) -> bool:
        action = parse_action(x)
        if not isinstance(action, Action) or not action.calls:
            return False
        for call in action.calls:
            tool = self.tools.get(call.name)
            if tool is None or isinstance(tool.validate(call.arguments), str):
                return False
        return True

    def sample(self, mask: Any = None, probability: Any = None) -> ToolCall:
        if mask is not None or probability is not None:
            raise NotImplementedError("ToolCallSpace.sample does not take a mask or probability")
        return sample_call([t.spec for t in self.tools.values()], self.np_random, self.vocabulary)

    def __repr__(self) -> str:
        return f"ToolCallSpace({', '.join(sorted(self.tools))})"

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, ToolCallSpace) and set(other.tools) == set(self.tools)

    __hash__ = None  # type: ignore[assignment]


def sample_call(specs: Sequence[ToolSpec], rng: np.random.Generator, vocabulary: Sequence[str] = ()) -> ToolCall:
    """A random call of one of the tools, valid against its schema, drawn from `rng`.

    String arguments come from `vocabulary` (the world's ids and addresses) half of the time, so that random
    calls reach real things; optional arguments are filled three times in ten.
    """
    ordered = sorted(specs, key=lambda s: s.name)
    spec = ordered[int(rng.integers(len(ordered)))]
    schema = spec.parameters
    required = set(schema.get("required", []))
    arguments = {
        key: _value(prop, rng, vocabulary)
        for key, prop in schema["properties"].items()
        if key in required or rng.random() < 0.3
    }
    return ToolCall(name=spec.name, arguments=arguments)


def _value(prop: dict[str, Any], rng: np.random.Generator, vocabulary: Sequence[str]) -> Any:
    if "anyOf" in prop:
        options = [p for p in prop["anyOf"] if p.get("type") != "null"] or prop["anyOf"]
        return _value(options[int(rng.integers(len(options)))], rng, vocabulary)
    if "enum" in prop:
        return prop["enum"][int(rng.integers(len(prop["enum"])))]
    kind = prop.get("type")
    if kind == "integer":
        return int(rng.integers(prop.get("minimum", 0), prop.get("maximum", 100) + 1))
    if kind == "boolean":
        return bool(rng.random() < 0.5)
    if kind == "array":
        return [_value(prop.get("items", {"type": "string"}), rng, vocabulary)]
    if kind == "null":
        return None
    if vocabulary and rng.random() < 0.5:
        return vocabulary[int(rng.integers(len(vocabulary)))]
    return " ".join(np.asarray(rng.choice(_WORDS, size=int(rng.integers(1, 6)))).tolist())
