#!/usr/bin/env bash
# Prints the URI of the Debian archive this machine's apt already uses for bookworm (deb822
# .sources or one-line .list files), so no script names a mirror host. Exits 1 when there is none.
set -euo pipefail
uri="$(awk 'BEGIN { RS = "" }
  /(^|\n)Suites:[^\n]*[[:space:]]bookworm([[:space:]]|$)/ && /(^|\n)Types:[^\n]*deb([[:space:]]|$)/ {
    if (match($0, /(^|\n)URIs:[[:space:]]*[^[:space:]]+/)) { s = substr($0, RSTART, RLENGTH); sub(/^\n?URIs:[[:space:]]*/, "", s); print s; exit }
  }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)"
if [ -z "$uri" ]; then
  uri="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | sed -E 's/\[[^]]*\]//' \
    | awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' || true)"
fi
[ -n "$uri" ] || { echo "no Debian bookworm source in /etc/apt/sources.list{,.d}" >&2; exit 1; }
printf '%s\n' "${uri%/}"
