#!/usr/bin/env bash
# Runs every test project of the solution and ends with one line totalled over all of them:
# "N passed, N failed, N skipped". Exits non-zero when any test failed or a project did not run.
set -uo pipefail
cd "$(dirname "$0")/../.."

# The pipeline's tests talk to real PostgreSQL, RabbitMQ and S3 (s3rver), started here on loopback.
bash deploy/local/services.sh up || exit 1
# shellcheck disable=SC1091
source .local/services/env

log=$(mktemp)
dotnet test ContextDiffusion.Pipeline.sln --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Each test project prints: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ..."
read -r passed failed skipped < <(grep -E '^(Passed|Failed)! +- ' "$log" | awk -F'[:,]' '
  { failed += $2; passed += $4; skipped += $6 }
  END { printf "%d %d %d\n", passed, failed, skipped }')
rm -f "$log"
echo
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
