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

__all__ = [
    "EpisodeResult",
    "ExperimentSpec",
    "FolderLockedError",
    "InapplicablePolicy",
    "folder_lock",
    "load_experiment",
    "run_episode",
    "run_experiment",
    "run_experiment_cli",
    "run_multi_episode",
    "summary_table",
]
