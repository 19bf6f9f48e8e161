#!/usr/bin/env bash
# Installs what building and testing need on a fresh Debian 12 machine (run as root). Idempotent:
# packages already present are not fetched again.
set -euo pipefail

# libopenblas0-openmp replaces the reference BLAS that libtorch-dev pulls in (10x faster matmuls).
packages=(cmake g++ make libtorch-dev libopenblas0-openmp python3-torch python3-numpy libvips-dev libvips-tools)
# The local services (deploy/local/services.sh): PostgreSQL 15, RabbitMQ 3.10, node for s3rver, curl.
service_packages=(postgresql rabbitmq-server)
# The dashboard's browser tests drive Debian's chromium through Playwright (never a downloaded browser).
browser_packages=(chromium)
# `dpkg -s` also succeeds for a removed package whose configuration files remain: ask for the status.
installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}
missing=()
for p in "${packages[@]}" "${service_packages[@]}" "${browser_packages[@]}" curl; do
  installed "$p" || missing+=("$p")
done
# node and npm by command: a NodeSource nodejs brings its own npm and conflicts with Debian's npm.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # The packages' own system services (PostgreSQL on 5432, RabbitMQ on 5672, epmd on 4369) must not
  # start: ours run from services.sh on other ports. policy-rc.d answering 101 forbids starting them
  # during installation (invoke-rc.d and deb-systemd-invoke both honour it); Docker images have one.
  own_policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    own_policy=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' >"$own_policy"
    chmod 755 "$own_policy"
    trap 'rm -f "$own_policy"' EXIT
  fi
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  if [ -n "$own_policy" ]; then
    rm -f "$own_policy"
    trap - EXIT
  fi
  # With systemd they would still start at the next boot: disable the ones installed just now.
  if [ -d /run/systemd/system ]; then
    for p in "${missing[@]}"; do
      case "$p" in
        postgresql) systemctl disable --now postgresql >/dev/null 2>&1 || true ;;
        rabbitmq-server) systemctl disable --now rabbitmq-server epmd.socket epmd.service >/dev/null 2>&1 || true ;;
      esac
    done
  fi
fi

# Said, not fixed: a system PostgreSQL or RabbitMQ that was running before does not disturb ours.
if command -v pg_lsclusters >/dev/null && pg_lsclusters -h 2>/dev/null | grep -q ' online '; then
  echo "note: a system PostgreSQL cluster is running (pg_lsclusters); services.sh uses its own on 55432"
fi
command -v dotnet >/dev/null || { echo "the .NET 10 SDK (dotnet) is required on PATH" >&2; exit 1; }
