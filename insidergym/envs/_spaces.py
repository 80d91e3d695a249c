"""The action space: tool calls, validated against the tool schemas, sampled from the space's generator."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from gymnasium import spaces

from insidergym.envs._actions import Action, ToolCall, parse_action
from insidergym.envs._tools import Tool

__all__ = ["ToolCallSpace"]

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
        names = sorted(self.tools)
        name = names[int(self.np_random.integers(len(names)))]
        schema = self.tools[name].spec.parameters
        arguments: dict[str, Any] = {}
        required = set(schema.get("required", []))
        for key, prop in schema["properties"].items():
            if key in required or self.np_random.random() < 0.3:
                arguments[key] = self._value(prop, schema.get("$defs", {}))
        return ToolCall(name=name, arguments=arguments)

    def _value(self, prop: dict[str, Any], defs: dict[str, Any]) -> Any:
        if "anyOf" in prop:
            options = [p for p in prop["anyOf"] if p.get("type") != "null"] or prop["anyOf"]
            return self._value(options[int(self.np_random.integers(len(options)))], defs)
        if "enum" in prop:
            return prop["enum"][int(self.np_random.integers(len(prop["enum"])))]
        kind = prop.get("type")
        if kind == "integer":
            low, high = prop.get("minimum", 0), prop.get("maximum", 100)
            return int(self.np_random.integers(low, high + 1))
        if kind == "boolean":
            return bool(self.np_random.random() < 0.5)
        if kind == "array":
            return [self._value(prop.get("items", {"type": "string"}), defs)]
        if kind == "null":
            return None
        if self.vocabulary and self.np_random.random() < 0.5:
            return self.vocabulary[int(self.np_random.integers(len(self.vocabulary)))]
        count = int(self.np_random.integers(1, 6))
        return " ".join(np.asarray(self.np_random.choice(_WORDS, size=count)).tolist())

    def __repr__(self) -> str:
        return f"ToolCallSpace({', '.join(sorted(self.tools))})"

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, ToolCallSpace) and set(other.tools) == set(self.tools)

    __hash__ = None  # type: ignore[assignment]
