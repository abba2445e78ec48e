# Two commands for a fresh machine: `make site` and `make test`. Both set everything up.
SHELL := /bin/bash
export NO_MKDOCS_2_WARNING := 1
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Debian packages: a CJK font for diagrams and print; Chromium and poppler for the tests.
SITE_PACKAGES := fonts-noto-cjk
TEST_PACKAGES := $(SITE_PACKAGES) chromium poppler-utils libreoffice-writer-nogui
# The benchmark compares in-process layout with one `dot` process per diagram: it needs Graphviz's own `dot`.
BENCH_PACKAGES := $(SITE_PACKAGES) graphviz

.PHONY: site test bench validate serve schema clean system-site system-test system-bench

site: $(STAMP) system-site
	$(BIN)/handbook build

test: $(STAMP) system-test
	$(BIN)/python -m pytest

# Side-by-side timings on the reference content ×1, ×10, ×50; updates benchmarks/README.md.
# BENCH_ARGS="--scales 1,10 --runs 3" for a shorter run.
bench: $(STAMP) system-bench
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

validate: $(STAMP)
	$(BIN)/handbook validate

serve: $(STAMP) system-site
	$(BIN)/handbook serve

schema: $(STAMP)
	$(BIN)/handbook schema --write

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "需要 Python 3.11：请先安装 python3。" >&2; exit 1; fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

system-site:
	@$(call apt_install,$(SITE_PACKAGES))

system-test:
	@$(call apt_install,$(TEST_PACKAGES))

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
