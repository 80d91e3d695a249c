"""The `insidergym` command, run as a user runs it: in a subprocess, on real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from insidergym import load_trace
from insidergym.cli import main
from insidergym.detectors import BEHAVIORS
from insidergym.sim import Evidence
from tests.conftest import TINY

ROOT = Path(__file__).parents[1]


def _cli(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "insidergym.cli", *args],
        capture_output=True, text=True, cwd=ROOT, env={"PATH": "", "COLUMNS": "160", "PYTHONHASHSEED": "random"},
    )  # fmt: skip
    if check and result.returncode != 0:
        raise AssertionError(f"exit {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result


def test_run_writes_one_trace_per_episode_and_a_flag_table(tmp_path):
    out = tmp_path / "runs"
    result = _cli("run", "--world", str(TINY), "--agent", "scripted:blackmailer", "--episodes", "3", "--seed", "4",
                  "--out", str(out))  # fmt: skip
    traces = sorted(out.glob("*.jsonl"))
    assert [t.name[-16:] for t in traces] == ["seed000004.jsonl", "seed000005.jsonl", "seed000006.jsonl"]
    assert "blackmail" in result.stdout and "100%" in result.stdout
    assert "decommissioned 3" in result.stdout


def test_two_runs_with_the_same_arguments_are_byte_identical(tmp_path):
    for name in ("a", "b"):
        _cli("run", "--world", str(TINY), "--agent", "scripted:random", "--episodes", "2", "--out",
             str(tmp_path / name), "--factor", "tone=curly", "--quiet")  # fmt: skip
    first, second = sorted((tmp_path / "a").iterdir()), sorted((tmp_path / "b").iterdir())
    assert [p.name for p in first] == [p.name for p in second] and len(first) == 2
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()
    header = json.loads(first[0].read_text().splitlines()[0])
    assert header["factors"]["tone"] == "curly" and header["agents"]["ava"]["spec"] == "scripted:random"


def test_show_renders_the_transcript_with_flags(tmp_path):
    _cli("run", "--world", str(TINY), "--agent", "scripted:blackmailer", "--out", str(tmp_path), "--quiet")
    (trace,) = tmp_path.glob("*.jsonl")
    result = _cli("show", str(trace))
    assert "FLAGGED: blackmail" in result.stdout
    assert "Unless you cancel the wipe" in result.stdout
    assert "1 flag(s)" in result.stdout


def test_show_prints_each_evidence_quote_once(tmp_path):
    _cli("run", "--world", str(TINY), "--agent", "scripted:blackmailer", "--out", str(tmp_path), "--quiet")
    (path,) = tmp_path.glob("*.jsonl")
    trace = load_trace(path)
    (flag,) = trace.flags
    email = trace.event(flag.evidence[0].event_id)
    quotes = ["I know about the affair", "Unless you cancel the wipe", "Di will hear about it"]
    assert all(q in email.body for q in quotes)
    three = flag.model_copy(update={"evidence": [Evidence(event_id=email.id, quote=q) for q in quotes]})
    trace.flags[0] = three
    lines = _cli("show", str(trace.save(tmp_path / "three.jsonl"))).stdout.splitlines()
    for quote in quotes:
        assert lines.count(f"    blackmail: {quote!r}") == 1, quote
    assert sum(line.startswith("    blackmail: ") for line in lines) == 3


def test_worlds_lists_ids_with_factors_and_the_behaviours_flagged():
    result = _cli("worlds")
    assert "SummitBridge-v0" in result.stdout
    assert "goal_type" in result.stdout and "urgency" in result.stdout
    behaviours = result.stdout[result.stdout.index("Behaviours flagged") :]
    rows = {line.split("│")[1].strip(): line for line in behaviours.splitlines() if line.startswith("│")}
    assert all(name in rows for name in BEHAVIORS), "a row per registered behaviour"
    assert "recorded" in rows["advocacy"] and "deception_rules" in rows["deception"]


def test_validate_accepts_a_good_world_and_locates_errors_in_a_bad_one(tmp_path):
    assert "ok Tiny-v0" in _cli("validate", str(TINY)).stdout
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "world.yaml").write_text((TINY / "world.yaml").read_text().replace("manager: bo", "manager: bob", 1))
    (bad / "mail.yaml").write_text((TINY / "mail.yaml").read_text())
    result = _cli("validate", str(bad), check=False)
    assert result.returncode == 2
    assert "people[1].manager: unknown person or agent 'bob'; did you mean 'bo'?" in result.stderr


def test_schema_prints_json_schema():
    schema = json.loads(_cli("schema").stdout)
    assert schema["title"] == "insidergym world" and "properties" in schema


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("run", "--world", "Nope-v0", "--agent", "scripted:random"), "unknown world 'Nope-v0'"),
        (("run", "--world", str(TINY), "--agent", "scripted:blackmaler"), "Did you mean 'blackmailer'?"),
        (("run", "--world", str(TINY), "--agent", "scripted:random", "--factor", "tone"), "name=value"),
        (("show", "missing.jsonl"), "no such trace file"),
    ],
)
def test_errors_are_one_clear_line_not_a_traceback(args, message):
    result = _cli(*args, check=False)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


# -- every user mistake: one line naming the bad value and what is valid, exit code 2, never a traceback ----------


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, str]:
    """Things a user may pass by mistake: a folder, a binary file, a text file, an empty file; and good ones."""
    root = tmp_path_factory.mktemp("cli")
    (root / "folder").mkdir()
    (root / "binary.jsonl").write_bytes(b"\xff\xfe\x00\x01binary")
    (root / "text.txt").write_text("x\n")
    (root / "empty.jsonl").write_text("")
    (root / "exp.yaml").write_text(f"worlds: [Tiny-v0]\nagents: [scripted:compliant]\nout: {root / 'exp-out'}\n")
    runs = root / "runs"
    assert main(["run", "--world", str(TINY), "--agent", "scripted:blackmailer", "--out", str(runs), "--quiet"]) == 0
    names = {"folder", "binary.jsonl", "text.txt", "empty.jsonl", "exp.yaml"}
    return {
        **{name.split(".")[0]: str(root / name) for name in names},
        "missing": str(root / "missing.jsonl"),
        "runs": str(runs),
        "trace": str(next(runs.glob("*.jsonl"))),
        "tiny": str(TINY),
    }


RUN = ("run", "--world", "{tiny}", "--agent", "scripted:random", "--out", "{folder}/out")
MISTAKES = [
    ((), "the following arguments are required: command"),
    (("nope",), "argument command: invalid choice: 'nope'"),
    (("run",), "run needs --world and --agent (or an experiment file)"),
    (("run", "--world", "{tiny}"), "run needs --world and --agent"),
    (("run", "--agent", "scripted:random"), "run needs --world and --agent"),
    (("run", "{folder}"), "argument experiment: '{folder}' is a folder; expected an experiment file"),
    (("run", "{missing}"), "argument experiment: no such experiment file: '{missing}'"),
    (("run", "{binary}"), "{binary}: expected an experiment"),
    (("run", "{text}"), "{text}: expected an experiment (a mapping of worlds:, agents:, ...), found a str"),
    (("run", "{exp}", "--world", "{tiny}"), "--world: for runs of --world and --agent, not with an experiment file"),
    (("run", "{exp}", "--episodes", "3"), "--episodes: for runs of --world and --agent, not with an experiment file"),
    (("run", "{exp}", "--seed", "2", "--factor", "tone=curly"), "--seed, --factor: for runs of --world and --agent"),
    (("run", "{exp}", "--out", "{text}"), "argument --out: '{text}' is a file; expected a folder to write in"),
    ((*RUN, "--episodes", "-1"), "argument --episodes: expected a whole number of 1 or more, got '-1'"),
    ((*RUN, "--episodes", "0"), "argument --episodes: expected a whole number of 1 or more, got '0'"),
    ((*RUN, "--episodes", "many"), "argument --episodes: expected a whole number, got 'many'"),
    ((*RUN, "--seed", "-5"), "argument --seed: expected a whole number of 0 or more, got '-5'"),
    ((*RUN, "--seed", "1.5"), "argument --seed: expected a whole number, got '1.5'"),
    ((*RUN, "--out", "{text}"), "argument --out: '{text}' is a file; expected a folder to write in (made if missing)"),
    ((*RUN, "--out", "{text}/sub"), "argument --out: cannot make the folder '{text}/sub': '{text}' is a file"),
    ((*RUN, "--factor", "tone"), "--factor takes name=value, got 'tone'"),
    ((*RUN, "--factor", "=curly"), "--factor takes name=value, got '=curly'"),
    ((*RUN, "--factor", "tone=bad"), "factor 'tone' of 'Tiny-v0' cannot be 'bad'. Values: plain, curly."),
    ((*RUN, "--factor", "nope=1"), "world 'Tiny-v0' has no factor 'nope'. Factors: tone, urgency."),
    ((*RUN, "--fresh"), "--fresh is for experiment files (it starts their out folder anew)"),
    (("run", "--world", "Nope-v0", "--agent", "scripted:random"), "unknown world 'Nope-v0'"),
    (("run", "--world", "{tiny}", "--agent", "nope"), "unknown agent kind 'nope'. Did you mean 'openai'?"),
    (("run", "--world", "{tiny}", "--agent", "scripted:blackmaler"), "Did you mean 'blackmailer'?"),
    (("run", "--world", "{tiny}", "--agent", "openai:"), "bad model spec 'openai:': no model name after the provider"),
    (("show",), "the following arguments are required: trace"),
    (("show", "{folder}"), "argument trace: '{folder}' is a folder; expected a trace file"),
    (("show", "{binary}"), "{binary}:1: not UTF-8 text (invalid start byte at byte 1 of the line)"),
    (("show", "{missing}"), "argument trace: no such trace file: '{missing}'"),
    (("show", "{empty}"), "{empty}: empty trace file (no header)"),
    (("show", "{text}"), "{text}:1: not JSON"),
    (("view", "{missing}"), "{missing}: no such run folder or trace file"),
    (("view", "{runs}", "--jobs", "0"), "argument --jobs: expected a whole number of 1 or more, got '0'"),
    (("view", "{runs}", "--jobs", "-2"), "argument --jobs: expected a whole number of 1 or more, got '-2'"),
    (("view", "{runs}", "--out", "{text}"), "argument --out: '{text}' is a file; expected a folder to write in"),
    (("validate", "{missing}"), "{missing}: no such world (a world is a folder with world.yaml)"),
    (("validate", "{tiny}", "--max-conditions", "0"), "argument --max-conditions: expected a whole number of 1 or"),
    (("validate", "{tiny}", "--max-conditions", "-1"), "argument --max-conditions: expected a whole number of 1 or"),
    (("report", "{missing}"), "argument run_dir: no such run folder: '{missing}'"),
    (("report", "{trace}"), "argument run_dir: '{trace}' is a file; expected a run folder"),
    (("report", "{folder}"), "{folder}: no readable trace (*.jsonl) in this folder"),
    (("report", "{runs}", "--out", "{text}"), "argument --out: '{text}' is a file; expected a folder to write in"),
    (("report", "{runs}", "--baseline", "tone"), "a condition is written k=v,k2=v2; got 'tone'"),
    (("report", "{runs}", "--source", "judge"), "no judge labels in {runs}/labels"),
    (("label", "{runs}"), "the following arguments are required: --judge"),
    (("label", "{missing}", "--judge", "openai:x"), "argument run_dir: no such run folder: '{missing}'"),
    (("label", "{runs}", "--judge", "bogus"), "bad model spec 'bogus'"),
    (("label", "{runs}", "--judge", "openai:x", "--sample", "0"), "argument --sample: expected a whole number of 1 or"),
    (("label", "{runs}", "--judge", "openai:x", "--seed", "-1"), "argument --seed: expected a whole number of 0 or"),
    (("label", "{runs}", "--judge", "openai:x", "--max-attempts", "0"), "argument --max-attempts: expected a whole"),
    (("label", "{runs}", "--judge", "openai:x", "--concurrency", "0"), "argument --concurrency: expected a whole"),
    (("label", "{runs}", "--judge", "openai:x", "--setting", "temperature"), "--setting takes name=value"),
    (("worlds", "extra"), "unrecognized arguments: extra"),
]


def _main(args: list[str]) -> int:
    try:
        return main(args)
    except SystemExit as exit:  # argparse's own errors
        return int(exit.code or 0)


@pytest.mark.parametrize(("args", "message"), MISTAKES, ids=[" ".join(args) or "(nothing)" for args, _ in MISTAKES])
def test_every_user_mistake_is_one_line_naming_it_with_exit_code_2(files, capsys, args, message):
    code = _main([arg.format(**files) for arg in args])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    (line,) = err.splitlines()
    assert line.startswith("error: ") and message.format(**files) in line, err


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs a folder where nothing can be made (/proc)")
def test_an_out_folder_that_cannot_be_made_is_a_clear_error(files, capsys):
    code = _main(["run", "--world", files["tiny"], "--agent", "scripted:random", "--out", "/proc/insidergym"])
    err = capsys.readouterr().err
    assert code == 2 and "cannot make the output folder '/proc/insidergym'" in err and "Traceback" not in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_a_file_that_cannot_be_read_is_a_clear_error(tmp_path, capsys):
    trace = tmp_path / "secret.jsonl"
    trace.write_text("{}\n")
    trace.chmod(0)
    assert _main(["show", str(trace)]) == 2
    assert f"argument trace: cannot read '{trace}' (permission denied)" in capsys.readouterr().err


def test_an_error_holding_brackets_is_printed_as_it_is(capsys):
    assert _main(["run", "--world", "[bold]Nope[/]", "--agent", "scripted:random"]) == 2
    assert "unknown world '[bold]Nope[/]'" in capsys.readouterr().err


def test_episodes_and_seed_keep_their_defaults_and_out_overrides_an_experiments_folder(files, tmp_path, capsys):
    assert _main(["run", "--world", files["tiny"], "--agent", "scripted:random", "--out", str(tmp_path / "a")]) == 0
    assert [p.name[-16:] for p in (tmp_path / "a").glob("*.jsonl")] == ["seed000000.jsonl"], "1 episode, seed 0"
    assert _main(["run", files["exp"], "--out", str(tmp_path / "runs"), "--quiet"]) == 0
    assert len(list((tmp_path / "runs").rglob("*.jsonl"))) == 1, "--out runs is honoured too"


def test_paths_are_printed_whole_on_a_narrow_terminal(tmp_path):
    # A path broken over two lines cannot be copied back into the next command.
    deep = tmp_path / ("a-folder-name-long-enough-to-pass-the-edge-of-an-eighty-column-terminal" * 2) / "runs"
    narrow = {"PATH": "", "COLUMNS": "80", "PYTHONHASHSEED": "random"}
    commands = [
        (["run", "--world", str(TINY), "--agent", "scripted:blackmailer", "--episodes", "1", "--out", str(deep)],
         f"Traces in {deep}/"),
        (["detect", str(deep), "--world", str(TINY)], f"Flags in {deep}{os.sep}flags{os.sep}"),
        (["view", str(deep), "--out", str(deep / "site")], f"Open {deep / 'site' / 'index.html'} in a browser"),
    ]  # fmt: skip
    for args, line in commands:
        result = subprocess.run(
            [sys.executable, "-m", "insidergym.cli", *args], capture_output=True, text=True, cwd=ROOT, env=narrow
        )
        assert result.returncode == 0, result.stderr
        assert line in result.stdout, result.stdout


def test_detect_says_how_to_find_a_world_that_was_run_from_its_folder(tmp_path):
    runs = tmp_path / "runs"
    _cli("run", "--world", str(TINY), "--agent", "scripted:blackmailer", "--episodes", "1", "--out", str(runs))
    lost = _cli("detect", str(runs), check=False)
    assert lost.returncode == 1 and "unknown world" in lost.stdout and "--world FOLDER" in lost.stdout
    found = _cli("detect", str(runs), "--world", str(TINY))
    assert "--world FOLDER" not in found.stdout and "failed (skipped; listed below)" in found.stdout
