# The two commands of README.md: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run install install-test test test-sqlite test-postgres lint browser-deps clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .

install-test: $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'

run: install
	$(BIN)/huitoukan migrate --no-input -v 0
	$(BIN)/huitoukan demo
	@echo "打开 http://$(HOST)/ ，用上面的演示账号登录。"
	$(BIN)/huitoukan serve --bind $(HOST)

# Chromium and the CJK fonts come from Debian (never a browser download); skipped where apt is not ours.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && (apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 >/dev/null); } || echo "chromium not installed: browser tests will be skipped"

lint: install-test
	$(BIN)/ruff check huitoukan tests benchmarks
	$(BIN)/lint-imports --no-cache

# One pytest-xdist worker per core, each with its own test database (files stay whole: pyproject.toml).
test: install-test browser-deps
	$(BIN)/pytest -q -n auto

clean:
	rm -rf $(VENV) var
