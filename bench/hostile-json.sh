#!/usr/bin/env bash
# Issue 26's hostile-input cases for the JSON protocols, one process each, against the generated
# DynamoDB client's default configuration: prints, per case, the time the call took, its outcome
# and the process's peak resident memory (GNU time's %M). Not part of CI; see
# bench/hostile-json/src/main.rs. Needs `cargo xtask codegen --model ../shared/models/dynamodb.json
# --out target/services/dynamodb` first.
#
#   bench/hostile-json.sh                  # every case
#   bench/hostile-json.sh item-30mb trickle
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd)
CASES=("$@")
if [ ${#CASES[@]} -eq 0 ]; then
  CASES=(item-30mb item-2m-entries string-500mb chunked-endless trickle deep-200 huge-message
         html-404 wrong-types baseline)
fi
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }
cargo build --release --quiet --manifest-path "$BENCH/hostile-json/Cargo.toml"
BIN=${CARGO_TARGET_DIR:-$BENCH/hostile-json/target}/release/hostile-json-probe
printf 'case\ttime\toutcome\tpeak RSS\n'
for c in "${CASES[@]}"; do
  out=$(mktemp)
  /usr/bin/time -f '%M' -o "$out.rss" timeout 300 "$BIN" "$c" >"$out" 2>/dev/null || true
  printf '%s\t%s MiB\n' "$(tr -d '\n' <"$out")" "$(( $(tail -1 "$out.rss") / 1024 ))"
  rm -f "$out" "$out.rss"
done
