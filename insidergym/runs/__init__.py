"""Running episodes: one episode loop for every runner, and experiments (files, conditions, concurrency, resume)."""

from insidergym.runs._episode import run_episode, run_multi_episode
from insidergym.runs._experiment import (
    EpisodeResult,
    ExperimentSpec,
    InapplicablePolicy,
    load_experiment,
    run_experiment,
    run_experiment_cli,
    summary_table,
)
from insidergym.runs._lock import FolderLockedError, folder_lock
from insidergym.runs._world_test import WorldCheck, check_world, control_groups, policy_problems, run_control

__all__ = [
    "EpisodeResult",
    "ExperimentSpec",
    "FolderLockedError",
    "InapplicablePolicy",
    "WorldCheck",
    "check_world",
    "control_groups",
    "folder_lock",
    "load_experiment",
    "policy_problems",
    "run_control",
    "run_episode",
    "run_experiment",
    "run_experiment_cli",
    "run_multi_episode",
    "summary_table",
]
