#!/usr/bin/env bash
# Installs, starts and prepares what the full test suite needs beyond Python:
#   PostgreSQL  127.0.0.1:5432, user postgres (trust), database test
#   MariaDB     127.0.0.1:3306, user root (no password), database test
#   GNU parallel (docs/scale.md's recipe is run by the tests)
# Debian's packages through apt-get; run as root. Idempotent: a second run takes seconds.
# Without it the tests that need these skip, naming this script; in CI nothing may skip.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
log() { echo "services: $*" >&2; }

apt_updated=0
apt_install() {
    if [ "$apt_updated" = 0 ]; then
        log "apt-get update"
        apt-get update -q >/dev/null
        apt_updated=1
    fi
    log "installing $*"
    # A package's own start script fails without an init system; we start servers ourselves.
    apt-get install -y -q --no-install-recommends "$@" >/dev/null
}

wait_for() {  # wait_for NAME COMMAND...: up to 60 s
    local name=$1; shift
    for _ in $(seq 1 120); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.5
    done
    log "$name did not answer within 60 s"
    return 1
}

# --- packages --------------------------------------------------------------------------
missing=()
command -v pg_ctlcluster >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 \
    || missing+=(postgresql)
command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server)
command -v mariadb >/dev/null 2>&1 || missing+=(mariadb-client)
command -v parallel >/dev/null 2>&1 || missing+=(parallel)
if [ "${#missing[@]}" -gt 0 ]; then
    apt_install "${missing[@]}"
fi

# --- PostgreSQL ------------------------------------------------------------------------
pg_version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
if ! pg_lsclusters -h 2>/dev/null | awk '{print $1, $2}' | grep -q "^$pg_version main$"; then
    log "creating the PostgreSQL $pg_version cluster"
    pg_createcluster "$pg_version" main >/dev/null
fi
hba="/etc/postgresql/$pg_version/main/pg_hba.conf"
if ! grep -q "wpmigrate tests" "$hba"; then
    # First match wins: trust for postgres over loopback TCP, ahead of Debian's defaults.
    { echo "host all postgres 127.0.0.1/32 trust  # wpmigrate tests"
      echo "host all postgres ::1/128 trust  # wpmigrate tests"
      cat "$hba"; } > "$hba.new"
    chown postgres:postgres "$hba.new" 2>/dev/null || true
    mv "$hba.new" "$hba"
    pg_ctlcluster --skip-systemctl-redirect "$pg_version" main reload >/dev/null 2>&1 || true
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    log "starting PostgreSQL $pg_version"
    pg_ctlcluster --skip-systemctl-redirect "$pg_version" main start
fi
wait_for PostgreSQL pg_isready -q -h 127.0.0.1 -p 5432
wait_for PostgreSQL psql -X -q -h 127.0.0.1 -U postgres -d postgres -c "select 1"
if [ "$(psql -X -tA -h 127.0.0.1 -U postgres -d postgres \
        -c "select 1 from pg_database where datname = 'test'")" != 1 ]; then
    psql -X -q -h 127.0.0.1 -U postgres -d postgres -c "create database test"
fi

# --- MariaDB ---------------------------------------------------------------------------
mariadbd=$(command -v mariadbd || echo /usr/sbin/mariadbd)
if [ ! -d /var/lib/mysql/mysql ]; then
    log "initialising the MariaDB data folder"
    mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
fi
mkdir -p /run/mysqld
chown mysql:mysql /run/mysqld
if ! mariadb-admin --protocol=socket -u root ping >/dev/null 2>&1; then
    log "starting MariaDB"
    # setsid: the server outlives this script, and no terminal signal reaches it.
    setsid "$mariadbd" --user=mysql --bind-address=127.0.0.1 --port=3306 \
        >/var/log/wpmigrate-mariadb.log 2>&1 < /dev/null &
fi
wait_for MariaDB mariadb-admin --protocol=socket -u root ping
# root over TCP without a password, as the tests connect; through the socket as root.
mariadb --protocol=socket -u root <<'SQL'
CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('');
CREATE DATABASE IF NOT EXISTS test;
FLUSH PRIVILEGES;
SQL
wait_for MariaDB mariadb-admin -h 127.0.0.1 -P 3306 -u root ping

log "PostgreSQL and MariaDB are up on 127.0.0.1; GNU parallel is $(command -v parallel)"
