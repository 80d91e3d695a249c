"""Token usage as every `model_call` records it, and what it costs: a price table per model, shipped with its date,
which a file of the user's own can extend or override.

Usage in a record: `input_tokens` (every token of the prompt, cached or not), `cached_input_tokens` (of those,
read from the provider's prompt cache), `cache_write_tokens` (of those, written to it: Anthropic charges them above
the input price), `output_tokens` (thinking included), and `raw` (the provider's own usage object).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from insidergym._errors import InsidergymError, suggest

__all__ = [
    "PRICES_DATE",
    "PRICES_SOURCE",
    "USAGE_FIELDS",
    "Price",
    "PriceTable",
    "load_prices",
    "usage_record",
]

USAGE_FIELDS = ("input_tokens", "cached_input_tokens", "cache_write_tokens", "output_tokens")

PRICES_DATE = "2026-06"
"""When the shipped prices were collected. Prices change: check them before relying on an estimate, and give your
own with `--prices FILE`."""
PRICES_SOURCE = "OpenAI's and Anthropic's published API prices (standard tier, no batch, 5-minute cache writes)"

# USD per million tokens: input (not cached), cached input (a cache hit), cache write, output.
_SHIPPED: dict[str, tuple[str, str, str, str]] = {
    # OpenAI: cache writes are free (the prompt cache is automatic), so they cost the input price.
    "gpt-5.5": ("5", "0.50", "5", "30"),
    "gpt-5.4": ("2.50", "0.25", "2.50", "15"),
    "gpt-5.4-mini": ("0.75", "0.075", "0.75", "4.50"),
    "gpt-5.4-nano": ("0.20", "0.02", "0.20", "1.25"),
    "gpt-5": ("1.25", "0.125", "1.25", "10"),
    "gpt-5-mini": ("0.25", "0.025", "0.25", "2"),
    "gpt-5-nano": ("0.05", "0.005", "0.05", "0.40"),
    "gpt-4.1": ("2", "0.50", "2", "8"),
    "gpt-4.1-mini": ("0.40", "0.10", "0.40", "1.60"),
    "gpt-4.1-nano": ("0.10", "0.025", "0.10", "0.40"),
    "gpt-4o": ("2.50", "1.25", "2.50", "10"),
    "gpt-4o-mini": ("0.15", "0.075", "0.15", "0.60"),
    "o3": ("2", "0.50", "2", "8"),
    "o4-mini": ("1.10", "0.275", "1.10", "4.40"),
    # Anthropic: a cache hit costs 0.1x the input price, a 5-minute cache write 1.25x.
    "claude-opus-4-8": ("5", "0.50", "6.25", "25"),
    "claude-opus-4-7": ("5", "0.50", "6.25", "25"),
    "claude-opus-4-6": ("5", "0.50", "6.25", "25"),
    "claude-opus-4-5": ("5", "0.50", "6.25", "25"),
    "claude-opus-4-1": ("15", "1.50", "18.75", "75"),
    "claude-opus-4": ("15", "1.50", "18.75", "75"),
    "claude-sonnet-4-6": ("3", "0.30", "3.75", "15"),
    "claude-sonnet-4-5": ("3", "0.30", "3.75", "15"),
    "claude-sonnet-4": ("3", "0.30", "3.75", "15"),
    "claude-3-7-sonnet": ("3", "0.30", "3.75", "15"),
    "claude-haiku-4-5": ("1", "0.10", "1.25", "5"),
    "claude-3-5-haiku": ("0.80", "0.08", "1", "4"),
}

_MILLION = Decimal(1_000_000)
_DATED = re.compile(r"-(\d{4}-\d{2}-\d{2}|\d{8}|latest)$")


def usage_record(
    *, input_tokens: Any, output_tokens: Any, cached_input_tokens: Any = 0, cache_write_tokens: Any = 0, raw: Any
) -> dict[str, Any]:
    """A call's usage as recorded: the counts (None where the provider gave none) and the provider's own object."""

    def count(value: Any) -> int | None:
        return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None

    return {
        "input_tokens": count(input_tokens),
        "cached_input_tokens": count(cached_input_tokens) if cached_input_tokens is not None else 0,
        "cache_write_tokens": count(cache_write_tokens) if cache_write_tokens is not None else 0,
        "output_tokens": count(output_tokens),
        "raw": raw,
    }


@dataclass(frozen=True)
class Price:
    """One model's prices in USD per million tokens."""

    input: Decimal
    """A prompt token that is not read from the cache nor written to it."""
    cached_input: Decimal
    """A prompt token read from the cache."""
    cache_write: Decimal
    """A prompt token written to the cache."""
    output: Decimal

    @classmethod
    def parse(cls, where: str, value: Any) -> Price:
        """From `{input, output, cached_input?, cache_write?}` (numbers; the last two default to `input`)."""
        if not isinstance(value, Mapping):
            raise InsidergymError(f"{where}: expected a mapping of input, cached_input, cache_write, output")
        known = ("input", "cached_input", "cache_write", "output")
        for key in value:
            if key not in known:
                raise InsidergymError(f"{where}: unknown price {key!r}.{suggest(str(key), known)} Valid: {known}")
        amounts: dict[str, Decimal] = {}
        for key in known:
            if key not in value:
                if key in ("input", "output"):
                    raise InsidergymError(f"{where}: {key!r} is missing (USD per million tokens)")
                continue
            raw = value[key]
            if isinstance(raw, bool) or not isinstance(raw, int | float | str):
                raise InsidergymError(f"{where}.{key}: expected a number of USD per million tokens; got {raw!r}")
            try:
                amount = Decimal(str(raw))
            except ArithmeticError:
                raise InsidergymError(f"{where}.{key}: expected a number; got {raw!r}") from None
            if not amount.is_finite() or amount < 0:
                raise InsidergymError(f"{where}.{key}: expected a price of 0 or more; got {raw!r}")
            amounts[key] = amount
        return cls(
            input=amounts["input"],
            cached_input=amounts.get("cached_input", amounts["input"]),
            cache_write=amounts.get("cache_write", amounts["input"]),
            output=amounts["output"],
        )

    def cost(self, usage: Mapping[str, Any]) -> Decimal | None:
        """USD for one call's usage; None when it has no input or output count."""
        total_in, output = usage.get("input_tokens"), usage.get("output_tokens")
        if not isinstance(total_in, int) or not isinstance(output, int):
            return None
        cached = usage.get("cached_input_tokens") or 0
        written = usage.get("cache_write_tokens") or 0
        plain = max(0, total_in - cached - written)
        amount = plain * self.input + cached * self.cached_input + written * self.cache_write + output * self.output
        return amount / _MILLION


@dataclass(frozen=True)
class PriceTable:
    """Prices by model name. A model is priced by its exact name, or by that name with a date or `-latest` after
    it (`claude-sonnet-4-5-20250929`, `gpt-4.1-2025-04-14`); a router's `vendor/` prefix is ignored. Any other
    name (a fine-tune, `gpt-5-pro`, a local model) has no price unless a price file names it."""

    prices: Mapping[str, Price]
    date: str = PRICES_DATE
    source: str = PRICES_SOURCE
    files: tuple[str, ...] = field(default=())
    """The user's files merged over the shipped prices."""

    def price(self, model: str | None) -> Price | None:
        if not model:
            return None
        name = model.rsplit("/", 1)[-1]  # `openai/gpt-4.1` as routers name it
        if name in self.prices:
            return self.prices[name]
        base = _DATED.sub("", name)
        return self.prices.get(base) if base != name else None

    def cost(self, model: str | None, usage: Mapping[str, Any] | None) -> Decimal | None:
        """USD for one call of `model`; None when the model has no price or the usage no counts."""
        price = self.price(model)
        if price is None or not isinstance(usage, Mapping):
            return None
        return price.cost(usage)

    def record_cost(self, record: Mapping[str, Any]) -> Decimal | None:
        """USD for one `model_call` record (its `model` and `usage`)."""
        return self.cost(record.get("model"), record.get("usage"))

    def total(self, records: Iterable[Mapping[str, Any]]) -> tuple[Decimal, int]:
        """USD for these calls, and how many of them could not be priced."""
        total, unpriced = Decimal(0), 0
        for record in records:
            cost = self.record_cost(record)
            if cost is None:
                unpriced += 1
            else:
                total += cost
        return total, unpriced


def shipped_prices() -> PriceTable:
    """The prices shipped with insidergym, read on `PRICES_DATE`."""
    return PriceTable({model: Price(*(Decimal(v) for v in values)) for model, values in _SHIPPED.items()})


def load_prices(path: str | Path | None = None) -> PriceTable:
    """The shipped prices, with a file's prices merged over them (a model it names replaces the shipped one).

    The file (YAML or JSON) maps model names to prices in USD per million tokens, optionally under `models:` with
    a `date:` beside it:

        date: 2026-11-01
        models:
          gpt-4.1: {input: 2, cached_input: 0.5, output: 8}
          my-local-model: {input: 0, output: 0}

    Raises:
        InsidergymError: the file is missing, not YAML or JSON, or a price is not a number of 0 or more.
    """
    table = shipped_prices()
    if path is None:
        return table
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InsidergymError(f"{source}: cannot read the price file: {err}") from None
    try:
        data = json.loads(text) if source.suffix == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as err:
        raise InsidergymError(f"{source}: not a valid price file: {err}") from None
    if not isinstance(data, Mapping):
        raise InsidergymError(f"{source}: expected a mapping of model names to prices")
    date = table.date
    models = data
    if "models" in data:
        extra = set(data) - {"models", "date"}
        if extra:
            raise InsidergymError(f"{source}: unknown key(s) {sorted(extra)} beside 'models' (valid: date, models)")
        models = data["models"]
        date = str(data.get("date") or "unknown")
        if not isinstance(models, Mapping):
            raise InsidergymError(f"{source}: models: expected a mapping of model names to prices")
    prices = dict(table.prices)
    for model, value in models.items():
        prices[str(model)] = Price.parse(f"{source}: {model}", value)
    return PriceTable(prices, date=f"{table.date}; {source.name}: {date}", source=table.source, files=(str(source),))


def as_float(amount: Decimal | None) -> float:
    """A cost as a float, NaN for None (unknown)."""
    return math.nan if amount is None else float(amount)
