"""A real PostgreSQL + pgvector cluster for tests: `pg_dsn` (session scope), started here and stopped after.

`pgserver` (PyPI) bundles PostgreSQL 16 with pgvector 0.6 and runs a throwaway
cluster on a Unix socket; `make test` installs it. If the cluster cannot start,
the tests that use it fail (an error in this fixture): they never skip.
Import the fixture into a test module: `from tests.pgkit import pg_dsn`.
"""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def pg_dsn():
    import shutil
    import tempfile

    import pgserver

    # Not under pytest's basetemp: every pytest session on the machine resets that to mode 0700, which
    # locks out the OS user `pgserver` that the cluster runs as when the tests run as root.
    pgdata = tempfile.mkdtemp(prefix="hpqa-pgtest-")
    server = pgserver.get_server(pgdata, cleanup_mode="delete")
    try:
        assert "vector" in server.psql("CREATE EXTENSION IF NOT EXISTS vector; SELECT extname FROM pg_extension;")
        yield server.get_uri()
    finally:
        server.cleanup()
        shutil.rmtree(pgdata, ignore_errors=True)
