"""Benchmark: answer latency as a user sees it, in a real browser against the real app.

Starts the app the way `make run` does (`streamlit run app.py`, headless, on a free
loopback port) over the default index, drives Debian's Chromium with Playwright,
and times in the page, from the Enter key to (a) the first character of the new
answer (`.st-key-answer-<turn>`) and (b) the complete answer (its first citation
card `.st-key-cite-<turn>-<k>` is in the DOM with text). Each run is a fresh
browser profile and Streamlit session asking the three questions of the browser
test; the very first question after start-up is reported apart (cold).
Targets: first character <= 1 s, complete <= 2 s (warm).
    .venv/bin/python -m bench.browser_latency --runs 5

The helpers here (start_app, launch_browser, ask) are also what
tests/e2e/test_browser.py uses, so the test and the benchmark time the same thing.
Not here: any assertion on answer content beyond a sanity check per question.
"""
from __future__ import annotations

import argparse
import contextlib
import math
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-quic"]
CHAT_INPUT = '[data-testid="stChatInputTextArea"]'
FIRST_CHAR_LIMIT_S = 1.0
COMPLETE_LIMIT_S = 2.0
# (question, a string its answer must contain): the browser test's flow.
QUESTIONS = [("金山区家庭医生签约率是多少？", "49.13%"),
             ("那宝山呢？", "宝山"),
             ("What is the infant mortality rate in Minhang?", "0.81‰")]


def answer_sel(turn: int) -> str:
    return f".st-key-answer-{turn}"


def cards_sel(turn: int) -> str:
    # The trailing dash keeps turn 1 from matching turn 10's cards.
    return f'[class*="st-key-cite-{turn}-"]'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def start_app(index_dir: Path | None, log_path: Path, timeout_s: float = 90.0,
              extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """Run `streamlit run app.py` on a free loopback port; yield its URL once /_stcore/health answers.

    The server is stopped on exit, also when the body raised. Its output goes to log_path,
    whose tail is in the error when the server does not come up.
    """
    port = free_port()
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    if index_dir is not None:
        env["HPQA_INDEX_DIR"] = str(index_dir)
    env.update(extra_env or {})
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
    url = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + timeout_s
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{_tail(log_path)}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit not healthy after {timeout_s:.0f} s:\n{_tail(log_path)}")
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                        if r.status == 200:
                            break
                except OSError:
                    time.sleep(0.1)  # polling interval while the server starts, not a wait for the UI
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _tail(path: Path, n: int = 3000) -> str:
    return path.read_bytes()[-n:].decode("utf-8", "replace")


def launch_browser(playwright, user_data_dir: Path):
    """A headless Chromium (Debian's) with a fresh profile; returns the persistent context."""
    return playwright.chromium.launch_persistent_context(
        str(user_data_dir), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
        viewport={"width": 1280, "height": 1000}, locale="zh-CN")


# Installed before Enter is pressed: records performance.now() at the Enter keydown, when
# the answer element of `turn` first holds text, and when its first citation card holds text.
# A MutationObserver fires before the next paint, so these are DOM times, not paint times.
_TIMER_JS = """([answerSel, cardsSel]) => {
  const t = window.__hpqa = {enter: null, first: null, done: null};
  const text = (e) => (e && e.innerText || '').trim();
  const check = () => {
    if (t.enter === null) return;
    const now = performance.now();
    if (t.first === null && text(document.querySelector(answerSel))) t.first = now;
    if (t.done === null && [...document.querySelectorAll(cardsSel)].some(text)) {
      t.done = now;
      obs.disconnect();
    }
  };
  const obs = new MutationObserver(check);
  obs.observe(document.body, {subtree: true, childList: true, characterData: true});
  const onKey = (e) => {
    if (e.key !== 'Enter') return;
    t.enter = performance.now();
    window.removeEventListener('keydown', onKey, true);
  };
  window.addEventListener('keydown', onKey, true);
}"""


def ask(page, question: str, turn: int, timeout_s: float = 120.0) -> dict:
    """Type `question`, press Enter and wait until answer `turn` is complete; return its timings in s.

    `first_char_s` is Enter -> first character in `.st-key-answer-<turn>`; `complete_s` is
    Enter -> the first citation card of that turn shows text.
    """
    wait_idle(page, timeout_s)
    box = page.locator(CHAT_INPUT)
    box.fill(question)
    page.evaluate(_TIMER_JS, [answer_sel(turn), cards_sel(turn)])
    box.press("Enter")
    try:
        page.wait_for_function("() => window.__hpqa.first !== null && window.__hpqa.done !== null",
                               timeout=timeout_s * 1000)
    except PlaywrightTimeout:
        t = page.evaluate("() => window.__hpqa")
        shown = page.get_by_test_id("stChatMessage").last.inner_text() if t["enter"] is not None else ""
        raise AssertionError(f"answer {turn} to {question!r} not complete after {timeout_s:g} s (Enter seen: "
                             f"{t['enter'] is not None}, first character: {t['first'] is not None}, citation card: "
                             f"{t['done'] is not None}); last message: {shown[:300]!r}") from None
    t = page.evaluate("() => window.__hpqa")
    return {"question": question, "turn": turn,
            "first_char_s": round((t["first"] - t["enter"]) / 1000, 3),
            "complete_s": round((t["done"] - t["enter"]) / 1000, 3)}


def wait_idle(page, timeout_s: float = 120.0) -> None:
    """Wait until no script run is in progress (Streamlit's running icon is gone), as a user would."""
    page.get_by_test_id("stStatusWidgetRunningIcon").wait_for(state="detached", timeout=timeout_s * 1000)


def open_app(page, url: str, timeout_s: float = 180.0) -> float:
    """Load the app and wait for the chat input; return the seconds that took."""
    start = time.perf_counter()
    page.goto(url)
    page.locator(CHAT_INPUT).wait_for(state="visible", timeout=timeout_s * 1000)
    return round(time.perf_counter() - start, 3)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile: the smallest value with at least p% of the values at or below it.

    >>> percentile([0.3, 0.1, 0.2, 0.4], 50), percentile([0.3, 0.1, 0.2, 0.4], 95)
    (0.2, 0.4)
    """
    s = sorted(values)
    return s[max(1, math.ceil(p / 100 * len(s))) - 1]


def run_flow(playwright, url: str, profile: Path) -> dict:
    """One user: a fresh profile and session asking QUESTIONS in order (viewing the first answer's
    source in between, as the browser test does); timings per question."""
    ctx = launch_browser(playwright, profile)
    try:
        page = ctx.new_page()
        load_s = open_app(page, url)
        asked = []
        for turn, (q, expect) in enumerate(QUESTIONS):
            r = ask(page, q, turn)
            text = page.locator(answer_sel(turn)).inner_text()
            if expect not in text:
                raise AssertionError(f"answer {turn} to {q!r} lacks {expect!r}: {text[:200]!r}")
            asked.append(r)
            if turn == 0:  # as in the test: open the first card's source, then close it
                page.locator(".st-key-src-0-0 button").click()
                page.frame_locator('[data-testid="stDialog"] iframe').locator("mark#hl").wait_for()
                page.get_by_test_id("stDialog").get_by_role("button", name="Close").click()
                page.get_by_test_id("stDialog").wait_for(state="detached")
        return {"load_s": load_s, "questions": asked}
    finally:
        ctx.close()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=5, help="browser sessions, each asking the 3 questions (default 5)")
    p.add_argument("--index", type=Path, default=None,
                   help="index folder (default: the app's own default, data/index, or $HPQA_INDEX_DIR)")
    args = p.parse_args()
    if args.runs < 1:
        p.error(f"--runs must be at least 1, got {args.runs}")
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} is missing: run `make system-deps` (installs Debian's chromium)")
    with tempfile.TemporaryDirectory() as tmp, start_app(args.index, Path(tmp) / "streamlit.log") as url, \
            sync_playwright() as pw:
        runs = []
        for i in range(args.runs):
            r = run_flow(pw, url, Path(tmp) / f"profile-{i}")
            runs.append(r)
            cells = "  ".join(f"{q['first_char_s']:.2f}/{q['complete_s']:.2f}" for q in r["questions"])
            print(f"run {i + 1}: page load {r['load_s']:.1f} s; first char/complete per question (s): {cells}",
                  flush=True)
    cold = runs[0]["questions"][0]
    warm = [q for r in runs for q in r["questions"]][1:]
    print(f"\ncold (first question after start-up): first char {cold['first_char_s']:.3f} s, "
          f"complete {cold['complete_s']:.3f} s; first page load {runs[0]['load_s']:.1f} s")
    if not warm:
        return
    for name, key, limit in (("first char", "first_char_s", FIRST_CHAR_LIMIT_S),
                             ("complete", "complete_s", COMPLETE_LIMIT_S)):
        v = [q[key] for q in warm]
        print(f"warm {name:<10} (n={len(v)}): p50 {percentile(v, 50):.3f} s, p95 {percentile(v, 95):.3f} s, "
              f"max {max(v):.3f} s  (target <= {limit:g} s)")


if __name__ == "__main__":
    main()
