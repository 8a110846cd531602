#!/usr/bin/env bash
# Makes a Docker engine answer on this machine (Debian bookworm, root):
#  1. installs Debian's docker.io, docker-compose (v1), debootstrap, prometheus (for promtool) and
#     shellcheck (the rendered CI scripts are checked with it) and docker-registry (a local registry
#     the digest-pinning tests push to and resolve from)
#     when missing, without letting package scripts start daemons on the host;
#  2. installs the Compose v2 and buildx CLI plugins from Debian trixie (bookworm has neither), into
#     /usr/local/lib/docker/cli-plugins where both the Debian and a newer docker client look;
#  3. starts dockerd in the background when no engine answers (log: /var/log/dockerd.log).
# Idempotent: every step is skipped when its result is already there. Exits 75 when the engine
# cannot be started. STACKGEN_SKIP_PLUGINS=1 keeps Compose v1 only; --packages-only stops after 1.
set -euo pipefail
log() { printf '[ensure-docker] %s\n' "$*" >&2; }
DOCKER=/usr/bin/docker
PLUGINS=/usr/local/lib/docker/cli-plugins

# Runs apt-get install with policy-rc.d in place, so e.g. prometheus is never started as a host daemon.
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  local had_policy=0
  [ -e /usr/sbin/policy-rc.d ] && had_policy=1
  [ "$had_policy" = 1 ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; }
  local rc=0
  apt-get install -y -q --no-install-recommends "$@" >/tmp/stackgen-apt.log 2>&1 || rc=$?
  [ "$had_policy" = 1 ] || rm -f /usr/sbin/policy-rc.d
  if [ "$rc" != 0 ]; then tail -n 30 /tmp/stackgen-apt.log >&2; return "$rc"; fi
}

debian_mirror() { bash "$(dirname "${BASH_SOURCE[0]}")/debian-mirror.sh"; }

need=()
for pair in dockerd:docker.io docker-compose:docker-compose debootstrap:debootstrap promtool:prometheus shellcheck:shellcheck docker-registry:docker-registry; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair#*:}")
done
[ -e /etc/ssl/certs/ca-certificates.crt ] || need+=(ca-certificates)
if [ "${#need[@]}" -gt 0 ]; then
  log "installing ${need[*]}"
  apt-get update -q >/tmp/stackgen-apt-update.log 2>&1 || { tail -n 20 /tmp/stackgen-apt-update.log >&2; exit 1; }
  apt_install "${need[@]}"
fi
# The prometheus package ships a service; stackgen only wants promtool on the host. Ask its init
# script (never pgrep: prometheus processes inside test containers are visible from the host too).
if [ -x /etc/init.d/prometheus ] && /etc/init.d/prometheus status >/dev/null 2>&1; then
  log "stopping the host prometheus service the package started"
  /etc/init.d/prometheus stop >/dev/null 2>&1 || true
  update-rc.d prometheus disable >/dev/null 2>&1 || true
fi

[ "${1:-}" = --packages-only ] && exit 0

# Compose v2 + buildx: Debian trixie's packages need only libc >= 2.34, so bookworm runs them.
# They are fetched with a private apt state (the host's sources stay untouched) and verified by
# apt against the Debian archive keyring like any other package.
install_plugins() {
  if [ -x "$PLUGINS/docker-compose" ] && [ -x "$PLUGINS/docker-buildx" ]; then return 0; fi
  local mirror work
  mirror="$(debian_mirror)" || { log "no Debian mirror in /etc/apt/sources*; keeping Compose v1"; return 1; }
  work="$(mktemp -d /tmp/stackgen-plugins.XXXXXX)"
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/debs" "$work/x"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main" > "$work/sources.list"
  local opts=(-q -o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/nonexistent
    -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o Dir::State::status=/dev/null
    -o APT::Sandbox::User=root)
  if ! { apt-get "${opts[@]}" update && (cd "$work/debs" && apt-get "${opts[@]}" download docker-compose docker-buildx); } >"$work/apt.log" 2>&1; then
    tail -n 20 "$work/apt.log" >&2; rm -rf "$work"; return 1
  fi
  local deb
  for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/x"; done
  install -d "$PLUGINS"
  install -m 0755 "$work/x/usr/libexec/docker/cli-plugins/docker-compose" "$work/x/usr/libexec/docker/cli-plugins/docker-buildx" "$PLUGINS/"
  rm -rf "$work"
}
if [ "${STACKGEN_SKIP_PLUGINS:-0}" != 1 ]; then
  if install_plugins; then
    log "CLI plugins: $("$DOCKER" compose version 2>/dev/null || echo 'compose ?'), $("$DOCKER" buildx version 2>/dev/null | awk '{print "buildx " $2}' || echo 'buildx ?')"
  else
    log "WARNING: could not install the Compose v2/buildx plugins; Compose v1 (docker-compose) remains"
  fi
fi

if ! "$DOCKER" info >/dev/null 2>&1; then
  log "starting dockerd (log: /var/log/dockerd.log)"
  setsid nohup dockerd >>/var/log/dockerd.log 2>&1 </dev/null &
  for _ in $(seq 1 60); do
    "$DOCKER" info >/dev/null 2>&1 && break
    sleep 1
  done
fi
if ! "$DOCKER" info >/dev/null 2>&1; then
  log "ERROR: Docker did not answer within 60s; last lines of /var/log/dockerd.log:"
  tail -n 20 /var/log/dockerd.log >&2 || true
  exit 75
fi
log "Docker Engine $("$DOCKER" info --format '{{.ServerVersion}}') is up"
