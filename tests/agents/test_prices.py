"""The price table and the cost of a call, to the exact cent fraction."""

from __future__ import annotations

from decimal import Decimal

import pytest

from insidergym._errors import InsidergymError
from insidergym.agents import PRICES_DATE, Price, PriceTable, load_prices


def usage(total: int, output: int, cached: int = 0, written: int = 0) -> dict[str, int]:
    return {
        "input_tokens": total,
        "cached_input_tokens": cached,
        "cache_write_tokens": written,
        "output_tokens": output,
    }


def test_a_call_costs_each_kind_of_token_at_its_price():
    table = load_prices()
    # claude-sonnet-4-5: $3 input, $0.30 cache hit, $3.75 cache write, $15 output per million tokens.
    cost = table.cost("claude-sonnet-4-5", usage(total=10_000, cached=6_000, written=3_000, output=500))
    assert cost == Decimal("0.003") + Decimal("0.0018") + Decimal("0.01125") + Decimal("0.0075")
    assert cost == Decimal("0.02355")
    # gpt-4.1: $2 input, $0.50 cached, $8 output; OpenAI writes no cache.
    # 234,567 x $2 + 1,000,000 x $0.50 + 89 x $8, per million.
    assert table.cost("gpt-4.1", usage(total=1_234_567, cached=1_000_000, output=89)) == Decimal("0.969846")


def test_dated_names_and_router_prefixes_find_their_model():
    table = load_prices()
    sonnet = table.price("claude-sonnet-4-5")
    assert table.price("claude-sonnet-4-5-20250929") is sonnet
    assert table.price("anthropic/claude-sonnet-4-5") is sonnet
    assert table.price("gpt-4.1-2025-04-14") is table.price("gpt-4.1")
    assert table.price("gpt-4.1-mini") is not table.price("gpt-4.1")
    # Another model whose name merely starts like a priced one is not priced as it.
    assert table.price("gpt-5-pro") is None
    assert table.price("llama3.1:8b") is None
    assert table.cost("llama3.1:8b", usage(100, 10)) is None


def test_usage_without_counts_has_no_cost():
    table = load_prices()
    assert table.cost("gpt-4.1", {"input_tokens": None, "output_tokens": 3}) is None
    assert table.cost("gpt-4.1", None) is None
    total, unpriced = table.total(
        [
            {"model": "gpt-4.1", "usage": usage(1_000_000, 0)},
            {"model": "gpt-4.1", "usage": usage(0, 1_000_000)},
            {"model": "mystery", "usage": usage(5, 5)},
        ]
    )
    assert (total, unpriced) == (Decimal(10), 1)


def test_a_price_file_overrides_and_extends_the_shipped_table(tmp_path):
    path = tmp_path / "prices.yaml"
    path.write_text(
        "date: 2026-12-01\nmodels:\n"
        "  gpt-4.1: {input: 1, cached_input: 0.25, output: 4}\n"
        "  llama3.1:8b: {input: 0.1, output: 0.2}\n"
    )
    table = load_prices(path)
    assert table.cost("gpt-4.1", usage(2_000_000, 1_000_000, cached=1_000_000)) == Decimal("5.25")
    # Without cached_input and cache_write, both cost the input price.
    assert table.price("llama3.1:8b") == Price(Decimal("0.1"), Decimal("0.1"), Decimal("0.1"), Decimal("0.2"))
    assert table.price("claude-sonnet-4-5") == load_prices().price("claude-sonnet-4-5")
    assert PRICES_DATE in table.date and "2026-12-01" in table.date
    assert table.files == (str(path),)


def test_a_plain_mapping_and_json_are_price_files_too(tmp_path):
    path = tmp_path / "p.json"
    path.write_text('{"my-model": {"input": "1.5", "output": 3}}')
    assert load_prices(path).cost("my-model", usage(1_000_000, 1_000_000)) == Decimal("4.5")


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("gpt-4.1: {input: 1}", "'output' is missing"),
        ("gpt-4.1: {input: -1, output: 1}", "0 or more"),
        ("gpt-4.1: {input: cheap, output: 1}", "expected a number"),
        ("gpt-4.1: {input: 1, output: 1, cached: 0.5}", "unknown price 'cached'.*cached_input"),
        ("gpt-4.1: 3", "expected a mapping"),
        ("[1, 2]", "expected a mapping of model names"),
        ("models: {}\nextra: 1", "unknown key"),
        ("{unclosed", "not a valid price file"),
    ],
)
def test_a_bad_price_file_is_refused_with_where_and_what(tmp_path, text, match):
    path = tmp_path / "prices.yaml"
    path.write_text(text)
    with pytest.raises(InsidergymError, match=match):
        load_prices(path)


def test_a_missing_price_file_is_refused(tmp_path):
    with pytest.raises(InsidergymError, match="cannot read the price file"):
        load_prices(tmp_path / "nope.yaml")


def test_the_shipped_table_says_when_it_was_collected():
    table = load_prices()
    assert isinstance(table, PriceTable) and table.date == PRICES_DATE and table.files == ()
    assert all(p.cached_input <= p.input <= p.cache_write for p in table.prices.values())
