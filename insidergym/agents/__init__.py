"""Agents: the protocol, scripted policies, a human at the terminal, and model adapters (OpenAI-compatible, Anthropic).

The model adapters need the official SDKs: `pip install 'insidergym[openai]'` or `'insidergym[anthropic]'`; they
are imported only when used.
"""

from insidergym.agents._anthropic import AnthropicAgent
from insidergym.agents._clients import close_transports
from insidergym.agents._human import HumanAgent
from insidergym.agents._models import ModelSpecError, model_agent
from insidergym.agents._openai import OpenAIAgent
from insidergym.agents._prices import PRICES_DATE, USAGE_FIELDS, Price, PriceTable, load_prices
from insidergym.agents._protocol import Agent, AgentOutput
from insidergym.agents._retry import ModelCallError, RetryPolicy
from insidergym.agents._scripted import IdleAgent, RandomAgent, ScriptedAgent, policy_agent
from insidergym.agents._spec import make_agent
from insidergym.agents._text_protocol import TextProtocolAgent

__all__ = [
    "PRICES_DATE",
    "USAGE_FIELDS",
    "Agent",
    "AgentOutput",
    "AnthropicAgent",
    "HumanAgent",
    "IdleAgent",
    "ModelCallError",
    "ModelSpecError",
    "OpenAIAgent",
    "Price",
    "PriceTable",
    "RandomAgent",
    "RetryPolicy",
    "ScriptedAgent",
    "TextProtocolAgent",
    "close_transports",
    "load_prices",
    "make_agent",
    "model_agent",
    "policy_agent",
]
