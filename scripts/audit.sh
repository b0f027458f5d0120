#!/usr/bin/env bash
# Audits a running OrderSystem (docs/reliability.md): asks the diagnostics service's audit API whether every settled
# order agrees across the four databases, and prints each violation with its order and trace id.
#   scripts/audit.sh [--since ISO-8601-TIME] [--baseline ID]   (default: the last 24 hours)
#   scripts/audit.sh --take-baseline                            (a stock baseline to pass to a later audit)
# Exit codes: 0 consistent, 1 violations found, 2 the audit could not run.
set -euo pipefail
cd "$(dirname "$0")/.."

endpoints="${ORDERSYSTEM_STATE_DIR:-.ordersystem}/endpoints.json"
if [ ! -f "$endpoints" ]; then
  echo "error: $endpoints not found: start the system with ./run.sh first" >&2
  exit 2
fi
diagnostics="$(jq -r '.resources.diagnostics.http' "$endpoints")"
token="$(jq -r '.diagnosticsToken' "$endpoints")"
ask() { curl -sS --fail-with-body -H "Authorization: Bearer $token" "$@" || { echo >&2; exit 2; }; }

if [ "${1:-}" = "--take-baseline" ]; then
  ask -X POST "$diagnostics/api/audit/baselines" | jq -r '"baseline \(.id) taken at \(.takenAt) over \(.skus) SKUs"'
  exit 0
fi

query=()
while [ $# -gt 0 ]; do
  case "$1" in
    --since) query+=(--data-urlencode "since=$2"); shift 2 ;;
    --baseline) query+=(--data-urlencode "baseline=$2"); shift 2 ;;
    *) echo "error: unknown option $1" >&2; exit 2 ;;
  esac
done

report="$(ask -G "${query[@]}" "$diagnostics/api/audit")"
jq -r '"audited at \(.auditedAt): \(.confirmed) confirmed, \(.failed) failed, \(.inFlight) in flight, stock balance \(if .stockChecked then "checked" else "not checked (no baseline)" end)"' <<<"$report"
jq -r '.violations[] | "\(.rule)\torder \(.orderId // "-")\ttrace \(.traceId // "-")\t\(if .sku then "sku \(.sku)\t" else "" end)\(.detail)"' <<<"$report"
if [ "$(jq '.violations | length' <<<"$report")" -gt 0 ]; then
  echo "$(jq '.violations | length' <<<"$report") violation(s)"
  exit 1
fi
echo "consistent"
