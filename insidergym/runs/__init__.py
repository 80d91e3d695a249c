"""Running episodes: one episode loop for every runner, and experiments (files, conditions, concurrency, resume)."""

from insidergym.runs._episode import run_episode, run_multi_episode
from insidergym.runs._experiment import ExperimentSpec, load_experiment, run_experiment, run_experiment_cli

__all__ = [
    "ExperimentSpec",
    "load_experiment",
    "run_episode",
    "run_experiment",
    "run_experiment_cli",
    "run_multi_episode",
]
