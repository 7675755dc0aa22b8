#!/usr/bin/env bash
# The scale benchmark: a whole school (or province) in one run, as a user runs it. For each
# number of students given (default 2000 and 10000) it generates the bench's ledger
# (examples/gen_ledger.rs, all seven sheet kinds), then times `check`, `render all` and
# `render annual-appraisal --print --duplex` with the release binary, and prints a markdown
# table: wall and user CPU time, peak RSS, documents and pages, and the ratio of each figure
# to the first size's. Needs GNU time (/usr/bin/time; installed from Debian when missing).
#
#   scripts/bench-scale.sh              # 2000 and 10000 students (the 10000 `render all` takes ~25 min on 2 cores)
#   scripts/bench-scale.sh 200 1000     # quicker
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(2000 10000)
if [ ! -x /usr/bin/time ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends time >/dev/null
fi
cargo build --release --quiet --bin dangjian --example gen_ledger
target="${CARGO_TARGET_DIR:-target}/release"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
declare -A first
echo "| students | command | wall s | user s | peak RSS MB | documents | pages | RSS ÷ first |"
echo "|---|---|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
  ledger="$work/台账$n.xlsx"
  "$target/examples/gen_ledger" "$n" "$ledger" >/dev/null
  for cmd in "check" "render all" "render annual-appraisal --print --duplex"; do
    out=(--out "$work/out.zip")
    [ "$cmd" = check ] && out=()
    # shellcheck disable=SC2086
    /usr/bin/time -f "%e %U %M" -o "$work/time" "$target/dangjian" $cmd --data "$ledger" "${out[@]}" \
      >"$work/stdout" 2>/dev/null || true
    # GNU time puts "Command exited with non-zero status 1" first when there were problems.
    read -r wall user kb < <(tail -n 1 "$work/time")
    docs=$(grep -o '[0-9]* 份' "$work/stdout" | awk '{s+=$1} END {print s+0}' || true)
    pages=$(grep -o '[0-9]* 页' "$work/stdout" | awk '{s+=$1} END {print s+0}' || true)
    mb=$((kb / 1024))
    [ -z "${first[$cmd]:-}" ] && first[$cmd]=$mb
    ratio=$(awk -v a="$mb" -v b="${first[$cmd]}" 'BEGIN {printf "%.2f", a / b}')
    echo "| $n | \`$cmd\` | $wall | $user | $mb | $docs | $pages | $ratio |"
    rm -f "$work/out.zip"
  done
done
