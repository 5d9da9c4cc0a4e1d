#!/usr/bin/env bash
# Installs the npm dependencies when needed and starts the app's dev server (it prints the URL).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci
exec npx vite --host 127.0.0.1
