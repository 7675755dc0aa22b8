#!/usr/bin/env bash
# Installs what the tests need besides Rust, from Debian's packages: poppler-utils (pdftotext,
# pdftoppm), to read the generated PDFs back, unzip (Info-ZIP), to extract and test the
# archives as users do, and chromium, to drive the upload page of `dangjian serve` headless
# (tests/server_browser.rs). Does nothing when all are installed; quiet otherwise. Without
# chromium the browser test says it was skipped.
set -euo pipefail
missing=()
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v unzip >/dev/null 2>&1 || missing+=(unzip)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
if ! command -v pdftotext >/dev/null 2>&1; then
  $SUDO apt-get install -y -qq --no-install-recommends poppler-utils >/dev/null
fi
if ! command -v unzip >/dev/null 2>&1; then
  $SUDO apt-get install -y -qq --no-install-recommends unzip >/dev/null
fi
if ! command -v chromium >/dev/null 2>&1; then
  $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 \
    || echo "install-test-deps: chromium could not be installed; the browser test will be skipped" >&2
fi
command -v pdftotext >/dev/null
