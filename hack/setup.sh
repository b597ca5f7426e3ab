#!/usr/bin/env bash
# Idempotent set-up shared by `hack/run` and CI. Installs only what is missing:
#   - npm dependencies (again only when package-lock.json changed), which bring Node.js 22;
#   - Python's moto (the EC2 API endpoint the tests and the local demo talk to);
#   - Debian's chromium for the Playwright tests (only for `test`, and only as root).
# The control-plane binaries are built and cached on first use by hack/controlplane.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
purpose="${1:-all}"

log() { printf '[setup] %s\n' "$*" >&2; }

stamp="node_modules/.package-lock.sha256"
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [[ ! -x node_modules/.bin/node || ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  log "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

if ! command -v moto_server >/dev/null 2>&1 && ! python3 -c 'import moto.server' >/dev/null 2>&1; then
  log "installing moto (EC2 API endpoint for the simulated cloud)"
  python3 -m pip install --quiet 'moto[server,ec2]'
fi

if [[ "$purpose" == "test" || "$purpose" == "all" ]]; then
  # fonts-noto-cjk: without it Chinese, Japanese and Korean pages render as boxes in screenshots.
  if ! command -v chromium >/dev/null 2>&1 || [[ ! -d /usr/share/fonts/opentype/noto ]]; then
    if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1; then
      log "installing Debian's chromium and CJK fonts for the browser tests"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
    else
      log "chromium is missing: install Debian's chromium (apt-get install -y chromium) for the e2e tests"
    fi
  fi
fi

# The real-console lane unpacks ../shared/real-console/*.tar.zst (only where it exists).
if [[ "$purpose" == "test" || "$purpose" == "all" ]] && compgen -G "$ROOT/../shared/real-console/*.tar.zst" >/dev/null; then
  if ! command -v zstd >/dev/null 2>&1; then
    if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1; then
      log "installing zstd to unpack the real OpenShift consoles"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zstd >/dev/null
    else
      log "zstd is missing: install it (apt-get install -y zstd) for the real-console browser tests"
    fi
  fi
fi

if ! command -v go >/dev/null 2>&1; then
  log "Go is missing: the local control plane, helm and Prometheus are built from source with Go 1.25 or newer"
  exit 1
fi
