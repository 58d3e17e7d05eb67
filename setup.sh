#!/usr/bin/env bash
# One-time (and idempotent) set-up: system libraries, a virtual environment in
# .venv, and the project with its test extras. Safe to run again at any time.
set -euo pipefail
cd "$(dirname "$0")"

# WeasyPrint needs Pango; HarfBuzz's subsetter makes font subsetting ~10x faster;
# poppler-utils gives pdftotext/pdftoppm for the tests and the README images.
SYSTEM_PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 poppler-utils"
missing=$(for p in $SYSTEM_PACKAGES; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
if [ -n "$missing" ]; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".[test]"
