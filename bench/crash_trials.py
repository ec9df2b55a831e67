"""Crash safety: kill -9 a real ingest at random points; the previous index must load and answer, a re-run must finish.

Each trial changes one document (a trial marker after every "。", so all its
chunks are re-embedded), starts `python -m ingest` with the real e5 model,
and sends SIGKILL at a random moment: either uniformly over a whole run's
duration, or shortly after the new version's `.partial` folder appears (the
write phase, which a uniform time rarely hits). Then it checks that
  1. the index loads (the previous version, or the new one if the kill came after the swap),
  2. it answers a known question with a citation,
  3. a re-run completes (exit 0) and indexes every document with its new hash.

    .venv/bin/python -m bench.crash_trials [--trials 20] [--embedder e5] [--seed 7]
"""
from __future__ import annotations

import argparse
import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.common import scratch_corpus

ROOT = Path(__file__).resolve().parents[1]
DOCS = ("000_0426b2a34853e0bc.txt", "002_55ed37559ab106e9.txt", "004_6549651109aa6bb6.txt")
QUESTION, EXPECT = "金山区家庭医生签约率是多少？", "49.13%"


@dataclass
class Trial:
    n: int
    mode: str
    killed_at_s: float
    phase: str  # what the killed run had reached: "before writing", "writing", "after the swap", "finished"
    loaded: str  # "previous" | "new" | the error
    answered: bool
    rerun_ok: bool

    @property
    def recovered(self) -> bool:
        return self.loaded in ("previous", "new") and self.answered and self.rerun_ok


def _ingest_cmd(corpus: Path, index: Path) -> list[str]:
    return [sys.executable, "-m", "ingest", "--corpus", str(corpus), "--index", str(index), "--quiet"]


def _current(index: Path) -> str:
    p = index / "CURRENT"
    return p.read_text().strip() if p.is_file() else ""


def _answers(settings, embedder, index: Path) -> tuple[str, bool]:
    from answer.generate import make_generator
    from answer.pipeline import Answerer
    from index.search import Searcher
    from index.store import load_index

    try:
        idx = load_index(index)
    except Exception as e:  # noqa: BLE001 - any failure to load is what this bench counts
        return f"{type(e).__name__}: {e}", False
    a = Answerer(Searcher(idx, embedder), make_generator("extractive", settings), settings, corpus_dir=settings.corpus_dir)
    answer = a.answer(QUESTION)
    return idx.folder.name, EXPECT in answer.text and bool(answer.citations)


def _mutate(corpus: Path, trial: int) -> str:
    doc = DOCS[trial % len(DOCS)]
    original = (ROOT / "corpus" / doc).read_text(encoding="utf-8")
    (corpus / doc).write_text(original.replace("。", f"。〔修订{trial}〕"), encoding="utf-8")
    return doc


def run_trials(work: Path, trials: int, embedder_name: str, seed: int, log=print) -> list[Trial]:
    """Run until `trials` runs were really killed (at most 2 x trials runs); returns every run."""
    from index.embed import make_embedder
    from settings import Settings

    rng = random.Random(seed)
    corpus, index = scratch_corpus(work), work / "index"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HPQA_EMBEDDER": embedder_name}
    first = subprocess.run(_ingest_cmd(corpus, index), cwd=ROOT, env=env, capture_output=True, text=True)
    if first.returncode != 0:
        raise SystemExit(f"the first ingest failed:\n{first.stdout}{first.stderr}")
    settings = Settings(_env_file=None, embedder=embedder_name, index_dir=index, corpus_dir=corpus)
    embedder = make_embedder(settings)
    # one uninterrupted changed-document run, to know how long a run takes
    _mutate(corpus, -1)
    t0 = time.perf_counter()
    subprocess.run(_ingest_cmd(corpus, index), cwd=ROOT, env=env, capture_output=True, check=True)
    full = time.perf_counter() - t0
    log(f"an uninterrupted ingest of one changed document takes {full:.1f} s; {trials} trials follow")
    out: list[Trial] = []
    n = -1
    while sum(t.phase != "finished" for t in out) < trials and len(out) < 2 * trials:
        n += 1
        _mutate(corpus, n)
        before = _current(index)
        stale = set(index.glob(".v-*.partial"))  # left by earlier killed writers

        def writing() -> bool:
            return bool(set(index.glob(".v-*.partial")) - stale)

        mode = "uniform" if n % 2 == 0 else "write phase"
        proc = subprocess.Popen(_ingest_cmd(corpus, index), cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        t0 = time.perf_counter()
        if mode == "uniform":
            deadline = t0 + rng.uniform(0.2, full * 0.9)
            while time.perf_counter() < deadline and proc.poll() is None:
                time.sleep(0.005)
        else:
            while proc.poll() is None and not writing() and time.perf_counter() - t0 < full * 3:
                time.sleep(0.002)
            time.sleep(rng.uniform(0.0, 0.15))
        partial = writing()
        finished = proc.poll() is not None
        if not finished:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed_at = time.perf_counter() - t0
        swapped = _current(index) != before
        phase = "finished" if finished else "after the swap" if swapped else "writing" if partial else "before writing"
        loaded, answered = _answers(settings, embedder, index)
        loaded_kind = "new" if loaded == _current(index) and swapped else "previous" if loaded == before else loaded
        rerun = subprocess.run(_ingest_cmd(corpus, index), cwd=ROOT, env=env, capture_output=True, text=True)
        from index.store import read_manifest

        manifest = read_manifest(index) or {"documents": {}}
        want = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in corpus.iterdir() if p.name != "metadata.json"}
        rerun_ok = rerun.returncode == 0 and {d: v["sha256"] for d, v in manifest["documents"].items()} == want
        trial = Trial(n + 1, mode, killed_at, phase, loaded_kind, answered, rerun_ok)
        log(f"trial {trial.n:2d}  {mode:11}  killed at {killed_at:5.2f} s  {phase:14}  loads {loaded_kind:8}  "
            f"answers {'yes' if answered else 'NO':3}  re-run {'ok' if rerun_ok else 'FAILED'}")
        out.append(trial)
    leftovers = sorted(p.name for p in index.glob(".v-*.partial"))
    log(f"partial folders left by killed writers (removed after an hour by the next writer): {len(leftovers)}")
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.crash_trials", description=__doc__.split("\n\n")[0])
    p.add_argument("--trials", type=int, default=20, help="kills (default 20)")
    p.add_argument("--embedder", default="e5", choices=["e5", "hash"], help="embedder of the ingest (default e5)")
    p.add_argument("--seed", type=int, default=7, help="random seed for the kill times")
    p.add_argument("--work", type=Path, default=ROOT / "out" / "crash_trials", help="scratch folder (replaced)")
    args = p.parse_args(argv)
    runs = run_trials(args.work, args.trials, args.embedder, args.seed)
    trials = [t for t in runs if t.phase != "finished"]  # a run that ended before its kill time is not a trial
    ok = sum(t.recovered for t in trials)
    phases = {ph: sum(t.phase == ph for t in trials) for ph in ("before writing", "writing", "after the swap")}
    print(f"\ncrash trials: {ok}/{len(trials)} recovered (previous or new index loaded and answered; re-run completed)")
    print("killed in phase: " + ", ".join(f"{k} {v}" for k, v in phases.items())
          + f" (runs that finished before their kill time, not counted: {len(runs) - len(trials)})")
    return 0 if ok == len(trials) else 1


if __name__ == "__main__":
    sys.exit(main())
