#!/bin/sh
# The official redis entrypoint's contract on Debian's redis-server.
set -e

# `docker run redis --port 7000` or `docker run redis /path/redis.conf`: prepend redis-server.
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
  set -- redis-server "$@"
fi

if [ "$1" = redis-server ] && [ "$(id -u)" = 0 ]; then
  find . \! -user redis -exec chown redis '{}' +
  exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
fi

if [ "$1" = redis-server ]; then
  # Protected mode off unless a given config file decides; later command-line options still win.
  shift
  if [ "${1:-}" = - ]; then
    # `redis-server - …` reads its configuration from stdin; redis takes "-" only first or last.
    shift
    set -- redis-server - --protected-mode no "$@"
  elif [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
    conf="$1"
    shift
    if grep -qiE '^[[:space:]]*protected-mode[[:space:]]' "$conf" 2>/dev/null; then
      set -- redis-server "$conf" "$@"
    else
      set -- redis-server "$conf" --protected-mode no "$@"
    fi
  else
    set -- redis-server --protected-mode no "$@"
  fi
  # As upstream: files redis writes are not world-readable.
  [ "$(umask)" = 0022 ] && umask 0077
fi
exec "$@"
