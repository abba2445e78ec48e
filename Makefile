# Two commands for a fresh machine: `make site` and `make test`. Both set everything up.
SHELL := /bin/bash
export NO_MKDOCS_2_WARNING := 1
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Python packages come from the lock files only: exact versions and hashes, so the same commit
# installs the same software on any day. `make lock` refreshes them deliberately.
SITE_LOCK := requirements/site.lock
TEST_LOCK := requirements/test.lock
SITE_STAMP := $(VENV)/.installed-site
TEST_STAMP := $(VENV)/.installed-test
UV_VERSION := 0.13.8
# Debian packages: a CJK font for diagrams and print; Chromium, poppler and faketime (builds under
# another clock must give the same bytes) for the tests.
SITE_PACKAGES := fonts-noto-cjk
TEST_PACKAGES := $(SITE_PACKAGES) chromium poppler-utils faketime libreoffice-writer-nogui
# The YAML language server editors use (VS Code, GitLab Web IDE), pinned in tests/editor/package-lock.json,
# for the test that every shipped file shows no mistake in an editor.
EDITOR_CHECK := tests/editor/node_modules/.installed
# axe-core for the accessibility tests, pinned in tests/axe/package-lock.json, installed into tests/axe/node_modules.
AXE_STAMP := tests/axe/node_modules/.package-lock.json
# The benchmark compares in-process layout with one `dot` process per diagram: it needs Graphviz's own `dot`.
BENCH_PACKAGES := $(SITE_PACKAGES) graphviz

.PHONY: site test bench lock validate serve schema clean system-site system-test system-bench

site: $(SITE_STAMP) system-site
	$(BIN)/handbook build

test: $(TEST_STAMP) system-test $(EDITOR_CHECK) $(AXE_STAMP)
	$(BIN)/python -m pytest

# Side-by-side timings on the reference content ×1, ×10, ×50; updates benchmarks/README.md.
# BENCH_ARGS="--scales 1,10 --runs 3" for a shorter run.
bench: $(TEST_STAMP) system-bench
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

validate: $(SITE_STAMP)
	$(BIN)/handbook validate

serve: $(SITE_STAMP) system-site
	$(BIN)/handbook serve

schema: $(SITE_STAMP)
	$(BIN)/handbook schema --write

# A changed lock file gives a fresh environment, so nothing unlocked stays behind.
$(SITE_STAMP): $(SITE_LOCK) pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "需要 Python 3.11：请先安装 python3。" >&2; exit 1; fi
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r $(SITE_LOCK)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

$(TEST_STAMP): $(TEST_LOCK) $(SITE_STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r $(TEST_LOCK)
	touch $@

$(AXE_STAMP): tests/axe/package-lock.json
	@command -v npm >/dev/null || { $(call apt_install,npm); }
	npm ci --prefix tests/axe --ignore-scripts --no-audit --no-fund --silent

# Resolve pyproject.toml into the lock files, with hashes. Pins already there are kept; to move
# every package to the newest version pyproject.toml allows: make lock LOCK_ARGS=--upgrade.
# Review the diff of requirements/, then run `make test` and `make site` before committing it.
LOCK_ARGS ?=
lock: $(SITE_STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip compile pyproject.toml requirements/build.in --extra test --universal --generate-hashes --python-version 3.11 \
	  --quiet --custom-compile-command "make lock" $(LOCK_ARGS) -o $(TEST_LOCK)
	@# The site's packages are a subset of the tests', at the same versions.
	$(BIN)/uv pip compile pyproject.toml requirements/build.in --universal --generate-hashes --python-version 3.11 \
	  --quiet --custom-compile-command "make lock" -c $(TEST_LOCK) -o $(SITE_LOCK)

$(EDITOR_CHECK): tests/editor/package.json tests/editor/package-lock.json
	@command -v npm >/dev/null || { $(call apt_install,npm); }
	npm ci --prefix tests/editor --no-audit --no-fund --loglevel=error
	touch $@

system-site:
	@$(call apt_install,$(SITE_PACKAGES))

# The tests check our browser scripts with a JavaScript parser installed by npm (tests/js/).
system-test:
	@$(call apt_install,$(TEST_PACKAGES))
	@command -v npm >/dev/null || { $(call apt_install,nodejs npm); }

system-bench:
	@$(call apt_install,$(BENCH_PACKAGES))

clean:
	rm -rf site .site-build-* .site-old-* .cache .bench

# Install the missing Debian packages when root; otherwise say what to install and stop.
define apt_install
missing=""; \
for pkg in $(1); do dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$pkg"; done; \
if [ -n "$$missing" ]; then \
  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
    echo "正在安装系统软件包：$$missing"; \
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
  else \
    echo "缺少系统软件包：$$missing" >&2; \
    echo "请以 root 身份重新运行，或先执行：sudo apt-get install$$missing" >&2; \
    exit 1; \
  fi; \
fi
endef
