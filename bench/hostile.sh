#!/usr/bin/env bash
# Issue 11's hostile-input cases, one process each, against ses-client's default configuration:
# prints, per case, the time the call took, its outcome (the error's Display) and the process's
# peak resident memory (GNU time's %M). Not part of CI; see bench/hostile/src/main.rs.
#
#   bench/hostile.sh                 # every case
#   bench/hostile.sh deep-200 trickle
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd)
CASES=("$@")
if [ ${#CASES[@]} -eq 0 ]; then
  CASES=(deep-200 deep-400 declared-500mb a-64mb a-30mb-within-limit chunked-endless trickle
         process-sleep process-yes process-background-child credentials-dev-zero config-fifo
         huge-message empty-200 error-in-200 redirect baseline)
fi
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }
cargo build --release --quiet --manifest-path "$BENCH/hostile/Cargo.toml"
BIN=${CARGO_TARGET_DIR:-$BENCH/hostile/target}/release/hostile-probe
printf 'case\ttime\toutcome\tpeak RSS\n'
for c in "${CASES[@]}"; do
  out=$(mktemp)
  /usr/bin/time -f '%M' -o "$out.rss" timeout 300 "$BIN" "$c" >"$out" 2>/dev/null || true
  printf '%s\t%s MiB\n' "$(tr -d '\n' <"$out")" "$(( $(tail -1 "$out.rss") / 1024 ))"
  rm -f "$out" "$out.rss"
done
