#!/usr/bin/env bash
# A kubectl client whose built-in kustomize reads the overlays stackgen renders (`patches:` with
# targets, kustomize v4+): the one on PATH when it qualifies, else Debian's kubectl
# package. Bookworm's kubernetes-client (1.20, kustomize v2) is too old, so trixie's is fetched with a private apt
# state (the host's sources stay untouched), verified against the Debian archive keyring, and its
# kubectl installed in $STACKGEN_KUBECTL_DIR. Needs no cluster: only `kubectl kustomize` is used.
set -euo pipefail
# STACKGEN_KUBECTL_DIR: where to install it (default /usr/local/bin).
dest="${STACKGEN_KUBECTL_DIR:-/usr/local/bin}"
log() { printf '[ensure-kubectl] %s\n' "$*" >&2; }

kustomize_major() {
  "$1" version --client 2>/dev/null | sed -n 's/^Kustomize Version: v\([0-9]*\).*/\1/p' | head -n1
}
if command -v kubectl >/dev/null 2>&1; then
  major="$(kustomize_major kubectl || true)"
  if [ -n "$major" ] && [ "$major" -ge 4 ]; then
    log "kubectl $(kubectl version --client 2>/dev/null | sed -n 's/^Client Version: //p') with kustomize v$major"
    exit 0
  fi
  log "kubectl on PATH has kustomize '${major:-unknown}' (need v4+): installing Debian trixie's kubectl"
fi

mirror="$(bash "$(dirname "${BASH_SOURCE[0]}")/debian-mirror.sh")" || { log "no Debian mirror in /etc/apt/sources*"; exit 1; }
work="$(mktemp -d /tmp/stackgen-kubectl.XXXXXX)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/debs" "$work/x"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main" > "$work/sources.list"
opts=(-q -o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/nonexistent
  -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o Dir::State::status=/dev/null
  -o APT::Sandbox::User=root)
if ! { apt-get "${opts[@]}" update && (cd "$work/debs" && apt-get "${opts[@]}" download kubectl); } >"$work/apt.log" 2>&1; then
  tail -n 20 "$work/apt.log" >&2
  exit 1
fi
dpkg-deb -x "$work"/debs/kubectl_*.deb "$work/x"
install -d "$dest"
install -m 0755 "$work/x/usr/bin/kubectl" "$dest/kubectl"
major="$(kustomize_major "$dest/kubectl" || true)"
log "installed $dest/kubectl (kustomize v${major:-?})"
[ -n "$major" ] && [ "$major" -ge 4 ] || { log "ERROR: that kubectl's kustomize is too old"; exit 1; }
