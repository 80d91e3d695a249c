"""Model agents from spec strings such as `openai:gpt-4.1` or `text+openai:qwen3@http://localhost:8000/v1`."""

from __future__ import annotations

import difflib
import inspect
import re
from typing import Any

from insidergym._errors import InsidergymError, suggest
from insidergym.agents._anthropic import AnthropicAgent
from insidergym.agents._openai import OpenAIAgent
from insidergym.agents._protocol import Agent
from insidergym.agents._text_protocol import TextProtocolAgent

__all__ = ["PROVIDERS", "SPEC_FORMS", "ModelSpecError", "model_agent"]

PROVIDERS: dict[str, type[OpenAIAgent] | type[AnthropicAgent]] = {
    "openai": OpenAIAgent,
    "anthropic": AnthropicAgent,
}

SPEC_FORMS = (
    "'PROVIDER:MODEL' (e.g. 'openai:gpt-4.1', 'anthropic:claude-sonnet-4-5'), "
    "'PROVIDER:MODEL@BASE_URL' (e.g. 'openai:qwen3-8b@http://localhost:8000/v1'), "
    "and either with a 'text+' prefix for models without native tool calling "
    "(e.g. 'text+openai:llama3.1@http://localhost:11434/v1')"
)

TEXT_PREFIX = "text+"
_PROVIDER = re.compile(r"^[a-z][a-z0-9_-]*$")
_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$")


class ModelSpecError(InsidergymError, ValueError):
    """A model spec string that cannot be read, or settings the agent does not take."""


def _fail(spec: str, problem: str) -> ModelSpecError:
    return ModelSpecError(f"bad model spec {spec!r}: {problem}. Valid forms: {SPEC_FORMS}.")


def _check_settings(spec: str, cls: type, settings: dict[str, Any], text: bool) -> None:
    accepted = [
        name for name, p in inspect.signature(cls).parameters.items() if p.kind is inspect.Parameter.KEYWORD_ONLY
    ]
    for key in settings:
        if key not in accepted:
            raise ModelSpecError(
                f"{cls.__name__} (for {spec!r}) takes no setting {key!r}.{suggest(key, accepted)} "
                f"Valid: {', '.join(sorted(accepted))}."
            )
    if "base_url" in settings and "@" in spec:
        raise ModelSpecError(f"{spec!r} gives a base URL after '@'; do not pass base_url as well")
    if text and settings.get("native_tools"):
        raise ModelSpecError(f"{spec!r} uses the text protocol, which needs native_tools=False")


def model_agent(spec: str, **settings: Any) -> Agent:
    """A model agent from a spec string.

    Args:
        spec: `PROVIDER:MODEL`, optionally followed by `@BASE_URL` for an OpenAI- or Anthropic-compatible server,
            optionally preceded by `text+` for the text tool protocol. The provider is `openai` or `anthropic`;
            the model may itself contain `:` (e.g. `openai:llama3.1:8b@http://localhost:11434/v1`).
        **settings: Passed to `OpenAIAgent` or `AnthropicAgent` (e.g. `temperature=0.7`, `max_tokens=2048`).

    Raises:
        ModelSpecError: (a ValueError) The spec cannot be read, the provider is unknown, or a setting is not one
            the agent takes.
    """
    if not isinstance(spec, str):
        raise ModelSpecError(f"a model spec must be a string; got {type(spec).__name__}. Valid forms: {SPEC_FORMS}.")
    rest = spec.strip()
    if rest != spec or not rest:
        raise _fail(spec, "it is empty or has surrounding whitespace")
    text = rest.startswith(TEXT_PREFIX)
    if text:
        rest = rest[len(TEXT_PREFIX) :]
    provider, colon, rest = rest.partition(":")
    if not colon:
        raise _fail(spec, "no ':' between provider and model")
    if provider not in PROVIDERS:
        if not _PROVIDER.match(provider):
            near = difflib.get_close_matches(provider.lower(), list(PROVIDERS), n=1, cutoff=0.6)
            hint = f" Did you mean {near[0]!r}?" if near else ""
        else:
            hint = suggest(provider, PROVIDERS)
        raise _fail(spec, f"unknown provider {provider!r}.{hint} Providers: {', '.join(PROVIDERS)}")
    model, at, base_url = rest.partition("@")
    if not model:
        raise _fail(spec, "no model name after the provider")
    if any(c.isspace() for c in model):
        raise _fail(spec, f"the model name {model!r} contains whitespace")
    if at and not _URL.match(base_url):
        raise _fail(spec, f"after '@' expected a base URL starting with http:// or https://; got {base_url!r}")
    cls = PROVIDERS[provider]
    _check_settings(spec, cls, settings, text)
    options: dict[str, Any] = dict(settings)
    if at:
        options["base_url"] = base_url
    if text:
        options["native_tools"] = False
        name = options.pop("name", None)
        return TextProtocolAgent(cls(model, **options), name=name)
    return cls(model, **options)
