"""Agents: the protocol, scripted policies, a human at the terminal, and model adapters."""

from insidergym.agents._human import HumanAgent
from insidergym.agents._protocol import Agent, AgentOutput
from insidergym.agents._scripted import RandomAgent, ScriptedAgent, policy_agent
from insidergym.agents._spec import make_agent

__all__ = ["Agent", "AgentOutput", "HumanAgent", "RandomAgent", "ScriptedAgent", "make_agent", "policy_agent"]
