#!/bin/sh
# The image's entry point. Sizes V8's old space to three quarters of the container's memory limit
# (cgroup v2, else v1), so the backend collects garbage under load instead of being OOM-killed at
# the limit; with no limit, Node's own default. CGROUP_ROOT and NODE exist for the tests.
set -eu
root="${CGROUP_ROOT:-/sys/fs/cgroup}"
node="${NODE:-node}"
limit=""
if [ -r "$root/memory.max" ]; then
  limit=$(cat "$root/memory.max")
elif [ -r "$root/memory/memory.limit_in_bytes" ]; then
  limit=$(cat "$root/memory/memory.limit_in_bytes")
fi
case "$limit" in
  '' | max | *[!0-9]*) exec "$node" backend/dist/main.js "$@" ;;
esac
heap=$((limit / 1048576 * 3 / 4))
# cgroup v1 writes "no limit" as a huge number; below 64 MiB Node cannot start sensibly.
if [ "$heap" -gt 1048576 ] || [ "$heap" -lt 64 ]; then
  exec "$node" backend/dist/main.js "$@"
fi
exec "$node" --max-old-space-size="$heap" backend/dist/main.js "$@"
