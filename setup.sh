#!/usr/bin/env bash
# One-time (and idempotent) set-up: system libraries, a virtual environment in
# .venv, and the project with its test extras. Safe to run again at any time.
set -euo pipefail
cd "$(dirname "$0")"

# WeasyPrint needs Pango; HarfBuzz's subsetter makes font subsetting ~10x faster;
# poppler-utils gives pdftotext/pdftoppm for the tests and the README images.
# The web tests open the site in Debian's chromium (driven by playwright, which never
# downloads a browser of its own here) and read QR codes with zbar; npm brings axe-core.
SYSTEM_PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 poppler-utils chromium zbar-tools"
command -v npm >/dev/null 2>&1 || SYSTEM_PACKAGES="$SYSTEM_PACKAGES npm"
missing=$(for p in $SYSTEM_PACKAGES; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
if [ -n "$missing" ]; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".[test]"

# axe-core, the accessibility rules the web tests run in the browser: one pinned version,
# kept inside .venv (ignored by git), installed again only when another version is there.
AXE_VERSION=4.14.1
AXE_PACKAGE=.venv/node/node_modules/axe-core/package.json
if ! grep -q "\"version\": \"$AXE_VERSION\"" "$AXE_PACKAGE" 2>/dev/null; then
    npm install --prefix .venv/node --no-audit --no-fund --silent --save-exact "axe-core@$AXE_VERSION" >/dev/null
fi
