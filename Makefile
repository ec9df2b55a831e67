# Two commands do all the set-up on a fresh machine of this kind (Debian 12, Python 3.11, root):
#   make run    install, convert the model, build the index on first run, start the chatbot
#   make test   install, then run the test suite (what CI runs)
# `make bench` runs the heavy benchmarks; none of them is part of `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MODEL := models/multilingual-e5-small
PORT ?= 8501
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup model index run test bench system-deps clean-index

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

setup: $(VENV)/.installed

model: setup
	$(PY) -m index.convert_e5 --out $(MODEL)
	$(VENV)/bin/opt_in_out --opt_out >/dev/null  # issue 8: OpenVINO telemetry off before its first import
	$(PY) -m index.export_backend --model $(MODEL)

index: model
	$(PY) -m ingest

run: index
	$(PY) -m streamlit run app.py --server.headless true --server.port $(PORT) --browser.gatherUsageStats false

# Debian packages the tests need: a CJK font (PDF fixtures, screenshots) and Chromium for the
# real-browser tests (Playwright drives /usr/bin/chromium; `playwright install` cannot download here).
system-deps:
	@test -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-zenhei)
	@test -x /usr/bin/chromium || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

test: model system-deps
	$(PY) -m pytest -q

bench: index
	$(PY) -m bench.ingest_speed
	$(PY) -m eval --questions eval/dev.jsonl --out out/dev --baseline
	$(PY) -m eval --questions eval/dev_holdout.jsonl --out out/holdout --baseline
	$(PY) -m bench.eval_ablations
	$(PY) -m bench.commitments
	nice -n 10 $(PY) -m bench.speed  # issue 8: backends, latency, 10k-1M scale (about 25 min; docs/speed.md)
	nice -n 10 $(PY) -m bench.pgvector && nice -n 10 $(PY) -m bench.pg_fts && nice -n 10 $(PY) -m bench.replicas  # issue 12: pgvector vs FAISS, Postgres FTS vs BM25, two replicas under load (about 20 min; docs/scale_out.md)
	nice -n 10 $(PY) -m bench.documents  # issue 10: CER per format, OCR pages/min, dev hit@5 on PDF/scanned corpora (about 30 min; docs/documents.md)
	nice -n 10 $(PY) -m bench.api_load  # issue 11: 50 clients x 60 s on /search and /ask: req/s, p50/p95/p99 (about 3 min; docs/api.md)
	nice -n 10 $(PY) -m bench.crash_trials  # issue 11: 20 kill -9 of a real ingest; previous index loads and answers (about 15 min)
	nice -n 10 $(PY) -m bench.bad_input  # issue 11: the bad-input catalogue through library, API and upload (about 2 min)
	nice -n 10 $(PY) -m bench.fuzz_api  # issue 11: schemathesis from the OpenAPI schema: no 5xx, no undocumented status (about 10 min)

clean-index:
	rm -rf data/index
