"""Exit 0 when a PostgreSQL server accepts a connection at the URL given as the only argument, else 1."""

import sys

import psycopg

try:
    psycopg.connect(sys.argv[1].replace("postgres://", "postgresql://", 1), dbname="postgres", connect_timeout=3).close()
except psycopg.OperationalError as error:
    print(f"PostgreSQL check failed: {error}".strip(), file=sys.stderr)
    sys.exit(1)
