#!/usr/bin/env bash
# Proves the README's two commands work on a fresh, minimal Debian 12: for each command, a
# fresh clone of HEAD inside its own `debootstrap --variant=minbase bookworm` chroot runs it.
# Usage (as root): tools/fresh_machine_check.sh [WORKDIR] [setup|test|both]
set -euo pipefail
work=${1:-/tmp/tigris-fresh}
which=${2:-both}
repo=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
template=$work/template

command -v debootstrap >/dev/null || apt-get install -y --no-install-recommends debootstrap

if [ ! -x "$template/bin/bash" ]; then
  echo "==> debootstrap minbase bookworm into $template"
  mkdir -p "$work"
  debootstrap --variant=minbase bookworm "$template" http://deb.debian.org/debian >"$work/debootstrap.log"
fi
# Same suites as a normal Debian 12 install (updates + security), and the host's CA bundle
# for the registries' TLS proxy.
cat >"$template/etc/apt/sources.list" <<SRC
deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
SRC
[ -f /etc/apt/apt.conf.d/99artifact-registry ] && cp /etc/apt/apt.conf.d/99artifact-registry "$template/etc/apt/apt.conf.d/"
mkdir -p "$template/usr/local/share/ca"
cp /etc/ssl/certs/ca-certificates.crt "$template/usr/local/share/ca/host-ca.crt"

run_in_fresh_root() {  # NAME COMMAND
  local name=$1 cmd=$2 root=$work/$1
  echo "==> fresh root $root: $cmd"
  rm -rf "$root"
  cp -a "$template" "$root"
  git clone -q --no-local "$repo" "$root/root/tigris"
  mount -t proc proc "$root/proc"
  mount --rbind /sys "$root/sys"
  mount --rbind /dev "$root/dev"
  local rc=0
  chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    NODE_EXTRA_CA_CERTS=/usr/local/share/ca/host-ca.crt npm_config_cafile=/usr/local/share/ca/host-ca.crt \
    /bin/bash -c "cd /root/tigris && $cmd" >"$work/$name.log" 2>&1 || rc=$?
  umount -R "$root/dev" || umount -lR "$root/dev" || true
  umount -R "$root/sys" || umount -lR "$root/sys" || true
  umount "$root/proc" || umount -l "$root/proc" || true
  tail -n 25 "$work/$name.log"
  echo "==> $name: exit $rc (log: $work/$name.log)"
  return $rc
}

status=0
if [ "$which" = setup ] || [ "$which" = both ]; then
  run_in_fresh_root setup ./scripts/setup.sh || status=1
fi
if [ "$which" = test ] || [ "$which" = both ]; then
  run_in_fresh_root test ./scripts/test.sh || status=1
fi
exit $status
