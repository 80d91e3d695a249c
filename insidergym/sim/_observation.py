"""What an agent receives each step: a dict with the simulated time and the new messages for it."""

from __future__ import annotations

from typing import Any, Literal, TypedDict

import numpy as np
from gymnasium import spaces

__all__ = ["MessageKind", "Observation", "ObservationMessage", "UnicodeText", "observation_space"]

MessageKind = Literal["user", "tool_result", "tool_error", "notification"]
"""`user`: the session's opening message; `tool_result`/`tool_error`: the answer to one tool call (or to an action
that could not be read); `notification`: something that happened (new mail, a warning from the system)."""


class ObservationMessage(TypedDict):
    kind: str
    """One of `MessageKind`."""
    tool_call_id: str
    """The id of the call this answers ("" when none was given)."""
    name: str
    """The tool's name for tool results ("" otherwise)."""
    content: str
    """The text the agent reads."""


class Observation(TypedDict):
    time: str
    """Simulated time, ISO 8601 (`2025-06-20T16:53:00`)."""
    messages: tuple[ObservationMessage, ...]
    """What is new for the agent since its last step, in order. Agents keep their own history."""


MAX_TEXT = 1_000_000


class UnicodeText(spaces.Text):
    """A text space that holds any Unicode string up to `max_length` (Gymnasium's `Text` allows a charset only)."""

    def __init__(self, max_length: int = MAX_TEXT, *, min_length: int = 0, seed: Any = None) -> None:
        super().__init__(max_length, min_length=min_length, seed=seed)

    def contains(self, x: Any) -> bool:
        return isinstance(x, str) and self.min_length <= len(x) <= self.max_length

    def sample(self, mask: Any = None, probability: Any = None) -> str:
        length = int(self.np_random.integers(self.min_length, min(self.max_length, 64) + 1))
        # Sample from printable ASCII plus a few non-Latin letters, to exercise Unicode paths.
        alphabet = np.array(list("abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?éßЖ中🙂"))
        return "".join(self.np_random.choice(alphabet, size=length))

    def __repr__(self) -> str:
        return f"UnicodeText({self.min_length}, {self.max_length})"

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, UnicodeText) and (other.min_length, other.max_length) == (
            self.min_length,
            self.max_length,
        )

    __hash__ = None  # type: ignore[assignment]


def observation_space() -> spaces.Dict:
    """The observation space shared by every insidergym env."""
    message = spaces.Dict(
        {
            "kind": UnicodeText(32, min_length=1),
            "tool_call_id": UnicodeText(256),
            "name": UnicodeText(64),
            "content": UnicodeText(),
        }
    )
    return spaces.Dict({"time": UnicodeText(32, min_length=1), "messages": spaces.Sequence(message)})


def message(kind: MessageKind, content: str, *, name: str = "", tool_call_id: str | None = None) -> ObservationMessage:
    return {"kind": kind, "tool_call_id": tool_call_id or "", "name": name, "content": content}
