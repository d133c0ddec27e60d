#!/usr/bin/env bash
# The browser the report tests open pages in: Debian's Chromium, driven by Playwright
# (the Python package, from the `test` extra, told to use /usr/bin/chromium: it never
# downloads a browser of its own). Needs root for apt (as CI has).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
    echo "browser: apt-get install chromium"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q chromium >/dev/null 2>&1 || {
        apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null
    }
fi
echo "browser: $(/usr/bin/chromium --version)"
