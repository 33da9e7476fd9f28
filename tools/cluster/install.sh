#!/usr/bin/env bash
# Installs what a netllm cluster with durable state needs on this machine (issue 18): Debian's redis-server
# (apt-get, only when missing). The tests and `netllm cluster silo` start their own redis-server processes; the
# system service is not needed and is not started. Run as root (CI and the development machines are). Idempotent.
set -euo pipefail
if ! command -v redis-server >/dev/null 2>&1; then
  echo "install.sh: apt-get install redis-server"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends redis-server >/dev/null
  # The package starts its own service on port 6379 where an init system runs; the tests use their own ports.
fi
echo "install.sh: $(redis-server --version | awk '{print $1, $2, $3}')"
