#!/usr/bin/env bash
# The whole proof on a fresh machine: installs dependencies, starts a throwaway PostgreSQL (Redis servers are started
# per test file by the tests themselves), builds, type-checks, runs every test on SQLite and again the database-backed
# suites on PostgreSQL, stops what it started. Exits non-zero on any failure; every step has a time limit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=$(mktemp -d /tmp/nebulagate-ci.XXXXXX)
PG_DATA="$WORK/pg"
PG_STARTED=0
export CI="${CI:-true}"

log() { printf '\n== %s\n' "$*"; }

cleanup() {
  local status=$?
  if [ "$PG_STARTED" = 1 ]; then
    log "stopping PostgreSQL"
    run_as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
  exit $status
}
trap cleanup EXIT INT TERM

as_root() { [ "$(id -u)" = 0 ]; }
apt_install() {
  if as_root; then
    log "installing $* with apt-get"
    if [ -z "${APT_UPDATED:-}" ]; then DEBIAN_FRONTEND=noninteractive apt-get update -qq; APT_UPDATED=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    echo "missing $*: install it (e.g. sudo apt-get install -y $*) and re-run" >&2
    exit 1
  fi
}

# ---------- system dependencies
command -v redis-server >/dev/null || apt_install redis-server
command -v chromium >/dev/null || [ -n "${CHROMIUM_PATH:-}" ] || apt_install chromium
PG_BIN=""
for candidate in /usr/local/bin /usr/lib/postgresql/*/bin; do
  if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then PG_BIN=$candidate; break; fi
done
if [ -z "$PG_BIN" ]; then
  apt_install postgresql
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi

# ---------- node dependencies (npm ci fails on this registry's optional platform packages)
log "npm install"
timeout 15m npm install --no-audit --no-fund --loglevel=error

# ---------- PostgreSQL on a free loopback port
PG_PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
if as_root; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  run_as_pg() { su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; }
  chown postgres "$WORK"
else
  run_as_pg() { "$@"; }
fi
mkdir -p "$PG_DATA"
as_root && chown postgres "$PG_DATA"
log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
run_as_pg "$PG_BIN/initdb" -D "$PG_DATA" -A trust -U postgres >/dev/null
run_as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -w -t 60 -l "$WORK/pg.log" \
  -o "-p $PG_PORT -k $WORK -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
PG_STARTED=1
export NEBULA_TEST_PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"

# ---------- build and type checks
log "build (server packages + admin UI)"
timeout 10m npm run build --silent
log "type check"
timeout 10m npm run typecheck --silent
log "admin UI types match schema.graphql"
timeout 5m npm run codegen --silent -w admin-ui >/dev/null
if [ -d .git ] && ! git diff --quiet -- admin-ui/src/gql; then
  echo "admin-ui/src/gql is stale: run 'npm run codegen -w admin-ui' and commit the result" >&2
  git --no-pager diff --stat -- admin-ui/src/gql >&2
  exit 1
fi

# ---------- tests
RESULTS="$WORK/results"
mkdir -p "$RESULTS"
run_jest() { # database, jest arguments...
  local database=$1; shift
  log "jest on $database"
  TEST_DB=$database timeout 30m npx jest --ci --json --outputFile="$RESULTS/$database.json" "$@" || return 1
}
FAILED=0
run_jest sqlite || FAILED=1
# The database-backed suites again on PostgreSQL.
run_jest postgres control-plane/ workers/ tests/ || FAILED=1

node -e '
const fs = require("fs"); let passed = 0, failed = 0, suitesFailed = 0;
for (const file of fs.readdirSync(process.argv[1])) {
  const result = JSON.parse(fs.readFileSync(process.argv[1] + "/" + file, "utf8"));
  passed += result.numPassedTests; failed += result.numFailedTests; suitesFailed += result.numFailedTestSuites;
  console.log(`${file.replace(".json", "")}: ${result.numPassedTests} passed, ${result.numFailedTests} failed, ${result.numFailedTestSuites} failed suites`);
}
console.log(`${passed} passed, ${failed + suitesFailed} failed`);
' "$RESULTS"
exit $FAILED
