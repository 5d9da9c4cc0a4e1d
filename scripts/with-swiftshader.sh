#!/usr/bin/env bash
# Runs a command with WebGPU pointed at a software Vulkan driver when the machine has no GPU driver
# of its own. Dawn rejects Debian's lavapipe, SwiftShader from the chromium package works.
set -euo pipefail
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp}"
swiftshader=/usr/lib/chromium/vk_swiftshader_icd.json
if [ -z "${VK_ICD_FILENAMES:-}" ] && [ -f "$swiftshader" ]; then
  export VK_ICD_FILENAMES="$swiftshader"
fi
exec "$@"
