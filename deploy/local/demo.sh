#!/usr/bin/env bash
# The demo behind `make demo`: trains the tiny model on the real paired images (or reuses the one trained
# before), then generates for 16 held-out items with context photos of their domain and scores them
# against the true photos. Until the pipeline (RabbitMQ, S3, PostgreSQL) lands this runs in-process.
#   DATA=dir          dataset folder with manifest.jsonl (default ../shared/data)
#   TRAIN_MINUTES=m   training time when no model exists yet (default 10)
set -euo pipefail
cd "$(dirname "$0")/../.."

data=${DATA:-../shared/data}
model=.local/models/tiny
out=.local/demo
cdiff=(dotnet src/ContextDiffusion.Cli/bin/Release/net10.0/cdiff.dll)

dotnet build src/ContextDiffusion.Cli -c Release --nologo -v quiet
if [ ! -f "$model/model.safetensors" ]; then
  "${cdiff[@]}" train --data "$data" --config tiny --minutes "${TRAIN_MINUTES:-10}" --lr 3e-4 --out "$model"
fi
mkdir -p "$out"
"${cdiff[@]}" eval --model "$model" --data "$data" --limit 16 --steps 25 --out "$out/metrics.json"
echo "demo: model=$(realpath "$model") metrics=$(realpath "$out/metrics.json") grid=$(realpath "$out/metrics-grid.png")"
