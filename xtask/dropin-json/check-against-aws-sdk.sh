#!/usr/bin/env bash
# Builds xtask/dropin-json/main.rs against the REAL aws-sdk-dynamodb 1.136.0, aws-sdk-sqs 1.119.0,
# aws-sdk-kms 1.129.0, aws-sdk-cloudwatchlogs 1.162.0 and aws-config 1.13.0 (every version pinned
# by xtask/dropin-json/Cargo.lock) and runs it against a fresh moto server.
#
#   xtask/dropin-json/check-against-aws-sdk.sh
#
# Environment: CARGO_TARGET_DIR (default /tmp/dropin-target), MOTO_SERVER (default
# <repo>/target/moto-venv/bin/moto_server, created by `cargo xtask test`).
# Exits with the program's status (0 and `dropin-json: N checks passed` on success).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/dropin-target}
MOTO_SERVER=${MOTO_SERVER:-$ROOT/target/moto-venv/bin/moto_server}
# Nothing from the caller's AWS environment may change the program's behaviour.
unset AWS_ENDPOINT_URL AWS_ENDPOINT_URL_DYNAMODB AWS_ENDPOINT_URL_SQS AWS_ENDPOINT_URL_KMS \
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS AWS_PROFILE AWS_REGION AWS_DEFAULT_REGION \
    AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_CONFIG_FILE \
    AWS_SHARED_CREDENTIALS_FILE || true

log() { printf '== %s\n' "$*" >&2; }

[ -x "$MOTO_SERVER" ] || {
    log "no moto_server at $MOTO_SERVER (run \`cargo xtask test\` once, or set MOTO_SERVER)"
    exit 2
}

WORK=$(mktemp -d /tmp/dropin-json-project.XXXXXX)
MOTO_PID=
MOTO_LOG=$WORK/moto.log
cleanup() {
    if [ -n "$MOTO_PID" ]; then
        kill "$MOTO_PID" 2>/dev/null || true
        wait "$MOTO_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# ---------------------------------------------------------------- the project
mkdir -p "$WORK/src"
cat >"$WORK/Cargo.toml" <<'EOF'
[package]
name = "dropin-json"
version = "0.0.0"
edition = "2024"
publish = false

# Its own workspace: never part of the repository's.
[workspace]

[dependencies]
aws-sdk-dynamodb = "=1.136.0"
aws-sdk-sqs = "=1.119.0"
aws-sdk-kms = "=1.129.0"
aws-sdk-cloudwatchlogs = "=1.162.0"
aws-config = { version = "=1.13.0", features = ["behavior-version-latest"] }
tokio = { version = "1", features = ["macros", "rt-multi-thread", "net", "io-util", "time"] }
EOF
cp "$HERE/main.rs" "$WORK/src/main.rs"
cp "$HERE/Cargo.lock" "$WORK/Cargo.lock"

log "building against the real aws-sdk-* crates (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
(cd "$WORK" && nice -n 10 cargo build --locked --quiet)
BIN=$CARGO_TARGET_DIR/debug/dropin-json

# ---------------------------------------------------------------- moto
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
"$MOTO_SERVER" -H 127.0.0.1 -p "$PORT" >"$MOTO_LOG" 2>&1 &
MOTO_PID=$!
for _ in $(seq 1 100); do
    if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then
        break
    fi
    if ! kill -0 "$MOTO_PID" 2>/dev/null; then
        log "moto_server exited early:"
        cat "$MOTO_LOG" >&2
        exit 2
    fi
    sleep 0.2
done
curl -s -o /dev/null "http://127.0.0.1:$PORT/" || {
    log "moto_server did not answer on port $PORT"
    exit 2
}
log "moto on 127.0.0.1:$PORT"

# ---------------------------------------------------------------- run
status=0
SES_CLIENT_MOTO_ENDPOINT=http://127.0.0.1:$PORT timeout 300 "$BIN" || status=$?
if [ "$status" -ne 0 ]; then
    log "dropin-json failed (exit $status); moto log tail:"
    tail -n 20 "$MOTO_LOG" >&2 || true
fi
exit "$status"
