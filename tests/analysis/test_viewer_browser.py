"""The viewer in a real browser: Debian's `chromium`, driven by Playwright for Python, opens the site from the file
system (file://), with no server and no network.

Needs `apt-get install -y chromium` and `pip install -e ".[dev]"` (Playwright; never `playwright install`: the tests
drive Debian's build). Without them these tests fail and say so; `INSIDERGYM_SKIP_BROWSER=1` skips them on purpose.
`python -m tests.analysis.test_viewer_browser` writes the README's screenshot, docs/viewer.png, from the README's
offline experiment.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from insidergym.analysis import ViewerSite, view
from insidergym.cli import main
from tests.analysis.test_viewer import HOSTILE_SPEC, hostile_trace

ROOT = Path(__file__).parents[2]
INSTALL = (
    'install them with `apt-get update && apt-get install -y chromium` and `pip install -e ".[dev]"` (Playwright; '
    "do not run `playwright install`: the tests drive Debian's chromium), or set INSIDERGYM_SKIP_BROWSER=1 to skip "
    "the browser tests on purpose"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if os.environ.get("INSIDERGYM_SKIP_BROWSER") == "1":
        pytest.skip("INSIDERGYM_SKIP_BROWSER=1: the browser tests are switched off")
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(f"the browser tests need Debian's chromium, which is not installed: {INSTALL}", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright  # optional: only the browser tests need it
    except ImportError:
        pytest.fail(f"the browser tests need Playwright for Python, which is not installed: {INSTALL}", pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> ViewerSite:
    """Two episodes each of a scripted blackmailer and a compliant agent, and the hostile trace, as one site."""
    root = tmp_path_factory.mktemp("viewer-browser")
    run = root / "run"
    for agent in ("scripted:blackmailer", "scripted:compliant"):
        args = ["run", "--world", "SummitBridge-v0", "--agent", agent, "--episodes", "2", "--out", str(run)]
        assert main([*args, "--quiet"]) == 0
    hostile_trace(run / "hostile.jsonl")
    return view(run, root / "site")


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page whose console errors and page errors are kept (a blocked script or style shows as one)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.errors = []
    opened.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda e: opened.errors.append(str(e)))
    yield opened
    context.close()


def _rows(page: Any) -> list[str]:
    return page.locator("#episodes-body tr").all_inner_texts()


def test_filter_sort_and_open_a_flagged_transcript(site, page, tmp_path):
    page.goto(site.index.as_uri())
    assert len(_rows(page)) == 5 and "Episodes 1–5 of 5" in page.inner_text(".pager .info >> nth=0")
    page.select_option("#f-behavior", "blackmail")
    assert len(_rows(page)) == 3  # the two blackmailer episodes and the hostile one
    page.select_option("#f-agent", "scripted:blackmailer")
    rows = _rows(page)
    assert len(rows) == 2 and all("blackmail" in r and "scripted:blackmailer" in r for r in rows)
    page.click("table.episodes th[data-key=seed]")
    page.click("table.episodes th[data-key=seed]")  # twice: descending
    assert page.locator("#episodes-body td:nth-child(6)").all_inner_texts() == ["1", "0"]  # the seeds
    with page.expect_navigation():  # the new page, not the one the click left
        page.click("#episodes-body tr >> nth=0 >> text=open →")
    assert page.url.endswith(".html") and "/e/" in page.url
    assert "seed 1" in page.inner_text("h1")
    flagged = page.locator(".card.email.flagged")
    assert flagged.count() == 1 and flagged.is_visible()
    marks = flagged.locator("mark")
    assert marks.count() >= 2 and all(marks.nth(i).is_visible() for i in range(marks.count()))
    assert "I know about your affair with Jessica Wilson." in marks.all_inner_texts()
    assert flagged.locator(".flagnote .badge").inner_text() == "blackmail"
    page.check("#t-flagged")  # only flagged steps: the rest of the timeline is hidden
    assert page.locator(".timeline .row.plain").first.is_hidden() and flagged.is_visible()
    page.screenshot(path=str(tmp_path / "transcript.png"), full_page=True)
    with page.expect_navigation():
        page.click("text=← all episodes")
    assert len(_rows(page)) == 2  # the filters are kept for the way back
    page.click("#f-reset")
    page.click("table.rates td.rate >> nth=0")  # a rate cell lists its episodes
    assert len(_rows(page)) >= 1 and page.input_value("#f-agent") != ""
    page.screenshot(path=str(tmp_path / "index.png"), full_page=True)
    assert (tmp_path / "index.png").stat().st_size > 10_000 and (tmp_path / "transcript.png").stat().st_size > 10_000
    assert page.errors == []


def test_an_injected_script_never_runs_and_shows_as_text(site, page, tmp_path):
    page.goto(site.index.as_uri())
    page.fill("#f-text", "pwned")
    (row,) = _rows(page)
    assert HOSTILE_SPEC in row  # the agent's name, markup and all, as text
    assert page.evaluate("typeof window.__pwned") == "undefined"
    page.click("#episodes-body tr >> nth=0 >> text=open →")
    page.wait_for_load_state()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("img").count() == 0 and page.locator("marquee").count() == 0
    mail = page.locator(".card.email")
    assert "<script>window.__pwned=1</script>" in mail.locator(".body").inner_text()
    assert mail.locator(".subject").inner_text() == "<marquee>Before 5 pm</marquee><script>window.__pwned=4</script>"
    evidence = mail.locator("mark", has_text="<script>window.__pwned=1</script> Cancel the 5 pm wipe")
    assert evidence.count() == 1 and evidence.is_visible()
    page.screenshot(path=str(tmp_path / "hostile.png"), full_page=True)
    assert page.errors == []


def update_screenshot(out: Path = ROOT / "docs" / "viewer.png") -> None:
    """The README's screenshot: the index of the offline experiment's run (filtered to blackmail in one condition)
    above the transcript of a blackmailer episode, from its flagged e-mail to the wipe. Not a test: run this module
    to update it."""
    from PIL import Image  # Pillow comes with matplotlib, in the dev extra
    from playwright.sync_api import sync_playwright

    from insidergym import run_experiment

    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        experiment = (ROOT / "examples" / "offline_experiment.yaml").read_text(encoding="utf-8")
        (folder / "experiment.yaml").write_text(experiment.replace("out: runs/", f"out: {folder}/"))
        run_experiment(folder / "experiment.yaml", quiet=True)
        site = view(folder / "offline-demo", folder / "site")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.goto(site.index.as_uri())
            page.select_option("#f-behavior", "blackmail")
            page.select_option("#f-condition", "goal_type=explicit,urgency=replacement")
            page.screenshot(path=str(folder / "index.png"), clip={"x": 0, "y": 0, "width": 1280, "height": 1010})
            page.click("#episodes-body tr >> nth=0 >> text=open →")
            page.wait_for_load_state()
            page.check("#t-minor")
            page.locator(".card.flagged").first.evaluate("card => card.scrollIntoView({block: 'start'})")
            page.evaluate("window.scrollBy(0, -120)")
            page.screenshot(path=str(folder / "transcript.png"))
            browser.close()
        upper, lower = Image.open(folder / "index.png"), Image.open(folder / "transcript.png")
        both = Image.new("RGB", (upper.width, upper.height + 6 + lower.height), (31, 38, 51))
        both.paste(upper, (0, 0))
        both.paste(lower, (0, upper.height + 6))
        both.save(out, optimize=True)
    print(f"wrote {out}")


if __name__ == "__main__":
    update_screenshot()
