#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on loopback for the test suite, installing it from
# Debian's packages when it is missing. Sourced by .ci/run: on success it exports
# RESILIENCE_TEST_PG_URL (tests against PostgreSQL skip, with a reason, without it) and
# registers a trap that stops the server when the run ends.

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

start_test_postgres() {
    if [ -n "${RESILIENCE_TEST_PG_URL:-}" ]; then
        echo "postgres: using the server in RESILIENCE_TEST_PG_URL"
        return 0
    fi
    if [ -z "$(pg_bin)" ]; then
        if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
            echo "postgres: not installed and cannot install it here; PostgreSQL tests will skip"
            return 0
        fi
        echo "postgres: installing from Debian's packages"
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
    local bin run_as data port
    bin="$(pg_bin)"
    # a free port on loopback, unless one is named: a server left running elsewhere on
    # the machine must not make this run fail
    port="${RESILIENCE_TEST_PG_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
    data="$(mktemp -d /tmp/resilience-pg.XXXXXX)"
    run_as=()
    if [ "$(id -u)" = 0 ]; then  # PostgreSQL refuses to run as root
        chown postgres: "$data"
        run_as=(runuser -u postgres --)
    fi
    "${run_as[@]}" "$bin/initdb" -D "$data/db" -U postgres -A trust --no-sync >/dev/null
    "${run_as[@]}" "$bin/pg_ctl" -D "$data/db" -l "$data/server.log" -w -o \
        "-c listen_addresses=127.0.0.1 -p $port -k $data -c fsync=off" start >/dev/null
    export RESILIENCE_TEST_PG_URL="postgresql://postgres@127.0.0.1:$port/postgres"
    export RESILIENCE_TEST_PG_STOP="${run_as[*]} $bin/pg_ctl -D $data/db -m fast stop"
    trap 'eval "$RESILIENCE_TEST_PG_STOP" >/dev/null 2>&1 || true' EXIT
    echo "postgres: $("$bin/postgres" --version) listening on 127.0.0.1:$port"
}
