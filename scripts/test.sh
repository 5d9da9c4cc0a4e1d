#!/usr/bin/env bash
# Every suite, in order of speed: static checks, math unit tests, WGSL kernels on a real WebGPU
# adapter (SwiftShader without a GPU), then the built app end to end in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-deps.sh
[ -d node_modules ] || npm ci

step() { echo; echo "== $1"; }
step "typecheck";     npx tsc --noEmit -p tsconfig.json
step "lint";          npx eslint .
step "format";        npx prettier --check . >/dev/null || { npx prettier --check .; exit 1; }
step "unit tests";    npx vitest run --project unit
step "GPU tests";     bash scripts/with-swiftshader.sh npx vitest run --project gpu
step "build";         npx vite build --logLevel warn
step "e2e tests";     bash scripts/with-swiftshader.sh node --test e2e/
step "CLI smoke";     node bin/otlab.mjs sinkhorn --input examples/sinkhorn.json --out /tmp/otlab-sinkhorn.json
echo; echo "All suites passed."
