#!/usr/bin/env bash
# End-to-end check of the local Docker setup (run docker-engine.sh and standin-images.sh first):
# builds a tiny multi-stage Python app with the BuildKit features dockwright's Dockerfiles use
# (no `# syntax=` line: the engine's built-in frontend), runs it until HEALTHCHECK says healthy,
# and checks docker-compose 1.29 (and `docker compose` v2 if present).
#
#   bash scripts/verify-docker.sh [VERSION...]     # default: 3.11 3.13
set -euo pipefail

DOCKER=${DOCKER:-docker}   # docker-engine.sh tells if this must be /usr/bin/docker
export DOCKER_BUILDKIT=1 COMPOSE_DOCKER_CLI_BUILD=1
log() { printf '[verify] %s\n' "$*"; }
die() { printf '[verify] FAIL: %s\n' "$*" >&2; exit 1; }
[ $# -gt 0 ] || set -- 3.11 3.13

dir=$(mktemp -d /tmp/dockwright-verify.XXXXXX)
project=dwverify$$
cleanup() {
  (cd "$dir" && docker-compose -p "$project" down -t 1 >/dev/null 2>&1) || true
  "$DOCKER" rm -f "$project-run" >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
mkdir -p "$dir/src/hello_app"
cat >"$dir/pyproject.toml" <<'EOF'
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "hello-app"
version = "0.1.0"

[project.scripts]
hello-app = "hello_app:main"
EOF
cat >"$dir/src/hello_app/__init__.py" <<'EOF'
import http.server, sys

class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = f"hello from python {sys.version.split()[0]}\n".encode()
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers()
        self.wfile.write(body)

def main():
    http.server.ThreadingHTTPServer(("0.0.0.0", 8000), H).serve_forever()
EOF
cat >"$dir/Dockerfile" <<'EOF'
ARG PYTHON_VERSION=3.11
FROM --platform=$BUILDPLATFORM python:${PYTHON_VERSION}-slim AS builder
WORKDIR /src
COPY pyproject.toml ./
COPY src ./src
RUN --mount=type=cache,target=/root/.cache/pip pip wheel --no-deps -w /dist .

FROM python:${PYTHON_VERSION}-slim
RUN --mount=type=bind,from=builder,source=/dist,target=/dist pip install --no-cache-dir /dist/*.whl
USER 1000
EXPOSE 8000
HEALTHCHECK --interval=2s --timeout=3s --retries=5 \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/', timeout=2)"
CMD ["hello-app"]
EOF

# Wait until container $1 is healthy (<= 40 s).
wait_healthy() {
  local s
  for _ in $(seq 40); do
    s=$("$DOCKER" inspect -f '{{.State.Health.Status}}' "$1" 2>/dev/null || echo gone)
    [ "$s" = healthy ] && return 0
    sleep 1
  done
  "$DOCKER" logs "$1" >&2 || true; die "$1 not healthy (status: $s)"
}

for v in "$@"; do
  tag=$project:$v; start=$SECONDS
  "$DOCKER" build -q --build-arg PYTHON_VERSION="$v" -t "$tag" "$dir" >/dev/null ||
    die "build for $v (rerun: $DOCKER build --progress=plain ...)"
  "$DOCKER" run -d --name "$project-run" "$tag" >/dev/null
  wait_healthy "$project-run"
  out=$("$DOCKER" exec "$project-run" python -c "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:8000/').read().decode().strip())")
  uid=$("$DOCKER" exec "$project-run" id -u)
  [ "$uid" = 1000 ] || die "runs as uid $uid, not 1000"
  "$DOCKER" rm -f "$project-run" >/dev/null
  log "python $v: built+healthy in $((SECONDS - start))s, uid $uid, says: $out, image $("$DOCKER" image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}')"
done

# compose: 1.29 (python) always; v2 plugin when present
cat >"$dir/compose.yaml" <<EOF
services:
  app:
    build: {context: ., args: {PYTHON_VERSION: "$1"}}
    image: $project:compose
EOF
cd "$dir"
composers=("docker-compose")
"$DOCKER" compose version >/dev/null 2>&1 && composers+=("$DOCKER compose")
for c in "${composers[@]}"; do
  $c -p "$project" config -q || die "$c config -q"
  $c -p "$project" up -d --build >/dev/null 2>&1 || die "$c up -d --build"
  id=$($c -p "$project" ps -q app)
  wait_healthy "$id"
  $c -p "$project" down -t 1 >/dev/null 2>&1
  log "$c: config -q, up -d --build, healthy, down: OK"
done
"$DOCKER" image ls -q "$project" | xargs -r "$DOCKER" image rm -f >/dev/null
log "all OK"
