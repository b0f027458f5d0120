#!/usr/bin/env bash
# Brings the whole OrderSystem up: installs what is missing, builds, and runs the AppHost, which starts
# PostgreSQL, Redis, Kafka, the dashboard and the five services and prints where to look. Ctrl-C stops it all.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh

ensure_dotnet
ensure_packages "${RUNTIME_PACKAGES[@]}"

echo "==> building"
dotnet build OrderSystem.AppHost -c Release -nologo -clp:ErrorsOnly -v quiet
exec dotnet run --project OrderSystem.AppHost -c Release --no-build -- "$@"
