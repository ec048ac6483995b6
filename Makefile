# Two commands set everything up on a fresh Debian machine:
#   make demo   venv + system and Python packages, then analyze the bundled example answer
#   make test   the same set-up, then the whole test suite (real model, real audio)
#   make bench  the same set-up plus real speech and the bench extra, then bench/speed.py (~30 min)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_ANSWER := fixtures/audio/architecture-opening.flac
# Debian packages the tool and its tests need: PortAudio for the microphone; PulseAudio (a null sink
# as a paced virtual microphone), its ALSA plugin and tools for the live-recording tests and benchmark;
# Chromium, the real browser the HTML report is tested in (driven by Playwright, which uses it as is).
SYSTEM_PACKAGES := libportaudio2 pulseaudio pulseaudio-utils libasound2-plugins alsa-utils chromium
# Real human speech with reference transcripts, for the speed and decode-settings benchmarks only.
BENCH_PACKAGES := asterisk-core-sounds-en-wav asterisk-core-sounds-en pocketsphinx-testdata

.PHONY: demo test bench system-packages venv clean

demo: venv
	$(BIN)/rehearse analyze $(DEMO_ANSWER)

test: venv
	$(BIN)/python -m pytest -ra

bench: venv
	@$(MAKE) --no-print-directory system-packages SYSTEM_PACKAGES="$(BENCH_PACKAGES)"
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python bench/speed.py

venv: system-packages $(STAMP)

# Installs only what is missing, so a second run needs neither root nor network.
system-packages:
	@missing=""; \
	for pkg in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "ok installed" || missing="$$missing $$pkg"; \
	done; \
	$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("rehearse needs Python >= 3.11") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
