#!/usr/bin/env bash
# A multi-platform stand-in base image for arm64 builds without any outside registry: the e2e
# tests' arm64 builds need it (skipped with a note without it, a failure with CI=true).
#
#   bash scripts/standin-multiarch.sh        # after docker-engine.sh and standin-images.sh 3.11
#
# Result: 127.0.0.1:5000/python:3.11-slim, a manifest list (linux/amd64 + linux/arm64) in a
# local registry, so `docker buildx build --platform linux/arm64 --build-arg
# BASE_IMAGE=127.0.0.1:5000/python:3.11-slim .` resolves the builder stage
# (`FROM --platform=$BUILDPLATFORM`) to amd64 and the target stages to arm64, exactly as with
# the official multi-platform python images. Why a registry: the engine's image store holds one
# platform per tag, so a local-only arm64 image would make the $BUILDPLATFORM stage look for
# an amd64 variant in a registry.
#
# It (idempotently):
#   1. installs qemu-user-static + binfmt-support (bookworm) and enables qemu-aarch64;
#   2. debootstraps an arm64 bookworm rootfs through QEMU (~5 min) and patches it like
#      standin-images.sh does (pip in /usr/local, no EXTERNALLY-MANAGED, host CA bundle),
#      then builds it `FROM scratch --platform linux/arm64` (`docker import --platform` needs an
#      experimental 20.10 daemon) as dockwright-standin/python:3.11-slim-arm64;
#   3. starts Debian's docker-registry on 127.0.0.1:5000 (storage and log under $WORK), pushes
#      the amd64 stand-in and the arm64 one, and a manifest list joining them.
set -euo pipefail

WORK=${WORK:-/var/cache/dockwright-standin}
REGISTRY=127.0.0.1:5000
LIST=$REGISTRY/python:3.11-slim
ARM64=dockwright-standin/python:3.11-slim-arm64
CA=/etc/ssl/certs/ca-certificates.crt
log() { printf '[standin-multiarch] %s\n' "$*"; }
die() { printf '[standin-multiarch] ERROR: %s\n' "$*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root"
docker info >/dev/null 2>&1 || die "docker daemon not answering; run scripts/docker-engine.sh first"
docker image inspect python:3.11-slim >/dev/null 2>&1 || die "python:3.11-slim missing; run scripts/standin-images.sh 3.11"
export DEBIAN_FRONTEND=noninteractive DOCKER_BUILDKIT=1

# --- 1. QEMU ----------------------------------------------------------------------
need=()
for p in qemu-user-static binfmt-support debootstrap docker-registry; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
fi
[ -e /proc/sys/fs/binfmt_misc/status ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
update-binfmts --enable qemu-aarch64 2>/dev/null || true
grep -q '^enabled' /proc/sys/fs/binfmt_misc/qemu-aarch64 || die "could not enable qemu-aarch64 (binfmt_misc)"
log "qemu-aarch64 enabled: $(grep interpreter /proc/sys/fs/binfmt_misc/qemu-aarch64)"

# --- 2. arm64 stand-in ----------------------------------------------------------------
if docker image inspect "$ARM64" >/dev/null 2>&1 && [ -z "${FORCE:-}" ]; then
  log "$ARM64 exists, skipping"
else
  MIRROR=${MIRROR:-$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
    grep -oE 'https?://[^ ]+/debian/?( |$)' | grep -v -e security -e snapshot | head -n1 | tr -d ' ' | sed 's#/$##' || true)}
  MIRROR=${MIRROR:-http://deb.debian.org/debian}
  dir=$WORK/bookworm-arm64
  clean() {
    awk -v r="$dir/rootfs/" 'index($2, r) == 1 {print $2}' /proc/mounts | sort -r | while read -r m; do umount -l "$m" || true; done
    rm -rf --one-file-system "$dir"
  }
  clean; mkdir -p "$dir/rootfs" "$dir/ctx"; trap clean EXIT
  start=$SECONDS
  log "debootstrap --arch=arm64 bookworm from $MIRROR through QEMU (log: $WORK/debootstrap-arm64.log)"
  debootstrap --arch=arm64 --variant=minbase --include=python3,python3-venv,python3-pip,ca-certificates \
    bookworm "$dir/rootfs" "$MIRROR" >"$WORK/debootstrap-arm64.log" 2>&1 ||
    { tail -n 30 "$WORK/debootstrap-arm64.log" >&2; die "debootstrap failed"; }
  root=$dir/rootfs
  rm -f "$root"/usr/lib/python3*/EXTERNALLY-MANAGED
  chroot "$root" sh -ec 'python3 -m pip install -q -I --no-index --no-compile --root-user-action=ignore \
    --no-warn-script-location /usr/share/python-wheels/pip-*.whl; dpkg --purge python3-pip >/dev/null'
  for b in python python3; do ln -sf /usr/bin/python3 "$root/usr/local/bin/$b"; done
  cp "$CA" "$root/etc/ssl/certs/ca-certificates.crt"
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/usr/share/doc/* "$root"/usr/share/man/* \
    "$root"/usr/share/locale/* "$root"/tmp/* "$root"/root/.cache
  : >"$root/etc/resolv.conf"; : >"$root/etc/hostname"
  tar --numeric-owner -C "$root" --exclude='./proc/*' --exclude='./sys/*' --exclude='./dev/*' -cf "$dir/ctx/rootfs.tar" .
  cat >"$dir/ctx/Dockerfile" <<EOF
FROM scratch
ADD rootfs.tar /
ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \\
    SSL_CERT_FILE=$CA PIP_CERT=$CA REQUESTS_CA_BUNDLE=$CA
LABEL org.dockwright.standin=debian-bookworm-arm64
CMD ["python3"]
EOF
  docker build -q --platform linux/arm64 -t "$ARM64" "$dir/ctx" >/dev/null
  clean; trap - EXIT
  log "$ARM64 built in $((SECONDS - start))s"
fi
[ "$(docker run --rm --platform linux/arm64 "$ARM64" uname -m)" = aarch64 ] || die "$ARM64 does not run as aarch64"

# --- 3. local registry + manifest list --------------------------------------------------
if ! curl -fsS "http://$REGISTRY/v2/" >/dev/null 2>&1; then
  mkdir -p "$WORK/registry"
  cat >"$WORK/registry.yml" <<EOF
version: 0.1
log: {level: warn}
storage: {filesystem: {rootdirectory: $WORK/registry}, delete: {enabled: true}}
http: {addr: $REGISTRY}
EOF
  log "starting docker-registry on $REGISTRY (log: $WORK/registry.log)"
  # The registry outlives this script: it must not inherit any descriptor beyond 0-2 (a caller's
  # `flock /tmp/docker.lock` descriptor would stay held by it, and every later flock would wait).
  (
    for fd in /proc/self/fd/*; do
      fd=${fd##*/}
      [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-"
    done
    exec setsid nohup docker-registry serve "$WORK/registry.yml" >>"$WORK/registry.log" 2>&1 </dev/null
  ) &
  for _ in $(seq 30); do curl -fsS "http://$REGISTRY/v2/" >/dev/null 2>&1 && break; sleep 1; done
  curl -fsS "http://$REGISTRY/v2/" >/dev/null || die "registry did not start"
fi
docker tag python:3.11-slim "$LIST-amd64"
docker tag "$ARM64" "$LIST-arm64"
docker push -q "$LIST-amd64" >/dev/null
docker push -q "$LIST-arm64" >/dev/null
docker manifest rm "$LIST" >/dev/null 2>&1 || true   # the CLI's local copy of the list
docker manifest create --insecure "$LIST" "$LIST-amd64" "$LIST-arm64" >/dev/null
docker manifest push --insecure "$LIST" >/dev/null
log "$LIST: $(docker manifest inspect --insecure "$LIST" | grep -o '"architecture": "[a-z0-9]*"' | cut -d'"' -f4 | paste -sd, -)"
