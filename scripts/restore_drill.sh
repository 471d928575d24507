#!/usr/bin/env bash
# The restore drill (docs/operations.md): restore the latest pgBackRest backup, and the WAL
# archived after it, into a fresh PostgreSQL cluster; count the rows of the main tables;
# run `genxi audit verify` against the restored database; print PASS or FAIL and the time
# each step took; stop the cluster and delete it (unless --keep).
#
#   scripts/restore_drill.sh [options]                   production: the stanza's latest backup
#   scripts/restore_drill.sh --self-contained [options]  builds its own source first (below)
#
# --self-contained builds the source too, so the drill repeats on any machine with
# PostgreSQL 15 and pgbackrest: a cluster on --source-port (5450) archiving its WAL into a
# scratch repository, genxi migrated into it (owner and app roles, docs/deploy.md), the demo
# data and audit events, a full backup, then more audit events after the backup (only WAL
# replay brings those back); the restored counts must equal the source's, and the restored
# audit chain must still hold the head the source printed.
#
# Options:
#   --self-contained     build the source cluster and its repository first (see above)
#   --no-demo            --self-contained: no `genxi load_demo` (migrations and audit events only; faster)
#   --keep               leave the clusters running and their files in place (prints how to stop them)
#   --dir DIR            where the drill works (default: a new directory under /var/tmp);
#                        with --self-contained every cluster and the repository live there
#   --port N             port of the restored cluster (default 5451); it listens on a socket in DIR only
#   --source-port N      --self-contained: port of the source cluster (default 5450)
#   --stanza NAME        pgBackRest stanza (default genxi; genxi-drill with --self-contained)
#   --config FILE        pgBackRest configuration (default /etc/pgbackrest.conf)
#   --set LABEL          restore this backup set rather than the latest (pgbackrest info lists them)
#   --target TIME        point in time: replay WAL up to TIME ("2026-12-03 14:05:00+08") and stop
#   --db NAME            database to check (default genxi)
#   --app-role NAME      the app's role, as which `genxi audit verify` runs (default genxi_app)
#   --head SEQ:HASH      a head printed by an earlier `genxi audit verify` (kept outside the server):
#                        the restored chain must still hold it
#   --compare-url URL    a database that must hold exactly the restored row counts (a quiescent source)
#
# Environment: GENXI (the genxi command; default the checkout's .venv/bin/genxi, else genxi on
# PATH) with its settings (e.g. /etc/genxi/genxi.env loaded: DATABASE_URL is replaced by the
# restored database's, DATABASE_MIGRATE_URL is unset); PGBIN (default /usr/lib/postgresql/15/bin).
# Run it as root (it runs PostgreSQL and pgbackrest as the postgres user) or as postgres.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
self=0 demo=1 keep=0 dir="" port=5451 source_port=5450 stanza="" config="" set_label="" target=""
db=genxi app_role=genxi_app head="" compare_url=""

die() { echo "restore_drill: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --self-contained) self=1 ;;
    --no-demo) demo=0 ;;
    --keep) keep=1 ;;
    --dir) dir=${2:?--dir DIR}; shift ;;
    --port) port=${2:?--port N}; shift ;;
    --source-port) source_port=${2:?--source-port N}; shift ;;
    --stanza) stanza=${2:?--stanza NAME}; shift ;;
    --config) config=${2:?--config FILE}; shift ;;
    --set) set_label=${2:?--set LABEL}; shift ;;
    --target) target=${2:?--target TIME}; shift ;;
    --db) db=${2:?--db NAME}; shift ;;
    --app-role) app_role=${2:?--app-role NAME}; shift ;;
    --head) head=${2:?--head SEQ:HASH}; shift ;;
    --compare-url) compare_url=${2:?--compare-url URL}; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (--help lists them)" ;;
  esac
  shift
done

if [ -z "${GENXI:-}" ]; then
  if [ -x "$here/.venv/bin/genxi" ]; then GENXI=$here/.venv/bin/genxi; else GENXI=$(command -v genxi || true); fi
fi
[ -n "$GENXI" ] || die "no genxi command: set GENXI"
[ -x "$PGBIN/pg_ctl" ] || die "no PostgreSQL in $PGBIN: set PGBIN"
command -v pgbackrest >/dev/null || die "pgbackrest is not installed (apt-get install pgbackrest)"
pguser=postgres
if [ "$(id -u)" != 0 ]; then pguser=$(id -un); fi
id "$pguser" >/dev/null 2>&1 || die "no user $pguser"

# Commands that touch the clusters' files run as the postgres user, from a directory it may read.
as_pg() {
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u "$pguser" -- "$@"); else (cd / && "$@"); fi
}

in_use() { "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$1" >/dev/null 2>&1 || [ $? != 2 ]; }
! in_use "$port" || die "something answers on port $port: pick another --port"
[ "$self" = 0 ] || ! in_use "$source_port" || die "something answers on port $source_port: pick another --source-port"

if [ -z "$dir" ]; then
  dir=$(mktemp -d /var/tmp/genxi-drill.XXXXXX)
  made_dir=1
else
  [ ! -e "$dir" ] || [ -z "$(ls -A "$dir")" ] || die "$dir is not empty (a drill left it? remove it or pick another --dir)"
  mkdir -p "$dir"
  made_dir=1
fi
[ "$(id -u)" != 0 ] || chown "$pguser" "$dir"
chmod 700 "$dir"
sock=$dir/sock
restored=$dir/restored
as_pg mkdir -m 700 "$sock" "$dir/log"

if [ "$self" = 1 ]; then
  stanza=${stanza:-genxi-drill}
  config=${config:-$dir/pgbackrest.conf}
  source=$dir/source
else
  stanza=${stanza:-genxi}
  config=${config:-/etc/pgbackrest.conf}
  [ -r "$config" ] || die "cannot read $config"
fi
pgbr() { as_pg pgbackrest --config="$config" --stanza="$stanza" --log-level-console=warn "$@"; }

# ---- clean-up: stop what this run started, delete what it made, on every exit ----
started=()
failed=1
cleanup() {
  local rc=$?
  for data in "${started[@]}"; do
    if [ "$keep" = 1 ] && [ "$failed" = 0 ]; then continue; fi
    as_pg "$PGBIN/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null 2>&1 ||
      as_pg "$PGBIN/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
  done
  if [ "$keep" = 1 ]; then
    echo "kept: $dir"
    [ "$failed" = 1 ] || for data in "${started[@]}"; do echo "  stop with: runuser -u $pguser -- $PGBIN/pg_ctl -D $data stop"; done
  elif [ "${made_dir:-0}" = 1 ]; then
    rm -rf "$dir"
  fi
  if [ "$failed" = 1 ]; then
    echo "FAIL (exit $rc)${current_step:+ during: $current_step}; logs were in $dir/log" >&2
    [ "$keep" = 1 ] || echo "  (run again with --keep to keep them)" >&2
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- steps and their times ----
timings=()
t_all=$(date +%s.%N)
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
step() {  # step "what" command...: run it, print how long it took
  current_step=$1
  local t0 t1
  t0=$(date +%s.%N)
  echo "== $1"
  shift
  "$@"
  t1=$(date +%s.%N)
  timings+=("$(printf '%7.1f s  %s' "$(seconds "$t0" "$t1")" "$current_step")")
  printf '   %.1f s\n' "$(seconds "$t0" "$t1")"
  current_step=""
}

psql_at() {  # psql_at PORT DB SQL: one unaligned value per line, through the drill's socket
  as_pg "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -At -h "$sock" -p "$1" -U postgres -d "$2" -c "$3"
}

# ---- the source (--self-contained only) ----
owner_url="postgres://genxi:genxi-drill@127.0.0.1:$source_port/$db"
app_url="postgres://$app_role:genxi-drill-app@127.0.0.1:$source_port/$db"

make_source() {
  as_pg "$PGBIN/initdb" -D "$source" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/log/initdb.log"
  cat >"$config" <<EOF
[global]
repo1-path=$dir/repo
repo1-retention-full=2
log-path=$dir/log
lock-path=$dir/lock
spool-path=$dir/spool
compress-type=zst
start-fast=y
archive-timeout=120

[$stanza]
pg1-path=$source
pg1-port=$source_port
pg1-socket-path=$sock
EOF
  chown "$pguser" "$config"
  cat >>"$source/postgresql.conf" <<EOF
# restore_drill.sh: the source
port = $source_port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$sock'
$(grep -v '^#' "$here/deploy/backup/postgresql-archiving.conf" | grep . | sed "s|--stanza=genxi |--config=$config --stanza=$stanza |")
EOF
  as_pg "$PGBIN/pg_ctl" -D "$source" -l "$dir/log/source.log" -w -t 60 start >/dev/null
  started+=("$source")
  pgbr stanza-create
}

migrate_and_load() {
  psql_at "$source_port" postgres "CREATE ROLE genxi LOGIN PASSWORD 'genxi-drill'" >/dev/null
  psql_at "$source_port" postgres "CREATE ROLE $app_role LOGIN PASSWORD 'genxi-drill-app'" >/dev/null
  psql_at "$source_port" postgres "CREATE DATABASE $db OWNER genxi" >/dev/null
  DATABASE_MIGRATE_URL=$owner_url DATABASE_URL=$app_url "$GENXI" migrate --no-input -v 0
  [ "$demo" = 0 ] || DATABASE_URL=$app_url "$GENXI" load_demo -v 0 >"$dir/log/load_demo.log" 2>&1 ||
    { tail -20 "$dir/log/load_demo.log" >&2; return 1; }
}

write_audit_events() {  # write_audit_events N: N events as the app's role, sealed
  DATABASE_URL=$app_url "$GENXI" shell -v 0 -c "
from django.db import transaction
from genxi.core import audit
with transaction.atomic():
    for _ in range($1):
        audit.record(actor=None, verb='ops.check')"
  DATABASE_URL=$app_url "$GENXI" audit seal -v 0
}

after_the_backup() {
  write_audit_events 200
  # The head the restored chain must hold, as an operator keeps it outside the server.
  head=$(DATABASE_URL=$app_url "$GENXI" audit verify | sed -n 's/.*head \([0-9]*:[0-9a-f]*\)$/\1/p')
  [ -n "$head" ] || { echo "the source's audit verify printed no head" >&2; return 1; }
  echo "   source's audit head $head"
  # Switches the WAL file and waits until it is archived: all the above is in the archive.
  pgbr check
  compare_url=$owner_url
}

# ---- the restore ----
restore() {
  as_pg mkdir -m 700 "$restored"
  # Its own lock and log directories: WAL fetched for the scratch cluster (restore_command
  # carries these options) never contends with the production cluster's archive-push.
  local args=(--pg1-path="$restored" --archive-mode=off --lock-path="$dir/lock" --log-path="$dir/log")
  [ -z "$set_label" ] || args+=(--set="$set_label")
  if [ -n "$target" ]; then args+=(--type=time --target="$target" --target-action=promote); fi
  # A stanza's other repositories or hosts are those of the configuration file; the only
  # thing overridden is where the files go, so the production cluster is never touched.
  pgbr restore "${args[@]}"
}

start_restored() {
  # The cluster's own postgresql.conf (Debian keeps it in /etc, so it may be absent) is not
  # used: a port, a socket only in the drill's directory, trust on that socket, no archiving
  # (the restored cluster must never push WAL into the production repository), no hot standby
  # (so it need not match the source's max_connections).
  cat >"$dir/drill.conf" <<EOF
port = $port
listen_addresses = ''
unix_socket_directories = '$sock'
hba_file = '$dir/drill_hba.conf'
ident_file = '$dir/drill_ident.conf'
archive_mode = off
hot_standby = off
shared_buffers = 128MB
max_connections = 20
logging_collector = off
EOF
  printf 'local all all trust\n' >"$dir/drill_hba.conf"
  : >"$dir/drill_ident.conf"
  [ "$(id -u)" != 0 ] || chown "$pguser" "$dir/drill.conf" "$dir/drill_hba.conf" "$dir/drill_ident.conf"
  as_pg "$PGBIN/pg_ctl" -D "$restored" -o "-c config_file=$dir/drill.conf" \
    -l "$dir/log/restored.log" -w -t 3600 start >/dev/null
  started+=("$restored")
  for _ in $(seq 1 600); do
    [ "$(psql_at "$port" postgres 'SELECT pg_is_in_recovery()' 2>/dev/null)" = f ] && break
    sleep 1
  done
  [ "$(psql_at "$port" postgres 'SELECT pg_is_in_recovery()')" = f ] || {
    echo "still in recovery after 600 s" >&2
    return 1
  }
  grep -E 'redo done|recovery stopping|archive recovery complete|last completed transaction' \
    "$dir/log/restored.log" | sed 's/^/   /' || true
}

# The main tables, printed; every table of the schema is compared with --compare-url.
main_tables="regions_region people_user people_resident cases_case cases_caseevent core_auditevent core_auditseal"
counts() {  # counts PORT|URL: "table count" for every table of the public schema
  local sql="SELECT format('SELECT %L, count(*) FROM %I;', tablename, tablename) FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
  if [ "${1#postgres}" != "$1" ]; then
    "$PGBIN/psql" -X -v ON_ERROR_STOP=1 -At "$1" -c "$sql" | "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -At -F ' ' "$1"
  else
    psql_at "$1" "$db" "$sql" |
      as_pg "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -At -F ' ' -h "$sock" -p "$1" -U postgres -d "$db"
  fi
}

check_counts() {
  counts "$port" >"$dir/restored.counts"
  local t
  for t in $main_tables; do
    awk -v t="$t" '$1 == t { printf "   %-22s %10d\n", $1, $2 }' "$dir/restored.counts"
  done
  echo "   $(wc -l <"$dir/restored.counts") tables; database size $(psql_at "$port" "$db" "SELECT pg_size_pretty(pg_database_size('$db'))")"
  if [ -n "$compare_url" ]; then
    counts "$compare_url" >"$dir/source.counts"
    if ! diff -u "$dir/source.counts" "$dir/restored.counts" >"$dir/counts.diff"; then
      echo "   row counts differ from the source's (- source, + restored):" >&2
      grep '^[-+][a-z]' "$dir/counts.diff" >&2
      return 1
    fi
    echo "   every table's row count equals the source's"
  fi
  [ "$(awk '$1 == "core_auditevent" { print $2 }' "$dir/restored.counts")" -gt 0 ] ||
    { echo "   the restored database has no audit events" >&2; return 1; }
}

verify_audit() {
  local url="postgres://$app_role@${sock//\//%2F}:$port/$db"
  (
    unset DATABASE_MIGRATE_URL
    export DATABASE_URL=$url
    if [ -n "$head" ]; then "$GENXI" audit verify --head "$head"; else "$GENXI" audit verify; fi
  ) | sed 's/^/   /'
}

echo "restore drill: stanza $stanza ($config), restored cluster on port $port in $dir"
echo "   $(date -u '+%Y-%m-%d %H:%M UTC'), $(hostname), genxi $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo "(no git)"),$(uptime | sed 's/.*,\( *load average\)/\1/')"
if [ "$self" = 1 ]; then
  step "source: cluster with WAL archiving, stanza" make_source
  step "source: migrate$([ "$demo" = 0 ] || echo ", demo data")" migrate_and_load
  step "source: 500 audit events" write_audit_events 500
  step "source: full backup" pgbr backup --type=full
  step "source: 200 audit events after the backup, WAL archived" after_the_backup
fi
step "pgbackrest info" pgbr info
step "restore $([ -n "$set_label" ] && echo "backup set $set_label" || echo "the latest backup")${target:+ for $target}" restore
step "start, replay WAL${target:+ to $target}" start_restored
step "row counts" check_counts
step "genxi audit verify" verify_audit
failed=0
echo "== times"
printf '%s\n' "${timings[@]}"
printf '%7.1f s  total\n' "$(seconds "$t_all" "$(date +%s.%N)")"
echo "  $(uptime | sed 's/.*,\( *load average\)/\1/')"
echo "PASS"
