#!/usr/bin/env bash
# The demo behind `make demo`: the main job end to end on local services. It starts PostgreSQL, RabbitMQ and
# s3rver, trains the tiny model on the real paired images (or reuses the one trained before), registers it,
# runs the API server and a worker, submits a batch of held-out items (query = the item's map, context = other
# photos of its domain) through the API, waits for it, downloads the outputs, and prints where they are.
#   DATA=dir          dataset folder with manifest.jsonl (default ../shared/data; without it, a synthetic set)
#   ITEMS=n           items in the batch (default 16)
#   TRAIN_MINUTES=m   training time when no model exists yet (default 10)
#   DEMO_PORT=p       the API server's port (default 5080)
#   KEEP=1            leave the server and worker running afterwards, to look at the dashboard
set -euo pipefail
cd "$(dirname "$0")/../.."

data=${DATA:-../shared/data}
items=${ITEMS:-16}
port=${DEMO_PORT:-5080}
model=.local/models/tiny
demo=.local/demo
cdiff=(dotnet src/ContextDiffusion.Cli/bin/Release/net10.0/cdiff.dll)
mkdir -p "$demo"

dotnet build src/ContextDiffusion.Cli -c Release --nologo -v quiet
if [ -z "${DATA:-}" ] && [ ! -f "$data/manifest.jsonl" ]; then
  data=.local/synthetic
  [ -f "$data/manifest.jsonl" ] || "${cdiff[@]}" datasets synthesize --out "$data" --items 96
fi
bash deploy/local/services.sh up
# shellcheck disable=SC1091
source .local/services/env
"${cdiff[@]}" db migrate

if [ ! -f "$model/model.safetensors" ]; then
  "${cdiff[@]}" train --data "$data" --config tiny --minutes "${TRAIN_MINUTES:-10}" --lr 3e-4 --out "$model"
fi

# The API server and one worker, in the background for the length of the demo.
secret() { [ -f "$1" ] || head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$1"; cat "$1"; }
export CDIFF_API_KEY=$(secret "$demo/api-key") CDIFF_SERVER=http://127.0.0.1:$port
dashboard_password=$(secret "$demo/dashboard-password")
Server__BootstrapApiKey=$CDIFF_API_KEY Dashboard__Users__0__Name=admin Dashboard__Users__0__Role=admin \
  Dashboard__Users__0__Password=$(printf '%s\n' "$dashboard_password" | "${cdiff[@]}" dashboard hash-password) \
  "${cdiff[@]}" serve --urls "$CDIFF_SERVER" >"$demo/server.log" 2>&1 &
server=$!
"${cdiff[@]}" worker --device cpu --name demo-worker >"$demo/worker.log" 2>&1 &
worker=$!
[ "${KEEP:-0}" = 1 ] || trap 'kill $server $worker 2>/dev/null; wait $server $worker 2>/dev/null' EXIT
for _ in $(seq 1 120); do
  curl -fs "$CDIFF_SERVER/health" >/dev/null 2>&1 && break
  kill -0 $server 2>/dev/null || { echo "demo: the server stopped; see $demo/server.log" >&2; tail -20 "$demo/server.log" >&2; exit 1; }
  sleep 0.5
done

# Register the trained model once; the version id is kept so a second demo run reuses it.
version_file=$demo/model-version
if [ ! -f "$version_file" ] || ! "${cdiff[@]}" models list | grep -q "id=$(cat "$version_file") "; then
  "${cdiff[@]}" models import --dir "$model" --name tiny-demo --promote | tee "$demo/import.log"
  grep -o 'id=[0-9a-f-]*' "$demo/import.log" | head -1 | cut -d= -f2 >"$version_file"
fi

# A name per run: the idempotency key derives from the request, so without it a second demo would get the
# first one's batch back instead of generating (and its outputs may have been cleaned up since).
"${cdiff[@]}" submit --data "$data" --held-out --limit "$items" --model "$(cat "$version_file")" \
  --name "demo $(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  --wait --out "$demo/outputs" | tee "$demo/submit.log"
summary=$(grep '^submit: batch=.* succeeded=' "$demo/submit.log" | tail -1)
batch=$(sed -E 's/.*batch=([0-9a-f-]+).*/\1/' <<<"$summary")
succeeded=$(sed -E 's/.*succeeded=([0-9]+).*/\1/' <<<"$summary")
failed=$(sed -E 's/.*failed=([0-9]+).*/\1/' <<<"$summary")
total=$(grep -o '^submit: batch=[^ ]* items=[0-9]*' "$demo/submit.log" | head -1 | sed -E 's/.*items=//')
if [ "${KEEP:-0}" = 1 ]; then
  echo "dashboard: $CDIFF_SERVER/dashboard user=admin password=$dashboard_password (server pid $server, worker pid $worker)"
fi
echo "demo: batch=$batch items=$total succeeded=$succeeded failed=$failed outputs=s3://cdiff-outputs/outputs/${batch//-/}/ saved=$(realpath "$demo/outputs")"
