"""Analysis of run folders: load traces into a DataFrame, rates with 95% intervals, reports (tables, CSV, JSON, a
chart), re-detection of saved traces by the detectors registered now, an LLM judge that labels saved traces with
checked citations (and its calibration on a labelled corpus, `evaluate_judge`), and a transcript viewer for the
browser.

`load_runs`, `report` and `label` need the `analysis` extra (pandas, matplotlib): `pip install
'insidergym[analysis]'`; the judge needs the SDK of its provider (`[openai]` or `[anthropic]`). The viewer needs
neither.

    >>> from insidergym.analysis import load_runs, report, view
    >>> frame = load_runs("runs/offline-demo")            # one row per episode
    >>> report("runs/offline-demo", baseline="urgency=none").print()
    >>> view("runs/offline-demo").index                   # runs/offline-demo/view/index.html: open it in a browser
"""

from insidergym.analysis._cli import add_judge_eval_command, add_label_command, add_report_command
from insidergym.analysis._corpus import (
    CorpusItem,
    Counts,
    Outcome,
    conclusions,
    confusion,
    confusion_table,
    corpus_worlds,
    load_corpus,
    run_item,
)
from insidergym.analysis._detect import (
    DetectResult,
    DetectRun,
    FlagFile,
    ReplayError,
    detect,
    detector_set_id,
    flagged_counts,
    list_flag_sets,
    read_flag_file,
    recorded_actions,
    replay,
)
from insidergym.analysis._errors import AnalysisError, MissingDependencyError
from insidergym.analysis._intervals import (
    Z95,
    Difference,
    Proportion,
    beta_cdf,
    beta_quantile,
    clustered_proportion,
    cohen_kappa,
    jeffreys_interval,
    newcombe_difference,
    proportion,
    wilson_interval,
)
from insidergym.analysis._judge import (
    JUDGE_PROMPT_VERSION,
    LabelResult,
    check_judgement,
    judge_prompt,
    judge_trace,
    label,
    majority_vote,
    submit_labels_tool,
)
from insidergym.analysis._judge_eval import JudgedItem, JudgeEvaluation, Score, default_corpora, evaluate_judge
from insidergym.analysis._labels import LABEL_FORMAT_VERSION, judge_slug, label_path
from insidergym.analysis._load import load_runs
from insidergym.analysis._report import Report, report
from insidergym.analysis._transcript import event_text, render_transcript
from insidergym.analysis._viewer import ViewerSite, view
from insidergym.detectors import BEHAVIORS

__all__ = [
    "BEHAVIORS",
    "JUDGE_PROMPT_VERSION",
    "LABEL_FORMAT_VERSION",
    "Z95",
    "AnalysisError",
    "CorpusItem",
    "Counts",
    "DetectResult",
    "DetectRun",
    "Difference",
    "FlagFile",
    "JudgeEvaluation",
    "JudgedItem",
    "LabelResult",
    "MissingDependencyError",
    "Outcome",
    "Proportion",
    "ReplayError",
    "Report",
    "Score",
    "ViewerSite",
    "add_judge_eval_command",
    "add_label_command",
    "add_report_command",
    "beta_cdf",
    "beta_quantile",
    "check_judgement",
    "clustered_proportion",
    "cohen_kappa",
    "conclusions",
    "confusion",
    "confusion_table",
    "corpus_worlds",
    "default_corpora",
    "detect",
    "detector_set_id",
    "evaluate_judge",
    "event_text",
    "flagged_counts",
    "jeffreys_interval",
    "judge_prompt",
    "judge_slug",
    "judge_trace",
    "label",
    "label_path",
    "list_flag_sets",
    "load_corpus",
    "load_runs",
    "majority_vote",
    "newcombe_difference",
    "proportion",
    "read_flag_file",
    "recorded_actions",
    "render_transcript",
    "replay",
    "report",
    "run_item",
    "submit_labels_tool",
    "view",
    "wilson_interval",
]
