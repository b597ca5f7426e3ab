#!/usr/bin/env bash
# Started detached by controlplane.ts, one per control plane. When the Node process that
# started the control plane dies — even by SIGKILL, when no exit handler runs — it ends every
# component's process group (listed in $dir/pgids) and removes the control plane's files.
# A clean stop() removes $dir first, which tells this script to leave quietly.
parent="$1"
dir="$2"
while kill -0 "$parent" 2>/dev/null && [[ -d "$dir" ]]; do sleep 1; done
[[ -d "$dir" ]] || exit 0
pgids="$(cat "$dir/pgids" 2>/dev/null)"
for pgid in $pgids; do kill -TERM -- "-$pgid" 2>/dev/null; done
sleep 2
for pgid in $pgids; do kill -KILL -- "-$pgid" 2>/dev/null; done
rm -rf "$dir"
