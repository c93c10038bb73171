#!/usr/bin/env bash
# The inner loop (issue 21): how long after a source file is saved the HTTP body shows the new
# code, with `just docker-watch` (the package's code is bind-mounted read-only, the server's
# own reloader serves the saved file) and with `just docker-build` + `docker compose up -d` (a
# rebuild and a new container), in the same run, rounds interleaved, on a WSGI fixture
# (tests/fixtures/flask-factory, gunicorn) and an ASGI one (tests/fixtures/fastapi-factory,
# uvicorn), or an application tree (FIXTURES=flask-requirements: requirements.txt, the tree
# mounted over /app). Prints every round, the
# median and the minimum of each, and one PASS/FAIL line per fixture: the watch median against
# 1.0 s. Exit 1 when a fixture fails.
#
#   flock /tmp/docker.lock bash scripts/bench-watch.sh            # 5 rounds each
#   ROUNDS=7 FIXTURES=fastapi-factory bash scripts/bench-watch.sh
#
# How a round is timed: the bench route appended to one module of the package (a body naming
# the round) is rewritten, then the body is fetched from the host's published port every 20 ms
# until it names the round: the time from the write to that answer. The watched project and the
# rebuilt one are two Compose projects on two ports, from the same sources: while the rebuilt
# one is timed, the watcher's reloader restarts on the same save (the machine does both).
#
# Needs Docker with Compose v2.22+ and BuildKit, the python:3.11-slim base image, just, curl;
# PyPI must be reachable from builds. The containers run as a UID the Docker host has (the
# engine looks it up when Compose Watch copies a file): the caller's own, or the first
# regular user when run as root. DOCKWRIGHT=path uses that binary, else target/release is built.
set -euo pipefail

ROUNDS="${ROUNDS:-5}"
FIXTURES="${FIXTURES:-flask-factory fastapi-factory}"
TARGET_S=1.0
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ -z "${DOCKWRIGHT:-}" ]; then
    cargo build --quiet --release --manifest-path "$root/Cargo.toml"
    DOCKWRIGHT="$root/target/release/dockwright"
fi
uid="$(id -u)"
if [ "$uid" = 0 ]; then
    uid="$(awk -F: '$3 >= 1000 && $3 < 65534 { print $3; exit }' /etc/passwd)"
    [ -n "$uid" ] || { echo "bench-watch: no regular user (UID >= 1000) on this host for the containers to run as" >&2; exit 1; }
fi

# fixture -> the module the bench route goes into, the route's decorator, its URL path.
route() {
    case "$1" in
        flask-factory) echo 'src/journal/views.py|@bp.get("/bench")|/bench' ;;
        fastapi-factory) echo 'src/shop_api/items.py|@router.get("/bench/now")|/api/v1/items/bench/now' ;;
        # An application tree (requirements.txt, no pyproject.toml): the whole tree is mounted.
        flask-requirements) echo 'app/routes.py|@bp.get("/bench")|/bench' ;;
        *) echo "bench-watch: no bench route for fixture $1" >&2; exit 1 ;;
    esac
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
stats() { # "median min" of the arguments
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f %.2f", m, v[1] }'
}

work="$(mktemp -d)"
watch_pgid=""
cleanup() {
    if [ -n "$watch_pgid" ]; then
        # Ctrl-C as a terminal sends it: to the recipe's whole process group.
        kill -INT -- "-$watch_pgid" 2>/dev/null || true
        for _ in $(seq 60); do kill -0 -- "-$watch_pgid" 2>/dev/null || break; sleep 0.5; done
    fi
    if [ -n "${project_dir:-}" ]; then
        (cd "$project_dir" && COMPOSE_PROJECT_NAME="$rebuilt" docker compose down >/dev/null 2>&1) || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# Waits until GET $1 answers a body containing $2 (at most $3 seconds).
until_body() {
    local deadline=$((SECONDS + $3))
    until curl -fs --max-time 2 "$1" 2>/dev/null | grep -qF -- "$2"; do
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.02
    done
}

failed=0
summary=()
for fixture in $FIXTURES; do
    IFS='|' read -r module decorator path <<<"$(route "$fixture")"
    project_dir="$work/$fixture"
    cp -r "$root/tests/fixtures/$fixture" "$project_dir"
    "$DOCKWRIGHT" init "$project_dir" --yes --python 3.11 --uid "$uid" >/dev/null
    # Under compose the volume directories are this host's: writable by the app's UID, as
    # compose.yaml says (flask-requirements keeps its SQLite database in data/).
    if [ "$(id -u)" = 0 ]; then chown "$uid:$uid" "$project_dir/data" "$project_dir/logs" "$project_dir/ephemeral"; fi
    original="$(cat "$project_dir/$module")"
    write_route() { printf '%s\n\n\n%s\ndef bench_marker():\n    return "%s"\n' "$original" "$decorator" "$1" >"$project_dir/$module"; }
    write_route "bench-start"
    watched="benchwatch-$fixture" rebuilt="benchbuild-$fixture"
    watch_port="$(free_port)" build_port="$(free_port)"

    # The rebuilt project, up once so that its rounds time a rebuild, not a first build.
    (cd "$project_dir" && just docker-build >/dev/null 2>&1 \
        && COMPOSE_PROJECT_NAME="$rebuilt" PORT="$build_port" docker compose up -d >/dev/null 2>&1)
    until_body "http://127.0.0.1:$build_port$path" bench-start 120

    # The watched project: the recipe in a process group of its own.
    # (setsid in a child that leads no group: the recipe's group is the child's own PID.)
    COMPOSE_PROJECT_NAME="$watched" PORT="$watch_port" \
        setsid just --justfile "$project_dir/justfile" docker-watch >"$work/$fixture-watch.log" 2>&1 &
    watch_pgid="$!"
    until_body "http://127.0.0.1:$watch_port$path" bench-start 300 \
        || { echo "bench-watch: $fixture never answered under docker-watch:" >&2; tail -30 "$work/$fixture-watch.log" >&2; exit 1; }
    for _ in $(seq 60); do grep -q "Watch enabled" "$work/$fixture-watch.log" && break; sleep 0.5; done
    sleep 2

    watch_times=() build_times=()
    for round in $(seq "$ROUNDS"); do
        marker="watch-$round-$RANDOM"
        write_route "$marker"; start="$(now)"
        until_body "http://127.0.0.1:$watch_port$path" "$marker" 60 || { echo "bench-watch: $fixture: round $round never showed under docker-watch" >&2; exit 1; }
        watch_times+=("$(elapsed "$start" "$(now)")")
        sleep 2

        marker="build-$round-$RANDOM"
        write_route "$marker"; start="$(now)"
        (cd "$project_dir" && just docker-build >/dev/null 2>&1 \
            && COMPOSE_PROJECT_NAME="$rebuilt" PORT="$build_port" docker compose up -d >/dev/null 2>&1)
        until_body "http://127.0.0.1:$build_port$path" "$marker" 120 || { echo "bench-watch: $fixture: round $round never showed after the rebuild" >&2; exit 1; }
        build_times+=("$(elapsed "$start" "$(now)")")
        sleep 2
    done

    read -r wmed wmin <<<"$(stats "${watch_times[@]}")"
    read -r bmed bmin <<<"$(stats "${build_times[@]}")"
    echo "$fixture ($(grep -m1 -oE '"(gunicorn|uvicorn)"' "$project_dir/compose.watch.yaml" | tr -d '"'), $ROUNDS rounds, save -> new body, seconds)"
    echo "  just docker-watch:                        ${watch_times[*]}  median $wmed  min $wmin"
    echo "  just docker-build + docker compose up -d: ${build_times[*]}  median $bmed  min $bmin"
    if awk -v m="$wmed" -v t="$TARGET_S" 'BEGIN { exit !(m <= t) }'; then
        summary+=("PASS: $fixture: docker-watch median $wmed s <= $TARGET_S s (rebuild + up -d: $bmed s)")
    else
        summary+=("FAIL: $fixture: docker-watch median $wmed s > $TARGET_S s (rebuild + up -d: $bmed s)")
        failed=1
    fi

    # Ctrl-C on the recipe: it must take its service down.
    kill -INT -- "-$watch_pgid"
    for _ in $(seq 60); do kill -0 -- "-$watch_pgid" 2>/dev/null || break; sleep 0.5; done
    watch_pgid=""
    left="$(docker ps -q --filter "label=com.docker.compose.project=$watched")"
    [ -z "$left" ] || { echo "bench-watch: $fixture: a container of docker-watch still runs after Ctrl-C: $left" >&2; failed=1; }
    (cd "$project_dir" && COMPOSE_PROJECT_NAME="$rebuilt" docker compose down >/dev/null 2>&1)
    project_dir=""
    echo
done
printf '%s\n' "${summary[@]}"
exit "$failed"
