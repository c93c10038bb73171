#!/usr/bin/env bash
# Image benchmark: dockwright's generated Dockerfile against a naive single-stage one, on the
# same `web` project, in the same run. Prints a markdown table and checks PRODUCT.md's targets:
#
#   - runtime image - base image   <= installed size of the dependencies + 5 MB
#   - a source-only rebuild reports the dependency-install step CACHED
#   - source-only rebuild (median of 3) <= half the naive Dockerfile's
#   - runtime image at least 40 % smaller than the naive image
#
#   bash scripts/bench-image.sh            # exit 1 when a target is missed
#
# Needs a Docker engine with BuildKit and the base image python:3.11-slim (local stand-in:
# scripts/docker-engine.sh, scripts/standin-images.sh); nothing is pulled. PyPI (and, for the
# naive image's build tools, Debian's mirror) must be reachable from builds.
# DOCKWRIGHT=path/to/dockwright uses that binary; otherwise it is built with cargo --release.
#
# What is measured, and how:
#   cold build      `docker build --no-cache`: no layer cache. BuildKit cache mounts (pip's
#                   download cache in the generated Dockerfile) are kept, as on any developer
#                   machine after the first build; the naive Dockerfile has none.
#   rebuild         one line appended to src/<pkg>/app.py, then the same build with the layer
#                   cache; 3 times, median. Both Dockerfiles see the same change, alternately.
#   CACHED          BuildKit's --progress=plain log: the RUN step that installs
#                   [project].dependencies must be followed by `#N CACHED` on every rebuild.
#   image sizes     `docker image inspect .Size` (what `docker images` shows), 1 MB = 10^6 B.
#   dependencies    installed size inside the built image: the sizes of all files under the
#                   interpreter's purelib (the venv's site-packages; the naive image's
#                   dist-packages), summed, except pip and the project's own package, .dist-info
#                   and editable-install hooks: the dependencies as pip installed them (with
#                   their bytecode). File sizes, not disk blocks, as image layers count bytes.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=3.11
BASE=python:$PY-slim
NAME=dwbench
PKG=dwbench
IMG=$NAME:latest
NAIVE=$NAME-naive:latest
export DOCKER_BUILDKIT=1

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 2; }
docker info >/dev/null 2>&1 || die "docker daemon not answering (bash scripts/docker-engine.sh)"
docker image inspect "$BASE" >/dev/null 2>&1 || die "$BASE missing (bash scripts/standin-images.sh $PY)"

if [ -z "${DOCKWRIGHT:-}" ]; then
  log "building dockwright (cargo build --release)"
  cargo build --release --quiet
  DOCKWRIGHT=$PWD/target/release/dockwright
fi

work=$(mktemp -d /tmp/dockwright-bench.XXXXXX)
cleanup() {  # every image this run made ($work/ids), then the work dir
  # shellcheck disable=SC2046
  docker image rm -f "$IMG" "$NAIVE" $(sort -u "$work/ids" 2>/dev/null) >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

proj=$work/$NAME
"$DOCKWRIGHT" new "$proj" --kind web --python "$PY" --name "$NAME" --yes >/dev/null
cd "$proj"

# The naive Dockerfile: one stage, the whole context copied first, compilers and git
# installed, an editable install (build isolation fetches the backend on every build).
cat >Dockerfile.naive <<EOF
FROM $BASE
RUN apt-get update && apt-get install -y --no-install-recommends build-essential git \\
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN pip install -e .
EXPOSE 8000
CMD ["$NAME"]
EOF

now() { date +%s.%N; }
# build LOG TAG ARGS...: one build with plain progress into LOG; prints the seconds it took.
build() {
  local logf=$1 tag=$2 start end; shift 2
  start=$(now)
  docker build --progress=plain --build-arg VERSION=latest --tag "$tag" "$@" . >"$logf" 2>&1 ||
    { tail -n 40 "$logf" >&2; die "build of $tag failed (log: $logf)"; }
  end=$(now)
  docker image inspect -f '{{.Id}}' "$tag" >>"$work/ids"
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }'
}
# Did the dependency-install step of LOG come from the cache?
deps_cached() {
  local n
  n=$(grep -E "^#[0-9]+ \[[^]]*\] RUN .*get\('dependencies'" "$1" | head -n1 | sed -E 's/^#([0-9]+) .*/\1/')
  [ -n "$n" ] || die "no dependency-install step in $1"
  grep -qE "^#$n CACHED$" "$1"
}
median() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
size() { docker image inspect -f '{{.Size}}' "$1"; }
# deps_bytes IMAGE: the dependencies' installed files in IMAGE: every file (and symlink) under
# the interpreter's purelib (the venv's site-packages; dist-packages for the naive image),
# except pip and the project's own package, .dist-info and editable-install hooks; sizes summed.
deps_bytes() {
  local dir
  dir=$(purelib "$1")
  docker run --rm --user 0 --entrypoint sh "$1" -c '
    cd "$1" && ls -A | grep -Ev "$2" | while read -r e; do find "$e" \( -type f -o -type l \) -printf "%s\n"; done |
      awk "{ s += \$1 } END { print s + 0 }"' sh "$dir" \
    "^(pip|pip-.*\.dist-info|$PKG|$PKG-.*\.dist-info|_$PKG.*\.pth|__editable__.*$PKG.*|_editable_impl_$PKG.*)\$"
}
purelib() { docker run --rm --entrypoint python "$1" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.2f MB", b / 1e6 }'; }

log "cold builds (--no-cache)"
cold_dw=$(build "$work/cold-dw.log" "$IMG" --no-cache)
cold_naive=$(build "$work/cold-naive.log" "$NAIVE" --no-cache -f Dockerfile.naive)

rebuild_dw=() rebuild_naive=() cached=0
for i in 1 2 3; do
  log "source-only change $i/3"
  # unique per run: an edit seen before would be a cache hit, not a rebuild
  printf '\n# bench edit %s %s\n' "$i" "$(date +%s%N)" >>"src/$PKG/app.py"
  rebuild_dw+=("$(build "$work/re-dw-$i.log" "$IMG")")
  if deps_cached "$work/re-dw-$i.log"; then cached=$((cached + 1)); fi
  rebuild_naive+=("$(build "$work/re-naive-$i.log" "$NAIVE" -f Dockerfile.naive)")
done
med_dw=$(median "${rebuild_dw[@]}")
med_naive=$(median "${rebuild_naive[@]}")

log "sizes"
base=$(size "$BASE")
img=$(size "$IMG")
naive=$(size "$NAIVE")
deps_dw=$(deps_bytes "$IMG")
deps_naive=$(deps_bytes "$NAIVE")

pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f %%", 100 * (1 - a / b) }'; }
cat <<EOF

## Image benchmark: \`web\` kind, Python $PY, base \`$BASE\` ($(docker image inspect -f '{{index .Config.Labels "org.dockwright.standin"}}' "$BASE" 2>/dev/null || true))

| | dockwright Dockerfile | naive single-stage |
|---|---:|---:|
| runtime image | $(mb "$img") | $(mb "$naive") |
| base image | $(mb "$base") | $(mb "$base") |
| image - base | $(mb $((img - base))) | $(mb $((naive - base))) |
| installed dependencies | $(mb "$deps_dw") | $(mb "$deps_naive") |
| overhead (image - base - dependencies) | $(mb $((img - base - deps_dw))) | $(mb $((naive - base - deps_naive))) |
| cold build (--no-cache) | ${cold_dw} s | ${cold_naive} s |
| source-only rebuilds | ${rebuild_dw[*]} s | ${rebuild_naive[*]} s |
| source-only rebuild, median of 3 | **${med_dw} s** | **${med_naive} s** |
| dependency-install step CACHED on rebuild | $cached / 3 | n/a (\`COPY . .\` first) |

EOF

fails=0
check() {  # check DESCRIPTION CONDITION...
  local what=$1; shift
  if "$@"; then echo "- PASS: $what"; else echo "- FAIL: $what"; fails=$((fails + 1)); fi
}
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }
check "image - base = $(mb $((img - base))) <= dependencies + 5 MB = $(mb $((deps_dw + 5000000)))" \
  le $((img - base)) $((deps_dw + 5000000))
check "dependency-install step CACHED on every source-only rebuild ($cached/3)" [ "$cached" = 3 ]
check "source-only rebuild ${med_dw} s <= half the naive ${med_naive} s" \
  le "$med_dw" "$(awk -v n="$med_naive" 'BEGIN { print n / 2 }')"
check "image $(pct "$img" "$naive") smaller than the naive one (target >= 40 %)" \
  le "$img" "$(awk -v n="$naive" 'BEGIN { print 0.6 * n }')"
[ "$fails" = 0 ]
