#!/usr/bin/env bash
# Installs what building and testing need on a fresh Debian 12 machine (run as root). Idempotent:
# packages already present are not fetched again.
set -euo pipefail

# libopenblas0-openmp replaces the reference BLAS that libtorch-dev pulls in (10x faster matmuls).
packages=(cmake g++ make libtorch-dev libopenblas0-openmp python3-torch python3-numpy libvips-dev libvips-tools)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v dotnet >/dev/null || { echo "the .NET 10 SDK (dotnet) is required on PATH" >&2; exit 1; }
