#!/usr/bin/env bash
# Make a working Docker engine with BuildKit available on a Debian 12 host (root).
#
#   bash scripts/docker-engine.sh
#
# Idempotent. It:
#   1. installs Debian's docker.io (dockerd 20.10) and docker-compose (1.29) when missing;
#   2. makes `DOCKER_BUILDKIT=1 docker build` work with the `docker` first on PATH.
#      A docker CLI >= 23 (e.g. /usr/local/bin/docker 28.x) refuses BuildKit builds
#      without the buildx plugin, and bookworm has no docker-buildx package, so we
#      install Debian trixie's docker-buildx .deb (a static Go binary, depends on
#      libc6 >= 2.34 only) with a private apt config; the host's apt setup is untouched.
#      Debian's own 20.10 client, /usr/bin/docker, has BuildKit built in and needs nothing;
#   3. starts dockerd in the background when `docker info` does not answer
#      (log: $DOCKERD_LOG, default /var/log/dockerd.log);
#   4. smoke-tests a BuildKit build.
# COMPOSE_V2=1 also adds the `docker compose` v2 plugin (see 2b).
set -euo pipefail

DOCKERD_LOG=${DOCKERD_LOG:-/var/log/dockerd.log}
NEWER_SUITE=${NEWER_SUITE:-trixie}   # Debian suite to take docker-buildx (and compose v2) from
log() { printf '[docker-engine] %s\n' "$*"; }
die() { printf '[docker-engine] ERROR: %s\n' "$*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root (installs packages and starts dockerd)"
export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1

# First Debian mirror the host already uses (sources.list or deb822 .sources).
host_mirror() {
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
    grep -oE 'https?://[^ ]+/debian/?( |$)' | grep -v security | head -n1 | tr -d ' ' | sed 's#/$##' || true
}

apt_updated=
apt_update_once() { [ -n "$apt_updated" ] || { log "apt-get update"; apt-get update -qq; apt_updated=1; }; }

# --- 1. packages ----------------------------------------------------------------
missing=()
for p in docker.io docker-compose; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt_update_once
  log "installing ${missing[*]}"
  apt-get install -y -qq "${missing[@]}" >/dev/null
else
  log "docker.io and docker-compose already installed"
fi

# Download PKG's .deb from suite $NEWER_SUITE of the host's Debian mirror into dir $2, using a
# private apt state dir (the host's sources and lists stay untouched).
fetch_deb() {
  local pkg=$1 dest=$2 mirror d rc=0
  mirror=$(host_mirror); mirror=${mirror:-http://deb.debian.org/debian}
  log "fetching $pkg from $mirror $NEWER_SUITE"
  d=$(mktemp -d /tmp/apt-newer.XXXXXX); chmod 755 "$d"   # readable by apt's _apt sandbox user
  mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/prefs.d" "$dest"; chmod 755 "$dest"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $NEWER_SUITE main" >"$d/sources.list"
  local o=(-o "Dir::Etc::SourceList=$d/sources.list" -o Dir::Etc::SourceParts=/nonexistent
           -o "Dir::State::Lists=$d/lists" -o "Dir::Cache=$d/cache"
           -o Dir::Etc::Preferences=/dev/null -o "Dir::Etc::PreferencesParts=$d/prefs.d")
  apt-get "${o[@]}" update -qq && (cd "$dest" && apt-get "${o[@]}" download "$pkg" >/dev/null) || rc=1
  rm -rf "$d"; return $rc
}

# --- 2. buildx ------------------------------------------------------------------
if docker buildx version >/dev/null 2>&1; then
  log "buildx present: $(docker buildx version)"
else
  apt_update_once
  if apt-cache policy docker-buildx 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    log "installing docker-buildx from the host's apt sources"
    apt-get install -y -qq docker-buildx >/dev/null
  else
    # trixie's docker-buildx 0.13 is a static Go binary (Depends: libc6 >= 2.34): fine on bookworm
    dl=$(mktemp -d /tmp/buildx-deb.XXXXXX)
    if fetch_deb docker-buildx "$dl"; then apt-get install -y -qq "$dl"/docker-buildx_*.deb >/dev/null
    else log "WARNING: could not fetch docker-buildx"; fi
    rm -rf "$dl"
  fi
  if docker buildx version >/dev/null 2>&1; then log "buildx installed: $(docker buildx version)"
  else log "WARNING: no buildx; use DOCKER=/usr/bin/docker (Debian 20.10 client, built-in BuildKit)"; fi
fi

# --- 2b. optional: `docker compose` v2 plugin (COMPOSE_V2=1) --------------------------
# trixie's docker-compose package is v2 and would replace 1.29 (same package name), so only
# its plugin binary is unpacked into /usr/local/lib/docker/cli-plugins; 1.29 stays.
if [ "${COMPOSE_V2:-0}" = 1 ] && ! docker compose version >/dev/null 2>&1; then
  dl=$(mktemp -d /tmp/compose-deb.XXXXXX)
  if fetch_deb docker-compose "$dl"; then
    dpkg-deb -x "$dl"/docker-compose_*.deb "$dl/x"
    install -D -m 755 "$dl/x/usr/libexec/docker/cli-plugins/docker-compose" /usr/local/lib/docker/cli-plugins/docker-compose
  else log "WARNING: could not fetch docker-compose v2"; fi
  rm -rf "$dl"
fi

# --- 3. daemon ------------------------------------------------------------------
if docker info >/dev/null 2>&1; then
  log "dockerd already answering"
else
  log "starting dockerd (log: $DOCKERD_LOG)"
  mkdir -p "$(dirname "$DOCKERD_LOG")"
  setsid nohup /usr/sbin/dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null &
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { tail -n 40 "$DOCKERD_LOG" >&2; die "dockerd did not answer within 60s"; }
  log "dockerd up (pid $(pgrep -xo dockerd || echo '?'))"
fi

# --- 4. BuildKit smoke test (needs no base image) ---------------------------------
# Pick the first client that can do a BuildKit build: PATH's docker, else Debian's.
ctx=$(mktemp -d /tmp/bk-smoke.XXXXXX)
printf 'FROM scratch\nCOPY ok /ok\n' >"$ctx/Dockerfile"; echo ok >"$ctx/ok"
client=
for c in "$(command -v docker)" /usr/bin/docker; do
  if DOCKER_BUILDKIT=1 "$c" build -q -t dockwright-bk-smoke "$ctx" >/dev/null 2>&1; then client=$c; break; fi
done
rm -rf "$ctx"; docker image rm -f dockwright-bk-smoke >/dev/null 2>&1 || true
[ -n "$client" ] || die "no docker client could run a BuildKit build"
log "client $(docker version -f '{{.Client.Version}}' 2>/dev/null) / server $(docker version -f '{{.Server.Version}}')"
log "BuildKit build OK with: $client"
[ "$client" = "$(command -v docker)" ] || log "NOTE: PATH's docker cannot do BuildKit builds; use DOCKER=$client"
log "docker-compose: $(docker-compose version --short 2>/dev/null || echo missing);" \
  "docker compose: $(docker compose version --short 2>/dev/null || echo 'none (COMPOSE_V2=1 adds it)')"
