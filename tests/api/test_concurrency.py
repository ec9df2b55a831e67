"""The server answers many requests at once from one embedder: its query vectors must not mix between threads.

Found by the load test (bench/api_load.py): the OpenVINO backend shared one
infer request between threads, so about 85 % of concurrent query vectors came
back wrong or failed. The real default embedder, 8 threads.
"""
from __future__ import annotations

import threading

import numpy as np

QUESTIONS = ["金山区家庭医生签约率是多少？", "闵行区2024年户籍婴儿死亡率是多少？", "What is Jinshan's 2025 target for health literacy?",
             "宝山社区晚上几点还能看病？"]


def test_concurrent_query_embeddings_equal_sequential_ones():
    from index.embed import make_embedder
    from settings import Settings

    embedder = make_embedder(Settings(_env_file=None, embedder="e5"))
    reference = {q: embedder.embed([q], "query")[0] for q in QUESTIONS}
    wrong, errors = [], []

    def worker(i: int) -> None:
        for k in range(20):
            q = QUESTIONS[(i + k) % len(QUESTIONS)]
            try:
                v = embedder.embed([q], "query")[0]
            except Exception as e:  # noqa: BLE001 - counted, then asserted on
                errors.append(repr(e))
                continue
            if float(np.dot(v, reference[q])) < 0.999:
                wrong.append(q)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and not wrong, (len(errors), len(wrong), errors[:2])
