#!/usr/bin/env bash
# Runs once, when the postgres container initialises an empty data folder (docker-entrypoint-initdb.d):
# the role the server and workers connect as, neither superuser nor able to create databases or roles,
# owning the one database they use. The superuser (POSTGRES_USER) stays for administration only.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  --set=user="$CDIFF_DB_USER" --set=password="$CDIFF_DB_PASSWORD" <<'SQL'
CREATE ROLE :"user" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'password';
CREATE DATABASE cdiff OWNER :"user";
SQL
