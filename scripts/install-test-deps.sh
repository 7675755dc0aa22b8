#!/usr/bin/env bash
# Installs what the tests need besides Rust: poppler-utils (pdftotext, pdftoppm), used to read
# the text of the generated PDFs back. Does nothing when already installed.
set -euo pipefail
if command -v pdftotext >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends poppler-utils >/dev/null
command -v pdftotext >/dev/null
