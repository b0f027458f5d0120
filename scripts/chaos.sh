#!/usr/bin/env bash
# The chaos run for people (docs/reliability.md): the CI test ChaosTests, scaled up. It starts its own system through
# the AppHost (as the tests do), places orders with twice the clients and SCALE times the orders per fault while it
# kills Orders mid-saga twice, Inventory and Payments, restarts PostgreSQL, stops Redis, cuts the broker off and kills
# Notifications mid-backlog, audits the four databases after each fault, and prints the figures table.
#   scripts/chaos.sh [SCALE]   (default 5; 1 is the CI-sized run)
# Exit code: 0 when every audit was clean, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

scale="${1:-5}"
if ! [[ "$scale" =~ ^[1-9][0-9]*$ ]]; then
  echo "error: SCALE must be a whole number from 1, not '$scale'" >&2
  exit 2
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
ORDERSYSTEM_CHAOS_SCALE="$scale" ./test.sh --filter "FullyQualifiedName~OrderSystem.Tests.Chaos.ChaosTests" \
  --logger "console;verbosity=detailed" >"$log" 2>&1 || status=$?

# The test writes its figures as a markdown table to its output.
echo "chaos run, scale $scale:"
grep -E '^\s*\|' "$log" | sed -E 's/^\s+//' | awk '!seen[$0]++' || true
if [ "$status" -ne 0 ]; then
  echo "==> the chaos run failed (exit $status):"
  awk '/^  Failed /{show=1} show' "$log" | head -n 80
fi
exit "$status"
