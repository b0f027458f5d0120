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
exec dotnet test OrderSystem.Tests -c Release --no-build --logger "console;verbosity=normal" "$@"
