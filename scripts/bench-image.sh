#!/usr/bin/env bash
# Image benchmark: dockwright's generated Dockerfile against a naive single-stage one
# (`COPY . . && pip install .`, no compiler or git) and one in the style of `docker init`'s
# Python template (single stage, a cache mount plus a bind mount of the dependency file,
# `COPY . .`, UID 10001), on three `web` projects, in one run, interleaved: pip and uv (whose
# code the image copies last), and wheel (pip, with a build option that makes the image install
# the wheel instead). Prints a markdown table per project, every figure the median of RUNS
# builds (default 9), and checks the targets of issue 16:
#
#   - runtime image - base image - installed dependencies <= 0.1 MB
#   - a source-only rebuild reports the dependency-install step CACHED
#   - source-only rebuild <= 1.1x docker-init style (2.5x for the wheel project)
#   - cold layers with warm cache mounts <= 1.0x docker-init style with pip, <= 0.6x with uv
#
# It also prints, for reference, the rebuild of a "floor" Dockerfile: the least any wheel-based
# image does after a source change (COPY the context into a build stage, one `RUN true`, COPY
# the result into the image), against docker init's style, which only copies the sources.
#
#   bash scripts/bench-image.sh                # exit 1 when a target is missed
#   PROJECTS=pip RUNS=3 bash scripts/bench-image.sh   # one project, 3 builds per figure
#
# Needs a Docker engine with BuildKit and the base image python:3.11-slim (local stand-in:
# scripts/docker-engine.sh, scripts/standin-images.sh); nothing is pulled. PyPI must be
# reachable from builds; `uv` on the host writes the uv project's uv.lock.
# DOCKWRIGHT=path/to/dockwright uses that binary; otherwise it is built with cargo --release.
#
# What is measured, and how:
#   cold build      `docker build --no-cache`: no layer cache, and BuildKit starts every cache
#                   mount empty too (pip's, uv's and dockwright's build-tool cache), so everything
#                   is downloaded: a first build on a new machine. 3 times each, interleaved, median.
#   cold layers,    a base image no build has used yet (python:3.11-slim plus a one-line file, a
#   warm caches     new layer each time): no layer is re-used, but the cache mounts are kept, as on a
#                   developer machine after its first build (e.g. after a dependency change).
#                   3 times each, interleaved, median.
#   rebuild         one line appended to src/<pkg>/app.py, then each Dockerfile's build with the
#                   layer cache; 3 times, interleaved, median.
#   CACHED          BuildKit's --progress=plain log: the dependency-install RUN step must be
#                   followed by `#N CACHED` on every rebuild.
#   image sizes     `docker image inspect .Size` (what `docker images` shows), 1 MB = 10^6 B.
#   dependencies    installed size inside the built image: the files under the interpreter's
#                   purelib, except pip, uv and the project's own package (and its .dist-info):
#                   the dependencies as installed, with their bytecode. File sizes, not blocks.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=3.11
RUNS=${RUNS:-9}   # builds per measure and Dockerfile; the figures are their medians
BASE=python:$PY-slim
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
DOCKWRIGHT=$(realpath "$DOCKWRIGHT")  # the benchmark runs it from each project's directory

work=$(mktemp -d /tmp/dockwright-bench.XXXXXX)
cleanup() {  # every image this run made ($work/ids), then the work dir
  # shellcheck disable=SC2046
  docker image rm -f $(sort -u "$work/ids" 2>/dev/null) >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s.%N; }
# build LOG TAG ARGS...: one build with plain progress into LOG; prints the seconds it took.
build() {
  local logf=$1 tag=$2 start end; shift 2
  start=$(now)
  docker build --progress=plain --build-arg VERSION=latest --tag "$tag" "$@" . >"$logf" 2>&1 ||
    { tail -n 40 "$logf" >&2; die "build of $tag failed (log: $logf)"; }
  end=$(now)
  docker image inspect -f '{{.Id}}' "$tag" >>"$work/ids"
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }'
}
# Did the dependency-install step of LOG come from the cache?
deps_cached() {
  local n
  n=$(grep -E "^#[0-9]+ \[[^]]*\] RUN .*(get\('dependencies'|uv sync|/opt/venv/bin/python install (\.|/tmp/stub/)|uv pip install .*(/tmp/stub/|--requirement pyproject.toml))" "$1" | head -n1 | sed -E 's/^#([0-9]+) .*/\1/')
  [ -n "$n" ] || die "no dependency-install step in $1"
  grep -qE "^#$n CACHED$" "$1"
}
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
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
    "^(pip|pip-.*\.dist-info|uv|uv-.*\.dist-info|$PKG|$PKG-.*\.dist-info|_$PKG.*\.pth|__editable__.*$PKG.*|_editable_impl_$PKG.*)\$"
}
purelib() { docker run --rm --entrypoint python "$1" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.2f MB", b / 1e6 }'; }

fails=0
check() {  # check DESCRIPTION CONDITION...
  local what=$1; shift
  if "$@"; then echo "- PASS: $what"; else echo "- FAIL: $what"; fails=$((fails + 1)); fi
}
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

bench() {  # bench VARIANT: one project (pip, uv, or wheel: pip whose code is not copied), three Dockerfiles
  local variant=$1 installer=$1
  [ "$variant" = wheel ] && installer=pip
  NAME=dwbench-$variant PKG=dwbench_$variant
  local proj=$work/$NAME
  "$DOCKWRIGHT" new "$proj" --kind web --python "$PY" --name "$NAME" --installer "$installer" --yes >/dev/null
  cd "$proj"
  if [ "$variant" = wheel ]; then
    # A build option that changes what the wheel holds: the code comes as the wheel, not a copy.
    printf '\n[tool.hatch.build]\nexclude = ["*.txt"]\n' >>pyproject.toml
    "$DOCKWRIGHT" init . --yes --force | grep '^code:' >&2
  fi
  if [ "$installer" = uv ]; then
    command -v uv >/dev/null || die "uv is not on PATH: it makes the uv project's uv.lock"
    uv lock --quiet
  else
    python3 -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"], sep="\n")' >requirements.txt
  fi

  # Naive: one stage, the whole context first, a plain install (no compiler or git).
  cat >Dockerfile.naive <<EOF
ARG BASE_IMAGE=$BASE
FROM \${BASE_IMAGE}
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir .
EXPOSE 8000
CMD ["$NAME"]
EOF
  # docker init's Python template, adapted: the dependency file bind-mounted into a cached
  # install, then the sources; the app runs from them (src/ on PYTHONPATH).
  if [ "$installer" = uv ]; then
    cat >Dockerfile.init <<EOF
ARG BASE_IMAGE=$BASE
FROM \${BASE_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_PROJECT_ENVIRONMENT=/venv UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never
WORKDIR /app
ARG UID=10001
RUN adduser --disabled-password --gecos "" --home "/nonexistent" --shell "/sbin/nologin" --no-create-home --uid "\${UID}" appuser
RUN --mount=type=cache,target=/root/.cache/pip pip install uv
RUN --mount=type=cache,target=/root/.cache/uv \\
    --mount=type=bind,source=uv.lock,target=uv.lock \\
    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \\
    uv sync --locked --no-install-project --no-dev
USER appuser
COPY . .
ENV PATH=/venv/bin:\$PATH PYTHONPATH=/app/src
EXPOSE 8000
CMD ["python", "-m", "$PKG"]
EOF
  else
    cat >Dockerfile.init <<EOF
ARG BASE_IMAGE=$BASE
FROM \${BASE_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
ARG UID=10001
RUN adduser --disabled-password --gecos "" --home "/nonexistent" --shell "/sbin/nologin" --no-create-home --uid "\${UID}" appuser
RUN --mount=type=cache,target=/root/.cache/pip \\
    --mount=type=bind,source=requirements.txt,target=requirements.txt \\
    python -m pip install -r requirements.txt
USER appuser
COPY . .
ENV PYTHONPATH=/app/src
EXPOSE 8000
CMD ["python", "-m", "$PKG"]
EOF
  fi

  # The floor of any wheel-based image after a source change (see the header).
  cat >Dockerfile.floor <<EOF
ARG BASE_IMAGE=$BASE
FROM \${BASE_IMAGE} AS build
WORKDIR /src
COPY . .
RUN true
FROM \${BASE_IMAGE}
COPY --from=build /src/src /app
EOF

  local kinds=(dw naive init)
  declare -A file=([dw]=Dockerfile [naive]=Dockerfile.naive [init]=Dockerfile.init [floor]=Dockerfile.floor)
  declare -A cold=() warm=() rebuild=() med_cold=() med_warm=() med_re=() img=() deps=()
  local i k cached=0 base fresh
  for i in $(seq "$RUNS"); do
    for k in "${kinds[@]}"; do
      log "$variant: cold build $i/$RUNS ($k)"
      cold[$k]+="$(build "$work/cold-$installer-$k-$i.log" "$NAME-$k:latest" --no-cache -f "${file[$k]}") "
    done
  done
  for i in $(seq "$RUNS"); do
    for k in "${kinds[@]}"; do
      log "$variant: cold layers, warm caches $i/$RUNS ($k)"
      fresh=dwbench-base:$installer-$k-$i-$$
      printf 'FROM %s\nRUN echo "%s" >/etc/dockwright-bench\n' "$BASE" "$fresh $(date +%s%N)" |
        docker build -q -t "$fresh" - >>"$work/ids"
      warm[$k]+="$(build "$work/warm-$installer-$k-$i.log" "$NAME-$k:warm" --build-arg "BASE_IMAGE=$fresh" -f "${file[$k]}") "
    done
  done
  kinds+=(floor)
  for k in "${kinds[@]}"; do  # the default base's layer cache, before the rebuilds
    build "$work/prime-$installer-$k.log" "$NAME-$k:latest" -f "${file[$k]}" >/dev/null
  done
  for i in $(seq "$RUNS"); do
    log "$variant: source-only change $i/$RUNS"
    printf '\n# bench edit %s %s\n' "$i" "$(date +%s%N)" >>"src/$PKG/app.py"
    for k in "${kinds[@]}"; do
      rebuild[$k]+="$(build "$work/re-$installer-$k-$i.log" "$NAME-$k:latest" -f "${file[$k]}") "
    done
    if deps_cached "$work/re-$installer-dw-$i.log"; then cached=$((cached + 1)); fi
  done
  for k in "${kinds[@]}"; do
    # shellcheck disable=SC2086
    med_re[$k]=$(median ${rebuild[$k]})
    [ "$k" = floor ] && continue
    # shellcheck disable=SC2086
    med_cold[$k]=$(median ${cold[$k]})
    # shellcheck disable=SC2086
    med_warm[$k]=$(median ${warm[$k]})
    img[$k]=$(size "$NAME-$k:latest")
    deps[$k]=$(deps_bytes "$NAME-$k:latest")
  done
  base=$(size "$BASE")
  cat <<EOF

## \`web\` kind, $variant ($installer), Python $PY, base \`$BASE\`

| | dockwright | naive (\`COPY . . && pip install .\`) | docker-init style |
|---|---:|---:|---:|
| runtime image | $(mb "${img[dw]}") | $(mb "${img[naive]}") | $(mb "${img[init]}") |
| image - base | $(mb $((img[dw] - base))) | $(mb $((img[naive] - base))) | $(mb $((img[init] - base))) |
| installed dependencies | $(mb "${deps[dw]}") | $(mb "${deps[naive]}") | $(mb "${deps[init]}") |
| overhead (image - base - dependencies) | $(mb $((img[dw] - base - deps[dw]))) | $(mb $((img[naive] - base - deps[naive]))) | $(mb $((img[init] - base - deps[init]))) |
| cold builds (--no-cache, empty cache mounts) | ${cold[dw]}s | ${cold[naive]}s | ${cold[init]}s |
| cold build, median of $RUNS | **${med_cold[dw]} s** | **${med_cold[naive]} s** | **${med_cold[init]} s** |
| cold layers, warm cache mounts | ${warm[dw]}s | ${warm[naive]}s | ${warm[init]}s |
| cold layers, warm cache mounts, median of $RUNS | **${med_warm[dw]} s** | **${med_warm[naive]} s** | **${med_warm[init]} s** |
| source-only rebuilds | ${rebuild[dw]}s | ${rebuild[naive]}s | ${rebuild[init]}s |
| source-only rebuild, median of $RUNS | **${med_re[dw]} s** | **${med_re[naive]} s** | **${med_re[init]} s** |
| dockwright / docker-init style | cold $(ratio "${med_cold[dw]}" "${med_cold[init]}")x, warm caches $(ratio "${med_warm[dw]}" "${med_warm[init]}")x, rebuild $(ratio "${med_re[dw]}" "${med_re[init]}")x | | |
| floor of a wheel-based rebuild (COPY, \`RUN true\`, COPY --from) | ${rebuild[floor]}s: median **${med_re[floor]} s** = $(ratio "${med_re[floor]}" "${med_re[init]}")x docker-init style | | |
| dependency-install step CACHED on rebuild | $cached / $RUNS | n/a | n/a |

EOF
  check "$variant: image - base - dependencies = $(mb $((img[dw] - base - deps[dw]))) <= 0.1 MB" \
    le $((img[dw] - base - deps[dw])) 100000
  check "$variant: dependency-install step CACHED on every source-only rebuild ($cached/$RUNS)" [ "$cached" = "$RUNS" ]
  local rebuild_target=1.1 warm_target=1.0
  [ "$variant" = wheel ] && rebuild_target=2.5
  [ "$installer" = uv ] && warm_target=0.6
  check "$variant: source-only rebuild $(ratio "${med_re[dw]}" "${med_re[init]}")x docker-init style <= ${rebuild_target}x" \
    le "$(ratio "${med_re[dw]}" "${med_re[init]}")" "$rebuild_target"
  check "$variant: cold layers, warm caches $(ratio "${med_warm[dw]}" "${med_warm[init]}")x docker-init style <= ${warm_target}x" \
    le "$(ratio "${med_warm[dw]}" "${med_warm[init]}")" "$warm_target"
  cd "$work"
}

for variant in ${PROJECTS:-pip uv wheel}; do
  bench "$variant"
done
[ "$fails" = 0 ]
