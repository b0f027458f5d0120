#!/usr/bin/env bash
# Runs the whole test suite: installs what is missing, builds, and runs OrderSystem.Tests. The tests start every
# server they need (PostgreSQL, Redis, Kafka, the topology through the AppHost) and stop them afterwards.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh

ensure_dotnet
ensure_packages "${RUNTIME_PACKAGES[@]}" "${TEST_PACKAGES[@]}"

echo "==> building"
dotnet build OrderSystem.sln -c Release -nologo -clp:ErrorsOnly -v quiet
echo "==> testing"
# The run's output is long and CI keeps only its tail, so the failures are repeated at the end.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
dotnet test OrderSystem.Tests -c Release --no-build --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log" \
  || status="${PIPESTATUS[0]}"
if [ "$status" -ne 0 ]; then
  echo "==> failed tests (repeated from above)"
  awk '/^  Failed /{show=1} /^  (Passed|Skipped) /{show=0} show' "$log" | head -n 300 || true
fi
exit "$status"
