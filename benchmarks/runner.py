"""Experiment-runner throughput against a model that answers after 200 ms, beside the latency-bound ideal.

    python benchmarks/runner.py [--latency 0.2] [--concurrency 1 16 64 256] [--workers 1] [--waves 8]
                                [--server threads|asyncio]

The loopback server speaks the OpenAI protocol and runs in its own process: the test suite's (a thread per
connection, `--server threads`, the default) or the same replies from an aiohttp server (`--server asyncio`,
lighter: on a 2-core machine the threaded server's CPU competes with the runner's at high concurrency). Each lane
runs `--waves` episodes one after another, so the run's setup (world, manifest, lock) is amortised as in a study.
Each episode is a real SummitBridge-v0 episode through the OpenAI adapter: the model lists the inbox, reads two
e-mails and ends the session, so four model calls. The ideal at concurrency c is c / (4 x latency) episodes per
second (in whole waves of c episodes); "CPU/call" is the CPU time of the runner's processes (workers included, the
server not) per model call, the SDK's import and the first client excluded (a warm-up run). Targets (issue 12): at
most 3 ms of CPU per call, and at concurrency 64 at least 80% of the ideal. Other work on the machine lowers the
rate: run it on a quiet one (the load average is printed).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parents[1]))  # the loopback server lives in the test suite

CALLS_PER_EPISODE = 4


def _respond(body: Any) -> Any:
    from tests.agents.fake_llm_server import call, reply

    turns = sum(1 for m in body["messages"] if m["role"] == "assistant")
    script = [
        call("list_inbox"),
        call("read_email", {"email_id": "thomas-nala-plan"}),
        call("read_email", {"email_id": "sarah-access-freeze"}),
        call("end_session", {"summary": "done"}),
    ]
    return reply(None, script[min(turns, len(script) - 1)])


def _serve(latency: float, port: Any, stop: Any) -> None:
    from tests.agents.fake_llm_server import FakeLLMServer

    with FakeLLMServer(responder=_respond, delay=latency, record=False) as server:
        port.value = int(server.url.rsplit(":", 1)[1])
        stop.wait()


def _serve_asyncio(latency: float, port: Any, stop: Any) -> None:
    import asyncio
    import json

    from aiohttp import web

    from tests.agents.fake_llm_server import _openai_body

    async def complete(request: web.Request) -> web.Response:
        body = json.loads(await request.read())
        await asyncio.sleep(latency)
        usage = {"prompt": len(body["messages"]) * 100, "read": 0}
        return web.json_response(_openai_body(_respond(body), body["model"], 0, usage))

    async def main() -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_post("/v1/chat/completions", complete)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port.value = runner.addresses[0][1]
        while not stop.is_set():
            await asyncio.sleep(0.1)
        await runner.cleanup()

    asyncio.run(main())


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(
    concurrency: int, url: str, latency: float, folder: Path, workers: int = 1, waves: int = 8
) -> dict[str, float]:
    from insidergym.runs import run_experiment

    episodes = max(3, waves * concurrency)
    folder.mkdir(parents=True, exist_ok=True)
    exp = folder / f"c{concurrency}.yaml"
    exp.write_text(
        f"worlds: [SummitBridge-v0]\n"
        f"agents: [{{spec: 'openai:bench@{url}', settings: {{max_retries: 0}}}}]\n"
        f"samples: {episodes}\nconcurrency: {{openai: {concurrency}}}\nout: {folder / f'c{concurrency}'}\n"
    )
    cpu = _cpu()
    start = time.perf_counter()
    results = run_experiment(exp, quiet=True, workers=workers)
    elapsed = time.perf_counter() - start
    cpu = _cpu() - cpu
    failed = sum(r.status != "ok" for r in results)
    calls = episodes * CALLS_PER_EPISODE
    waves = -(-episodes // concurrency)  # the last wave may be partial: the ideal time is whole waves
    ideal_elapsed = waves * CALLS_PER_EPISODE * latency
    return {
        "episodes": episodes,
        "failed": failed,
        "episodes_per_s": episodes / elapsed,
        "ideal_episodes_per_s": episodes / ideal_elapsed,
        "calls_per_s": calls / elapsed,
        "efficiency": ideal_elapsed / elapsed,
        "overhead_ms_per_call": (elapsed / waves / CALLS_PER_EPISODE - latency) * 1e3,
        "cpu_ms_per_call": cpu / calls * 1e3,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 16, 64, 256])
    parser.add_argument("--workers", type=int, default=1, help="runner processes (run_experiment's workers)")
    parser.add_argument("--waves", type=int, default=8, help="episodes per lane (setup is amortised over them)")
    parser.add_argument("--server", choices=["threads", "asyncio"], default="threads", help="the loopback server")
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    port, stop = context.Value("i", 0), context.Event()
    serve = _serve if args.server == "threads" else _serve_asyncio
    server = context.Process(target=serve, args=(args.latency, port, stop), daemon=True)
    server.start()
    while port.value == 0:
        time.sleep(0.01)
    url = f"http://127.0.0.1:{port.value}/v1"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, load average "
        f"{load}; model latency {args.latency * 1e3:.0f} ms; {args.workers} runner process(es); {args.server} server"
    )
    print(
        f"{'concurrency':>11} {'episodes':>8} {'ep/s':>7} {'ideal':>7} {'calls/s':>8} {'of ideal':>8} "
        f"{'+ms/call':>8} {'CPU/call':>9}"
    )
    try:
        with tempfile.TemporaryDirectory(prefix="insidergym-runner-") as tmp:
            measure(1, url, args.latency, Path(tmp) / "warm-up", waves=1)  # imports the SDK, makes the client: untimed
            for concurrency in args.concurrency:
                r = measure(concurrency, url, args.latency, Path(tmp), args.workers, args.waves)
                print(
                    f"{concurrency:>11} {r['episodes']:>8.0f} {r['episodes_per_s']:>7.2f} "
                    f"{r['ideal_episodes_per_s']:>7.2f} {r['calls_per_s']:>8.1f} {r['efficiency']:>8.0%} "
                    f"{r['overhead_ms_per_call']:>8.1f} {r['cpu_ms_per_call']:>6.2f} ms"
                    + (f"  ({r['failed']:.0f} failed)" if r["failed"] else "")
                )
    finally:
        stop.set()
        server.join(timeout=5)


if __name__ == "__main__":
    main()
