#!/usr/bin/env bash
# Builds the stand-in images stackgen's tests and CI run against when no container registry is
# reachable: a debootstrapped Debian base, then node, python, golang, distroless-static,
# nginx-unprivileged, postgres, redis and prometheus built FROM it with Debian's packages.
# scripts/offline-images.yaml maps the pinned upstream references to these tags.
#
# Idempotent: an image is rebuilt only when its tag is missing or its stand-in folder changed
# (a content hash is kept in the image label org.stackgen.standin.hash).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
standins="$here/stand-ins"
DOCKER="${DOCKER:-/usr/bin/docker}"
[ -x "$DOCKER" ] || DOCKER="$(command -v docker)"
export DOCKER_BUILDKIT=1

log() { printf '[offline-images] %s\n' "$*" >&2; }

# The Debian mirror this machine already uses (deb822 or one-line sources), never a hard-coded host.
debian_mirror() {
  local uri
  uri="$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)"
  if [ -z "$uri" ]; then
    uri="$(grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)"
  fi
  [ -n "$uri" ] || { log "no Debian mirror found in /etc/apt/sources*"; exit 1; }
  printf '%s' "$uri"
}

image_label() { "$DOCKER" image inspect --format "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null || true; }

build_base() {
  local tag=stackgen.local/debian:bookworm
  if "$DOCKER" image inspect "$tag" >/dev/null 2>&1; then log "$tag present"; return; fi
  command -v debootstrap >/dev/null || { log "debootstrap is missing: apt-get install -y debootstrap"; exit 1; }
  local rootfs; rootfs="$(mktemp -d /tmp/stackgen-rootfs.XXXXXX)"
  log "debootstrap bookworm (minbase) from the configured Debian mirror"
  debootstrap --variant=minbase bookworm "$rootfs" "$(debian_mirror)" >/tmp/stackgen-debootstrap.log 2>&1 \
    || { tail -n 30 /tmp/stackgen-debootstrap.log >&2; exit 1; }
  # Slim like the upstream -slim images: no apt lists, docs, man pages or caches.
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/*
  printf 'path-exclude /usr/share/doc/*\npath-exclude /usr/share/man/*\npath-exclude /usr/share/locale/*\n' > "$rootfs/etc/dpkg/dpkg.cfg.d/excludes"
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' > "$rootfs/etc/apt/apt.conf.d/99stackgen-slim"
  tar -C "$rootfs" -c . | "$DOCKER" import \
    --change 'CMD ["bash"]' --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'LABEL org.opencontainers.image.description="stackgen offline stand-in: Debian bookworm minbase (debootstrap)"' \
    - "$tag" >/dev/null
  rm -rf "$rootfs"
  log "$tag imported"
}

# build NAME TAG: builds scripts/stand-ins/NAME as TAG unless an image with the same content hash exists.
build() {
  local name="$1" tag="$2" ctx="$standins/$1" hash
  hash="$(cd "$ctx" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)"
  if [ "$(image_label "$tag" org.stackgen.standin.hash)" = "$hash" ]; then log "$tag present"; return; fi
  local build_ctx="$ctx"
  if [ "$name" = node ]; then
    # The host's node and npm go into a temporary context; they are never committed.
    build_ctx="$(mktemp -d /tmp/stackgen-node-ctx.XXXXXX)"
    cp -a "$ctx/." "$build_ctx/"
    cp "$(readlink -f "$(command -v node)")" "$build_ctx/node"
    cp -a "$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")" "$build_ctx/npm"
  fi
  local t0=$SECONDS
  "$DOCKER" build --quiet --label "org.stackgen.standin.hash=$hash" \
    --label "org.opencontainers.image.description=stackgen offline stand-in for $name, built from Debian packages" \
    -t "$tag" "$build_ctx" >/dev/null
  [ "$build_ctx" = "$ctx" ] || rm -rf "$build_ctx"
  log "$tag built in $((SECONDS - t0))s ($("$DOCKER" image inspect --format '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))"
}

"$DOCKER" info >/dev/null 2>&1 || { log "no Docker engine answers: run scripts/ensure-docker.sh"; exit 75; }
start=$SECONDS
build_base
build node stackgen.local/node:20
build python stackgen.local/python:3.11
build golang stackgen.local/golang:1.19
build distroless-static stackgen.local/distroless-static:nonroot
build nginx-unprivileged stackgen.local/nginx-unprivileged:1
build postgres stackgen.local/postgres:15
build redis stackgen.local/redis:7
build prometheus stackgen.local/prometheus:2
log "stand-in images ready in $((SECONDS - start))s"
