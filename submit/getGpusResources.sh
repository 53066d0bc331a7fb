#!/usr/bin/env bash
# Spark's GPU discovery script (spark.executor.resource.gpu.discoveryScript and the driver's):
# prints the GPUs this executor may use as Spark's resource JSON,
#   {"name": "gpu", "addresses": ["0", "1"]}
# from nvidia-smi's device indices. Fails with a message on stderr when nvidia-smi fails or
# lists no GPU, so Spark names the cause instead of starting an executor without its GPU.
set -euo pipefail

if ! indices="$(nvidia-smi --query-gpu=index --format=csv,noheader 2>&1)"; then
  echo "Cannot discover GPUs: nvidia-smi failed (${indices//$'\n'/ })" >&2
  exit 1
fi
addresses=""
while read -r index; do
  [[ -z "$index" ]] && continue
  if [[ ! "$index" =~ ^[0-9]+$ ]]; then
    echo "Cannot discover GPUs: nvidia-smi printed a line that is not a device index ($index)" >&2
    exit 1
  fi
  addresses+="${addresses:+, }\"$index\""
done <<< "$indices"
if [[ -z "$addresses" ]]; then
  echo "Cannot discover GPUs: nvidia-smi lists none" >&2
  exit 1
fi
echo "{\"name\": \"gpu\", \"addresses\": [$addresses]}"
