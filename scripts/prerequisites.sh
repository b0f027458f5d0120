#!/usr/bin/env bash
# Installs the Debian packages OrderSystem needs, once: `apt-get update` then `apt-get install -y` of what is
# missing. Sourced by run.sh and test.sh. As a non-root user it prints what to install instead.
#   ensure_packages PACKAGE...
set -euo pipefail

ensure_packages() {
  local missing=()
  for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$package")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0

  if [ "$(id -u)" -ne 0 ]; then
    echo "error: missing Debian packages: ${missing[*]}" >&2
    echo "       install them with: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi

  echo "==> installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "error: the .NET 10 SDK is not on PATH: install it from https://dot.net/download" >&2
    exit 1
  fi
}

# What the running system needs: PostgreSQL and Redis (librdkafka comes with the librdkafka.redist NuGet package),
# and jq and curl for scripts/audit.sh.
RUNTIME_PACKAGES=(postgresql redis-server jq curl)
# What the tests add: real protocol peers and load tools.
TEST_PACKAGES=(redis-tools chromium)
