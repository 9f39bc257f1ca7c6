#!/usr/bin/env bash
# Smoke test of the quick-start default: no DATABASE_URL, no REDIS_URL. Starts the embedded PostgreSQL, migrates,
# serves with daphne, expects /health/ready/ to answer 200, then stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
data_dir=$(mktemp -d)
port=${SMOKE_PORT:-18765}
export JOBPILOT_DATA_DIR="$data_dir" DEBUG=1 PYTHONPATH=".:src"
unset DATABASE_URL REDIS_URL
cleanup() {
    [ -n "${server_pid:-}" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
    rm -rf "$data_dir"
}
trap cleanup EXIT

.venv/bin/python manage.py migrate_schemas --verbosity 0
.venv/bin/python manage.py seed_demo >/dev/null
.venv/bin/daphne -b 127.0.0.1 -p "$port" jobpilot.asgi:application >"$data_dir/daphne.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 60); do
    if status=$(curl -s -o "$data_dir/ready.json" -w '%{http_code}' "http://127.0.0.1:$port/health/ready/" -H "Host: localhost"); then
        [ "$status" = "200" ] && break
    fi
    sleep 0.5
done
cat "$data_dir/ready.json"; echo
[ "${status:-}" = "200" ] || { echo "embedded smoke test failed: /health/ready/ answered ${status:-nothing}"; cat "$data_dir/daphne.log"; exit 1; }
tenant_status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/site/" -H "Host: acme.localhost")
[ "$tenant_status" = "200" ] || { echo "demo tenant not served: $tenant_status"; exit 1; }
echo "embedded smoke test passed"
