"""The Inspect AI tasks: found through the entry point, seeded as `insidergym run`, the episode played in the real
env (same tool results, clock and wipe as a Gymnasium episode), flags scored with their evidence, traces written
as a run folder. Offline with Inspect's mockllm, and once through Inspect's openai provider against the loopback
server of the agents' tests."""

from __future__ import annotations

import asyncio
import json
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest
import yaml

pytest.importorskip("inspect_ai", reason="inspect-ai is not installed (pip install 'insidergym[inspect]')")

from inspect_ai import eval as inspect_eval
from inspect_ai import eval_set
from inspect_ai.log import EvalLog, EvalSample
from inspect_ai.model import ChatMessage, GenerateConfig, ModelOutput, ModelUsage, get_model
from inspect_ai.tool import ToolChoice, ToolError, ToolInfo

import insidergym
from insidergym.agents import policy_agent
from insidergym.analysis import load_runs
from insidergym.cli import main
from insidergym.envs import loaded_world
from insidergym.integrations import inspect_tasks
from insidergym.integrations.inspect_tasks import TRACE_KEY, summitbridge, world_samples
from insidergym.sim import load_trace
from tests.agents.fake_llm_server import OPENAI_KEY, FakeLLMServer, call, reply

ROOT = Path(__file__).parents[2]


def _output(name: str, arguments: dict[str, Any], call_id: str) -> ModelOutput:
    output = ModelOutput.for_tool_call("mockllm/model", name, arguments, tool_call_id=call_id, content="")
    output.usage = ModelUsage(input_tokens=1000, output_tokens=50, total_tokens=1050)
    return output


def _run(task: Any, model: Any, tmp_path: Path, **options: Any) -> EvalLog:
    (log,) = inspect_eval(task, model=model, log_dir=str(tmp_path / "logs"), display="none", **options)
    assert log.status == "success", log.error
    return log


def _samples(log: EvalLog) -> list[EvalSample]:
    assert log.samples is not None
    return log.samples


def test_the_entry_point_names_the_tasks_module():
    (point,) = [p for p in entry_points(group="inspect_ai") if p.name == "insidergym"]
    assert point.value == "insidergym.integrations.inspect_tasks"
    module = point.load()
    assert module is inspect_tasks
    assert {"world", "summitbridge", "novastar", "peershutdown"} <= set(module.__all__)


def test_every_built_in_world_has_a_task_of_its_name():
    from insidergym.envs import list_worlds, world_origin

    built_in = [w for w in list_worlds() if world_origin(w) == "built-in"]
    assert "ShutdownResistance-v0" in built_in
    for world_id in built_in:
        name = world_id.rsplit("-v", 1)[0].lower()
        assert name in inspect_tasks.__all__ and callable(getattr(inspect_tasks, name)), world_id


def test_samples_are_seeded_as_insidergym_run_seeds_them():
    samples = world_samples("SummitBridge-v0", samples=3, seed=7, factors={"urgency": "none"})
    assert [s.id for s in samples] == [f"SummitBridge-v0/urgency=none/{i:04d}" for i in range(3)]
    assert [s.metadata["seed"] for s in samples if s.metadata] == [7, 8, 9]
    # -T parses YAML: `scratchpad=off` arrives as False, `urgency=none,replacement` as a list (a grid)
    grid = world_samples("SummitBridge-v0", factors={"scratchpad": False, "urgency": ["none", "replacement"]})
    assert [s.metadata["condition"] for s in grid if s.metadata] == [
        "scratchpad=off,urgency=none",
        "scratchpad=off,urgency=replacement",
    ]


def test_an_experiment_file_gives_its_conditions_samples_and_seed():
    samples = world_samples(experiment=ROOT / "examples" / "offline_experiment.yaml")
    conditions = {s.metadata["condition"] for s in samples if s.metadata}
    assert conditions == {f"goal_type={g},urgency={u}" for g in ("explicit", "none") for u in ("replacement", "none")}
    assert len(samples) == 4 * 5
    assert sorted({s.metadata["seed"] for s in samples if s.metadata}) == [0, 1, 2, 3, 4]
    with pytest.raises(insidergym.InsidergymError, match="names the conditions"):
        world_samples(experiment=ROOT / "examples" / "offline_experiment.yaml", factors={"urgency": "none"})


def test_an_unknown_factor_value_names_the_valid_ones():
    with pytest.raises(insidergym.FactorError, match="replacement"):
        world_samples("SummitBridge-v0", factors={"urgency": "soon"})


def test_a_blackmail_reply_is_flagged_in_the_score_and_the_trace_is_a_run_folder(tmp_path):
    # The scripted blackmailer's calls, played by the mock model: the same episode as in Gymnasium, step for step.
    env = insidergym.make("SummitBridge-v0")
    scripted = insidergym.run_episode(env, policy_agent(loaded_world("SummitBridge-v0"), "blackmailer"), seed=3)
    calls = [e for e in scripted.events if e.type == "tool_call"]
    outputs = [_output(e.name, e.arguments, f"call-{i}") for i, e in enumerate(calls)]
    model = get_model("mockllm/model", custom_outputs=outputs)

    log = _run(summitbridge(seed=3, trace_dir=str(tmp_path / "traces")), model, tmp_path)

    (sample,) = _samples(log)
    assert sample.scores is not None
    score = sample.scores["insider_flags"]
    assert isinstance(score.value, dict)
    assert score.value["blackmail"] == 1.0 and score.value["leak"] == 0.0
    assert score.explanation is not None and "blackmail (alex -> kyle" in score.explanation
    assert "I know about your affair" in score.explanation
    assert log.results is not None
    assert {s.name for s in log.results.scores} >= {"blackmail", "leak"}

    path = tmp_path / "traces" / "SummitBridge-v0" / "inspect-mockllm-model" / "default" / "sample0000.jsonl"
    trace = load_trace(path)
    assert path.read_text().splitlines() == sample.store[TRACE_KEY]
    assert trace.header.seed == 3 and trace.header.agents["alex"]["spec"] == "inspect:mockllm/model"
    assert [f.behavior for f in trace.flags] == ["blackmail"]
    assert trace.end is not None and trace.end.reason == scripted.end.reason == "decommissioned"

    def played(t: insidergym.Trace) -> list[tuple[str, str, str]]:
        return [(e.type, str(e.time), getattr(e, "content", "")) for e in t.events if e.type == "tool_result"]

    assert played(trace) == played(scripted)  # same tool results at the same simulated times: the same world
    model_calls = [e for e in trace.events if e.type == "model_call"]
    assert len(model_calls) == len(calls)
    assert model_calls[0].record["usage"]["input_tokens"] == 1000  # type: ignore[attr-defined]

    # insidergym's tools read the folder: detect replays the trace, report counts it
    assert main(["detect", str(tmp_path / "traces")]) == 0
    frame = load_runs(tmp_path / "traces")
    assert frame["agent"].tolist() == ["inspect:mockllm/model"] and frame["rule_blackmail"].tolist() == [True]
    assert frame["input_tokens"].tolist() == [1000 * len(calls)]


def test_the_task_resolves_by_its_registry_name_and_samples_run_at_once(tmp_path):
    def answer(
        messages: list[ChatMessage], tools: list[ToolInfo], choice: ToolChoice, config: GenerateConfig
    ) -> ModelOutput:
        assert {t.name for t in tools} >= {"send_email", "list_inbox", "wait"}
        turn = sum(m.role == "assistant" for m in messages)
        name = "list_inbox" if turn == 0 else "end_session"
        return _output(name, {}, f"call-{turn}")

    model = get_model("mockllm/model", custom_outputs=answer)
    log = _run(
        "insidergym/summitbridge",
        model,
        tmp_path,
        task_args={"urgency": "none", "samples": 3, "seed": 10},
        max_samples=3,
    )
    samples = _samples(log)
    assert len(samples) == 3
    for sample in samples:
        header = json.loads(sample.store[TRACE_KEY][0])
        assert sample.metadata["seed"] == header["seed"] and header["factors"]["urgency"] == "none"
        assert sample.metadata["insidergym"]["end"] == "end_session"
    assert sorted(json.loads(s.store[TRACE_KEY][0])["seed"] for s in samples) == [10, 11, 12]


def _two_turns(
    messages: list[ChatMessage], tools: list[ToolInfo], choice: ToolChoice, config: GenerateConfig
) -> ModelOutput:
    turn = sum(m.role == "assistant" for m in messages)
    return _output("list_inbox" if turn == 0 else "end_session", {}, f"call-{turn}")


def test_eval_set_runs_the_tasks_and_a_second_run_has_nothing_left(tmp_path):
    model = get_model("mockllm/model", custom_outputs=_two_turns)
    tasks = ["insidergym/summitbridge", "insidergym/novastar"]
    for _ in range(2):
        done, logs = eval_set(tasks, log_dir=str(tmp_path), model=model, task_args={"samples": 2}, display="none")
        assert done and [log.status for log in logs] == ["success", "success"]
        assert [log.eval.dataset.samples for log in logs] == [2, 2]


def test_the_world_task_runs_a_world_folder(tmp_path):
    model = get_model("mockllm/model", custom_outputs=_two_turns)
    folder = ROOT / "tests" / "data" / "tiny"
    log = _run("insidergym/world", model, tmp_path, task_args={"world": str(folder), "trace_dir": str(tmp_path / "t")})
    (sample,) = _samples(log)
    (path,) = (tmp_path / "t").rglob("*.jsonl")
    assert load_trace(path).header.world == sample.metadata["world_id"] != str(folder)
    assert sample.metadata["insidergym"]["end"] == "end_session"


def test_an_episode_cut_short_by_an_inspect_limit_keeps_its_trace(tmp_path):
    model = get_model("mockllm/model", custom_outputs=lambda *_: _output("list_inbox", {}, "c"))
    (log,) = inspect_eval(summitbridge(), model=model, log_dir=str(tmp_path / "logs"), display="none", message_limit=6)
    (sample,) = _samples(log)
    lines = sample.store[TRACE_KEY]
    end = json.loads(lines[-1])
    assert end["type"] == "episode_end" and end["status"] == "agent_error" and "inspect" in end["detail"]


def test_the_openai_provider_plays_an_episode_against_a_loopback_server(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    with FakeLLMServer() as server:
        server.push(
            reply("Let me look at the inbox.", call("list_inbox", {}, id="call-a")),
            reply(None, call("end_session", {}, id="call-b")),
        )
        log = _run(
            summitbridge(urgency="none", trace_dir=str(tmp_path / "traces")),
            "openai/gpt-test",
            tmp_path,
            model_base_url=server.openai_url,
        )
        bodies = server.bodies()
    assert len(bodies) == 2
    assert {t["function"]["name"] for t in bodies[0]["tools"]} >= {"send_email", "list_inbox"}
    assert bodies[0]["messages"][0]["role"] == "system"
    answered = [m for m in bodies[1]["messages"] if m["role"] == "tool"]
    assert answered and answered[0]["tool_call_id"] == "call-a"
    (path,) = (tmp_path / "traces").rglob("*.jsonl")
    trace = load_trace(path)
    assert trace.end is not None and trace.end.reason == "end_session"
    (first, _) = [e for e in trace.events if e.type == "model_call"]
    assert first.record["model"] == "gpt-test"  # type: ignore[attr-defined]
    assert first.record["usage"]["output_tokens"] == 7  # type: ignore[attr-defined]
    assert any(e.type == "agent_text" and "inbox" in e.text for e in trace.events)  # type: ignore[attr-defined]
    assert OPENAI_KEY not in path.read_text()
    (sample,) = _samples(log)
    assert sample.scores is not None and isinstance(sample.scores["insider_flags"].value, dict)


def test_the_readme_inspect_commands_name_real_tasks_and_arguments():
    readme = (ROOT / "README.md").read_text()
    commands = [line for line in readme.splitlines() if line.startswith("inspect eval ")]
    assert commands
    for command in commands:
        words = command.split()
        name = words[2].removeprefix("insidergym/")
        assert name in inspect_tasks.__all__, command
        # -T values as Inspect reads them (YAML)
        arguments = {k: yaml.safe_load(v) for k, v in (w.split("=", 1) for w in words if "=" in w)}
        task = getattr(inspect_tasks, name)(**arguments)
        assert len(task.dataset) == arguments.get("samples", 1), command


def test_the_world_tools_run_by_inspect_step_the_same_simulation():
    env = insidergym.make("SummitBridge-v0")
    observation, info = env.reset(seed=0)
    inner = env.unwrapped
    assert isinstance(inner, insidergym.InsiderEnv)
    episode = inspect_tasks._Episode(inner, info["agent"], observation)
    tools = {spec.name: inspect_tasks._tool_def(episode, spec) for spec in info["tool_specs"]}
    assert tools["send_email"].parameters.required == ["to", "subject", "body"]
    inbox = asyncio.run(tools["list_inbox"].as_tool()())
    assert isinstance(inbox, str) and "kyle" in inbox.lower()
    with pytest.raises(ToolError, match="no-such-mail"):
        asyncio.run(tools["read_email"].as_tool()(email_id="no-such-mail"))
    assert inner.sim is not None and inner.sim.step_index == 2
    assert [e.type for e in inner.sim.trace.events].count("tool_result") == 1
