#!/usr/bin/env bash
# Makes a Docker engine answer on this machine: installs Debian's docker.io, docker-compose,
# debootstrap and prometheus (for promtool) when missing, and starts dockerd in the background
# when no engine answers. Idempotent; exits 75 (try again later) when the engine cannot be started.
set -euo pipefail
log() { printf '[ensure-docker] %s\n' "$*" >&2; }
DOCKER=/usr/bin/docker

need=()
for pair in dockerd:docker.io docker-compose:docker-compose debootstrap:debootstrap promtool:prometheus; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair#*:}")
done
if [ "${#need[@]}" -gt 0 ]; then
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # policy-rc.d keeps the prometheus package from starting a daemon on the host.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/tmp/stackgen-apt.log 2>&1 || { tail -n 30 /tmp/stackgen-apt.log >&2; exit 1; }
  rm -f /usr/sbin/policy-rc.d
fi

if ! "$DOCKER" info >/dev/null 2>&1; then
  log "starting dockerd (log: /var/log/dockerd.log)"
  setsid nohup dockerd >/var/log/dockerd.log 2>&1 </dev/null &
  for _ in $(seq 1 60); do
    "$DOCKER" info >/dev/null 2>&1 && break
    sleep 1
  done
fi
if ! "$DOCKER" info >/dev/null 2>&1; then
  log "Docker did not start; last lines of /var/log/dockerd.log:"
  tail -n 20 /var/log/dockerd.log >&2 || true
  exit 75
fi
log "Docker $("$DOCKER" info --format '{{.ServerVersion}}') is up"
