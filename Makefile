# Everything a newcomer needs: `make run` to try it, `make test` to check it.
VENV   := .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app festival
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT    := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test test-quick install system-packages browser bench bench-serve bench-programme bench-ceremony bench-vote bench-staff bench-phone bench-writes rehearsal load-tools lint format translations messages clean

# Links in pages and emails point where it serves, unless PUBLIC_URL says otherwise.
SERVED := PUBLIC_URL="$${PUBLIC_URL:-http://$(HOST):$(PORT)}"

run: install
	$(FLASK) db upgrade
	$(SERVED) $(FLASK) demo --if-empty
	$(SERVED) $(FLASK) serve --host $(HOST) --port $(PORT)

# One process per core (at most 4): 7 minutes on 2 cores, where one process took 13.
test: install browser
	$(VENV)/bin/pytest -n auto --maxprocesses 4 $(PYTEST_ARGS)

# A couple of minutes while coding: no browser, no fault injection, two processes.
test-quick: install
	$(VENV)/bin/pytest -m "not browser and not faults" -n 2 $(PYTEST_ARGS)

install: system-packages $(VENV)/.installed translations

# ffmpeg/ffprobe process the films; python3-venv makes the virtualenv. Installed only if missing.
system-packages:
	@missing=""; \
	command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 || missing="$$missing ffmpeg"; \
	python3 -c "import ensurepip, venv" >/dev/null 2>&1 || missing="$$missing python3-venv"; \
	command -v python3 >/dev/null 2>&1 || missing="$$missing python3"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  $(APT) update -qq && $(APT) install -y -qq $$missing; \
	fi

# Debian's Chromium for the browser tests (Playwright drives it; no browser download).
browser:
	@command -v chromium >/dev/null 2>&1 || { echo "Installing chromium"; \
	  $(APT) update -qq && $(APT) install -y -qq chromium; }

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[dev,postgres,redis]'
	touch $@

translations: $(VENV)/.installed
	@$(FLASK) translate compile

# After changing user-facing strings: add them to the catalogues, then translate the empty
# entries of festival/translations/en/LC_MESSAGES/messages.po with any PO editor.
messages: $(VENV)/.installed
	$(FLASK) translate update

# Performance figures, on demand: film processing as a team lives it (5-minute films, next to
# the bare ffmpeg commands), then uploads, checks and thumbnails (about 4 GB of free disk).
bench: install
	$(PY) benchmarks/bench_processing.py $(BENCH_ARGS)
	$(PY) benchmarks/bench_films.py

# Pages per second of `make run` next to Werkzeug and the README's gunicorn (wrk).
bench-serve: install load-tools
	$(PY) benchmarks/bench_serve.py $(BENCH_ARGS)

# A whole season rehearsed against the real server, from registrations to erasure (issue 30).
# On PostgreSQL and Redis: make rehearsal DATABASE_URL=postgresql://… REDIS_URL=redis://…
# The CI's short form: make rehearsal REHEARSAL_ARGS=--short
rehearsal: install
	DATABASE_URL="$(DATABASE_URL)" REDIS_URL="$(REDIS_URL)" $(PY) -m tools.rehearsal $(REHEARSAL_ARGS)

# The programme under load: 150 editions, 3,000 films, wrk against gunicorn.
bench-programme: install load-tools
	$(PY) benchmarks/bench_programme.py

# The ceremony night: 300 phones and 5 uploads against nginx + gunicorn + worker (wrk).
# BENCH_ARGS=--short is the CI form (about a minute).
bench-ceremony: install load-tools
	$(PY) benchmarks/bench_ceremony.py $(BENCH_ARGS)

bench-vote: install load-tools
	$(PY) benchmarks/bench_vote.py $(BENCH_ARGS)

# Roll calls and ballots while five teams' films arrive and are processed (target: none over 1 s).
bench-writes: install
	$(PY) benchmarks/bench_writes.py $(BENCH_ARGS)

# Every staff page and export with 2,000 participants and 400 films (target: < 500 ms each).
bench-staff: install
	$(PY) benchmarks/bench_staff_pages.py $(BENCH_ARGS)

# What a phone on slow 3G downloads for /, /programme and a film page, and Lighthouse's mobile
# score (Lighthouse 12 runs on Debian's Node 20; installed once in the benchmarks' cache).
LIGHTHOUSE_DIR := $(HOME)/.cache/festival-bench/lighthouse
bench-phone: install browser
	@command -v npm >/dev/null 2>&1 || { $(APT) update -qq && $(APT) install -y -qq npm; }
	@test -x $(LIGHTHOUSE_DIR)/node_modules/.bin/lighthouse || \
	  npm install --silent --prefix $(LIGHTHOUSE_DIR) -E lighthouse@12.2.3
	$(PY) benchmarks/bench_phone.py $(BENCH_ARGS)

load-tools:
	@command -v wrk >/dev/null 2>&1 && { command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; } \
	  && ls /usr/lib/nginx/modules/ngx_http_brotli_static_module.so >/dev/null 2>&1 || { \
	  echo "Installing wrk and nginx"; $(APT) update -qq && \
	  $(APT) install -y -qq wrk nginx libnginx-mod-http-brotli-static; }

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
