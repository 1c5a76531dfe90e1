#!/usr/bin/env bash
# Installs the oracle's pinned npm dependencies (onnxruntime-node, package-lock.json) into DEST
# with `npm ci`, once: a stamp of the lock file turns reruns into a no-op that needs no network.
# Usage: test/oracle/install.sh [DEST]   (default DEST: this folder; node_modules is gitignored)
set -euo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dest=${1:-$src}
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)

install_once() {
  if [ "$dest" != "$src" ]; then
    for f in package.json package-lock.json .npmrc; do
      cmp -s "$src/$f" "$dest/$f" || cp "$src/$f" "$dest/$f"
    done
  fi
  local stamp="$dest/node_modules/.tigris-oracle-stamp"
  if [ -f "$stamp" ] && cmp -s "$stamp" "$src/package-lock.json" &&
     node -e 'require(process.argv[1])' "$dest/node_modules/onnxruntime-node" 2>/dev/null; then
    echo "oracle: onnxruntime-node already installed in $dest/node_modules"
    return 0
  fi
  echo "oracle: npm ci in $dest"
  # .npmrc says the same; the variable also covers an npm that ignores the project .npmrc.
  (cd "$dest" && npm_config_onnxruntime_node_install=skip \
     npm ci --prefer-offline --no-audit --no-fund --loglevel=error)
  node -e 'require(process.argv[1])' "$dest/node_modules/onnxruntime-node"
  cp "$src/package-lock.json" "$stamp"
  echo "oracle: installed onnxruntime-node $(node -p 'require(process.argv[1]).version' "$dest/node_modules/onnxruntime-node/package.json")"
}

# Serialize concurrent callers (parallel ctest, two shells) on one lock file.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$dest/.install.lock"
  flock 9
fi
install_once
