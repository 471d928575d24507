#!/usr/bin/env bash
# A throwaway PostgreSQL primary and its streaming replica (hot standby) for trying the read
# replica (core/replica.py, docs/deploy.md "Read replica and PgBouncer") and for
# core/tests/test_replica_streaming.py. Not for production: trust authentication, fsync off.
#
#   scripts/replica_cluster.sh start DIR [PRIMARY_PORT] [REPLICA_PORT]   (default 5460 5461)
#   scripts/replica_cluster.sh stop DIR
#
# Run as root (the clusters run as the user postgres) or as postgres. Then, e.g.:
#   GENXI_TEST_STREAMING_REPLICA=1 DATABASE_URL=postgres://postgres@127.0.0.1:5460/genxi \
#   DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:5461/genxi \
#   pytest src/genxi/core/tests/test_replica_streaming.py
set -euo pipefail
bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
cmd=${1:?start or stop}
dir=${2:?a directory for the two clusters}
primary_port=${3:-5460}
replica_port=${4:-5461}
as_postgres() { if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi; }

case "$cmd" in
start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [ "$(id -un)" = postgres ] || chown postgres:postgres "$dir"
    as_postgres "$bin/initdb" -D "$dir/primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >>"$dir/primary/postgresql.conf" <<CONF
port = $primary_port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
wal_level = replica
max_wal_senders = 5
shared_buffers = 32MB
fsync = off
CONF
    echo "host replication postgres 127.0.0.1/32 trust" >>"$dir/primary/pg_hba.conf"
    as_postgres "$bin/pg_ctl" -D "$dir/primary" -l "$dir/primary.log" -w start >/dev/null
    # -R writes standby.signal and primary_conninfo: the copy starts as a streaming standby.
    as_postgres "$bin/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres \
        -D "$dir/replica" -R -X stream
    sed -i "s/^port = $primary_port\$/port = $replica_port/" "$dir/replica/postgresql.conf"
    as_postgres "$bin/pg_ctl" -D "$dir/replica" -l "$dir/replica.log" -w start >/dev/null
    psql -h 127.0.0.1 -p "$replica_port" -U postgres -Atc \
        "SELECT 'replica in recovery: ' || pg_is_in_recovery() || ', receiver: ' || coalesce((SELECT status FROM pg_stat_wal_receiver), 'none')"
    ;;
stop)
    for c in replica primary; do
        [ -d "$dir/$c" ] && as_postgres "$bin/pg_ctl" -D "$dir/$c" -m fast -w stop || true
    done
    ;;
*)
    echo "usage: $0 start|stop DIR [PRIMARY_PORT] [REPLICA_PORT]" >&2
    exit 2
    ;;
esac
