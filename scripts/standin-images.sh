#!/usr/bin/env bash
# Build local stand-ins for the official python:X.Y-slim images when no container
# registry is reachable (docker pull cannot work here).
#
#   bash scripts/standin-images.sh            # = 3.11 3.13
#   bash scripts/standin-images.sh 3.13
#
#   3.11 -> Debian bookworm (python3 3.11), 3.13 -> Debian trixie (python3 3.13).
#
# Each is a debootstrap --variant=minbase rootfs with python3, python3-venv, python3-pip
# and ca-certificates, imported with `docker import`. Differences from the official
# image are patched so Dockerfiles behave the same:
#   - python/python3/pip/pip3 in /usr/local/bin (pip upgradable), ENV PATH, LANG=C.UTF-8, PYTHON_VERSION;
#   - no PEP 668 EXTERNALLY-MANAGED marker, so `pip install` works system-wide;
#   - the host's CA bundle (this network intercepts TLS) is the image's bundle, and
#     PIP_CERT / SSL_CERT_FILE / REQUESTS_CA_BUNDLE point at it, so pip reaches PyPI.
# A tag that already exists is skipped (FORCE=1 rebuilds). Needs root and a running
# dockerd (scripts/docker-engine.sh). Work dir: $WORK (default /var/cache/dockwright-standin).
set -euo pipefail

WORK=${WORK:-/var/cache/dockwright-standin}
CA=/etc/ssl/certs/ca-certificates.crt
log() { printf '[standin] %s\n' "$*"; }
die() { printf '[standin] ERROR: %s\n' "$*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root (debootstrap)"
docker info >/dev/null 2>&1 || die "docker daemon not answering; run scripts/docker-engine.sh first"
command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null; }

# First Debian mirror the host's apt already uses (MIRROR=... overrides).
MIRROR=${MIRROR:-$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
  grep -oE 'https?://[^ ]+/debian/?( |$)' | grep -v security | head -n1 | tr -d ' ' | sed 's#/$##' || true)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}

# Unmount anything debootstrap may have left mounted under $1, then delete it
# without ever crossing into another filesystem (e.g. a bind-mounted host /dev).
clean_dir() {
  local m
  awk -v r="$1/" 'index($2, r) == 1 {print $2}' /proc/mounts | sort -r |
    while read -r m; do umount -l "$m" || true; done
  rm -rf --one-file-system "$1"
}

build() {
  local ver=$1 suite tag="python:$1-slim" root start pyver
  case $ver in
    3.11) suite=bookworm ;;
    3.13) suite=trixie ;;
    *) die "no Debian suite ships Python $ver (known: 3.11=bookworm, 3.13=trixie)" ;;
  esac
  if [ -z "${FORCE:-}" ] && docker image inspect "$tag" >/dev/null 2>&1; then
    log "$tag exists, skipping"; return
  fi
  start=$SECONDS
  root=$WORK/$suite/rootfs
  clean_dir "$root"; mkdir -p "$root" "$WORK/debs"
  trap 'clean_dir "'"$root"'"' EXIT
  log "$tag: debootstrap $suite from $MIRROR (log: $WORK/$suite/debootstrap.log)"
  debootstrap --variant=minbase --cache-dir="$WORK/debs" \
    --include=python3,python3-venv,python3-pip,ca-certificates \
    "$suite" "$root" "$MIRROR" >"$WORK/$suite/debootstrap.log" 2>&1 ||
    { tail -n 30 "$WORK/$suite/debootstrap.log" >&2; die "debootstrap $suite failed"; }
  pyver=$(chroot "$root" python3 -c 'import platform; print(platform.python_version())')

  # --- make it look like the official image ---
  rm -f "$root"/usr/lib/python3*/EXTERNALLY-MANAGED
  # pip in /usr/local like the official image (offline, from Debian's bundled wheel),
  # replacing Debian's python3-pip, which `pip install -U pip` cannot uninstall (no RECORD).
  chroot "$root" sh -ec 'python3 -m pip install -q -I --no-index --no-compile --root-user-action=ignore \
    --no-warn-script-location /usr/share/python-wheels/pip-*.whl; dpkg --purge python3-pip >/dev/null'
  for b in python python3; do ln -sf /usr/bin/python3 "$root/usr/local/bin/$b"; done
  # host CA bundle: as the bundle, and as a local CA so update-ca-certificates keeps it
  if [ -f "$CA" ]; then
    cp "$CA" "$root/etc/ssl/certs/ca-certificates.crt"
    cp "$CA" "$root/usr/local/share/ca-certificates/host-ca-bundle.crt"
  else
    log "WARNING: no host $CA; pip may not reach PyPI from containers"
  fi
  cat >"$root/etc/apt/sources.list" <<EOF
deb $MIRROR $suite main
deb $MIRROR $suite-updates main
deb ${MIRROR}-security $suite-security main
EOF
  # same apt cache hygiene as the official Debian images
  cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";
EOF
  # keep later apt installs slim too
  printf 'path-exclude /usr/share/doc/*\npath-exclude /usr/share/man/*\npath-exclude /usr/share/info/*\n' \
    >"$root/etc/dpkg/dpkg.cfg.d/docker-slim"

  # --- shrink ---
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/cache/debconf/*-old \
    "$root"/var/lib/dpkg/*-old "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* \
    "$root"/usr/share/locale/* "$root"/tmp/* "$root"/root/.cache
  find "$root/var/log" -type f -delete
  : >"$root/etc/resolv.conf"; : >"$root/etc/hostname"   # docker provides both at run time

  log "$tag: importing (Python $pyver)"
  tar --numeric-owner -C "$root" --exclude='./proc/*' --exclude='./sys/*' --exclude='./dev/*' -c . |
    docker import \
      --change 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV LANG=C.UTF-8' \
      --change "ENV PYTHON_VERSION=$pyver" \
      --change "ENV SSL_CERT_FILE=$CA" \
      --change "ENV PIP_CERT=$CA" \
      --change "ENV REQUESTS_CA_BUNDLE=$CA" \
      --change "LABEL org.dockwright.standin=debian-$suite" \
      --change 'CMD ["python3"]' \
      - "$tag" >/dev/null
  clean_dir "$root"; trap - EXIT

  # smoke test: python, pip and venv work
  docker run --rm "$tag" sh -ec 'python --version; pip --version >/dev/null; python -m venv /tmp/v; /tmp/v/bin/pip --version >/dev/null' >/dev/null ||
    die "$tag smoke test failed"
  log "$tag: built in $((SECONDS - start))s, size $(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}')"
}

[ $# -gt 0 ] || set -- 3.11 3.13
for v in "$@"; do build "$v"; done
docker image ls python
