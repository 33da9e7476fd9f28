#!/usr/bin/env bash
# Installs what the real-player testbed (netllm realtest, issue 17) needs: Debian's chromium and ffmpeg (apt-get,
# only when missing) and the player page's npm packages (npm ci: dash.js pinned in package-lock.json).
# Run as root (CI and the development machines are). Idempotent; prints what it did.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
missing=()
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "install.sh: apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ ! -f "$here/node_modules/dashjs/dist/modern/umd/dash.all.min.js" ]; then
  echo "install.sh: npm ci in $here"
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "install.sh: chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'), $(ffmpeg -version | head -n 1 | awk '{print $1, $3}'), dash.js $(node -p "require('$here/node_modules/dashjs/package.json').version" 2>/dev/null || echo '?')"
