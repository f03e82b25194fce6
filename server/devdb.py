"""Finding a PostgreSQL server for local runs and tests, and making throw-away databases.

In order: the URL in `TERRAIN_TEST_DATABASE_URL` (a server where we may create databases);
else a server answering on 127.0.0.1:5432; else a private cluster started with
`initdb`/`pg_ctl` under `.pgdata/`. Nothing here is used by the running service.
"""

import glob
import os
import shutil
import socket
import subprocess
import uuid
from pathlib import Path

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError

from server.settings import normalise_database_url

LOCAL_SERVER_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PRIVATE_PORT = 55432


class NoPostgres(RuntimeError):
    """No PostgreSQL server could be found or started."""


def _answers(url: str) -> bool:
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except OperationalError:
        return False
    finally:
        engine.dispose()


def _pg_bin(tool: str) -> str:
    found = shutil.which(tool) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{tool}"), reverse=True)), None
    )
    if found is None:
        raise NoPostgres(f"No PostgreSQL server reachable and no `{tool}` to start one.")
    return found


def _as_postgres_user(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root; as root, run its tools as the postgres user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def start_private_cluster(data_dir: Path, port: int = PRIVATE_PORT) -> str:
    """Start (creating if needed) a cluster in `data_dir`, listening on loopback only."""
    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    if _answers(url):
        return url
    data_dir.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(data_dir, "postgres", "postgres")
    if not (data_dir / "PG_VERSION").exists():
        subprocess.run(
            _as_postgres_user(
                [
                    _pg_bin("initdb"),
                    "-D",
                    str(data_dir),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                ]
            ),
            check=True,
            capture_output=True,
        )
    options = f"-p {port} -k {data_dir} -c listen_addresses=127.0.0.1"
    subprocess.run(
        _as_postgres_user(
            [
                _pg_bin("pg_ctl"),
                "-D",
                str(data_dir),
                "-o",
                options,
                "-l",
                str(data_dir / "log"),
                "-w",
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )
    return url


def _port_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((host, port)) == 0


def find_server(private_dir: Path) -> str:
    """A URL of a server on which databases may be created (see the module docstring)."""
    explicit = os.environ.get("TERRAIN_TEST_DATABASE_URL")
    if explicit:
        url = normalise_database_url(explicit)
        if not _answers(url):
            raise NoPostgres(f"TERRAIN_TEST_DATABASE_URL does not answer: {explicit}")
        return url
    if _port_open("127.0.0.1", 5432) and _answers(LOCAL_SERVER_URL):
        return LOCAL_SERVER_URL
    return start_private_cluster(private_dir)


def create_database(server_url: str, prefix: str = "terrain_test") -> str:
    """Create a new empty database and return its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    ensure_database(server_url, name)
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def ensure_database(server_url: str, name: str) -> str:
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_database(database_url: str) -> None:
    url = make_url(database_url)
    engine = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    finally:
        engine.dispose()


def main() -> None:
    """`python -m server.devdb NAME`: print the URL of database NAME, creating it if needed."""
    import sys

    name = sys.argv[1] if len(sys.argv) > 1 else "terrain"
    server = find_server(Path.cwd() / ".pgdata")
    print(ensure_database(server, name))


if __name__ == "__main__":
    main()
