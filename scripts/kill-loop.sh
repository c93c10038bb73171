#!/usr/bin/env bash
# Kill loop (issue 9): RUNS times, `dockwright init --yes --force` alternating --python 3.12 and
# 3.13 is killed with SIGKILL after a random 0-15 ms; then a no-op re-run (`init --yes`, which
# finishes a killed run's renames from its journal and removes stale temporary files) must
# leave every file of one run: the Python version in Dockerfile, Dockerfile.test and
# DOCKER_BEST_PRACTICES.md equals the one .dockwright.toml records, and no temporary file or
# journal remains. Also checked right after the kill: a mixed state may exist only while a
# journal is there to finish it.
#
#   bash scripts/kill-loop.sh [RUNS] [BINARY]      # defaults: 300, target/debug/dockwright
set -euo pipefail
runs=${1:-300}
bin=$(realpath "${2:-target/debug/dockwright}")
[[ -x $bin ]] || { echo "no binary at $bin (cargo build first)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" new "$work/p" --yes --kind cli --python 3.12 >/dev/null
cd "$work/p"

# The Python version each generated file says, one word per file; "-" when unreadable.
versions() {
  local rec df dft doc
  rec=$(sed -n 's/^python = "\(3\.[0-9]*\)"$/\1/p' .dockwright.toml 2>/dev/null || true)
  df=$(sed -n 's/^ARG PYTHON_VERSION=//p' Dockerfile 2>/dev/null || true)
  dft=$(sed -n 's/^ARG PYTHON_VERSION=//p' Dockerfile.test 2>/dev/null || true)
  doc=$(sed -n 's/^| Python | \(3\.[0-9]*\),.*/\1/p' DOCKER_BEST_PRACTICES.md 2>/dev/null || true)
  echo "${rec:--} ${df:--} ${dft:--} ${doc:--}"
}
consistent() { local a; read -r -a a <<<"$1"; [[ ${a[0]} != - && ${a[0]} == "${a[1]}" && ${a[0]} == "${a[2]}" && ${a[0]} == "${a[3]}" ]]; }
leftovers() { find . \( -name '.*.dockwright-*.tmp' -o -name .dockwright.journal \) | wc -l; }

killed=0 finished=0 old=0 new=0 mixed_with_journal=0 journal_left=0 temps_left=0 bad=0
for ((i = 1; i <= runs; i++)); do
  before=$(versions)
  want=$(( i % 2 ? 13 : 12 ))
  delay=$(printf '0.%03d' $((RANDOM % 16)))
  "$bin" init --yes --force --python "3.$want" >/dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  if kill -KILL "$pid" 2>/dev/null; then killed=$((killed + 1)); fi
  wait "$pid" 2>/dev/null || true
  after=$(versions)
  [[ -e .dockwright.journal ]] && journal_left=$((journal_left + 1))
  [[ $(leftovers) -gt 0 ]] && temps_left=$((temps_left + 1))
  if ! consistent "$after"; then
    if [[ -e .dockwright.journal ]]; then
      mixed_with_journal=$((mixed_with_journal + 1))
    else
      echo "run $i: MIXED right after the kill with no journal to finish it: $after" >&2
      bad=$((bad + 1))
    fi
  fi
  # The recovery: a no-op re-run.
  if ! "$bin" init --yes >/dev/null 2>"$work/err"; then
    echo "run $i: the re-run after the kill failed: $(cat "$work/err")" >&2
    bad=$((bad + 1))
  elif grep -q 'ignored .dockwright.journal' "$work/err"; then
    echo "run $i: the killed run's own journal was discarded: $(cat "$work/err")" >&2
    bad=$((bad + 1))
  fi
  final=$(versions)
  if ! consistent "$final"; then
    echo "run $i: MIXED after recovery: $final (before: $before)" >&2
    bad=$((bad + 1))
  elif [[ $(leftovers) -gt 0 ]]; then
    echo "run $i: temporary files or journal left after recovery" >&2
    bad=$((bad + 1))
  else
    read -r -a f <<<"$final"
    read -r -a b <<<"$before"
    if [[ ${f[0]} == "3.$want" && ${b[0]} != "3.$want" ]]; then new=$((new + 1)); elif [[ ${f[0]} == "${b[0]}" ]]; then old=$((old + 1)); fi
  fi
  finished=$((finished + 1))
done
echo "kill-loop: $finished runs, $killed killed before they ended (others finished first)"
echo "  after recovery: $new all-new, $old all-old, $bad inconsistent or failed"
echo "  right after the kill: $journal_left left a journal ($mixed_with_journal of them mixed, finished by the re-run), $temps_left left temporary files (removed by the re-run)"
[[ $bad -eq 0 ]]
