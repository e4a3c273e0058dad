"""The ``jupylabel`` command: ``serve`` a DuckDB file to a team, and manage its users.

    jupylabel serve labels.duckdb --host 127.0.0.1 --port 8080
    jupylabel user add bo@example.com --db labels.duckdb      # prints Bo's token
    jupylabel user list --db labels.duckdb

A running server holds the file, so ``user add`` then goes through the server instead:
``jupylabel user add bo@example.com --server http://127.0.0.1:8080 --token ADMIN_TOKEN``.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="jupylabel", description="Label Studio-compatible labeling in notebooks.")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="share a DuckDB file with a team over Label Studio's REST API")
    serve.add_argument("path", help="the .duckdb file (created if missing)")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--allowed-host", action="append", default=None, metavar="NAME",
                       help="a Host name clients may use besides the bound address and this machine's names "
                            "(repeat; '*' turns the check off)")
    serve.add_argument("--allow-outbound", action="append", default=[], metavar="CIDR",
                       help="a private or loopback network webhooks may reach, e.g. 127.0.0.1/32 (repeat)")
    serve.add_argument("--db-threads", type=int, default=None, metavar="N",
                       help="threads DuckDB may use per query (default: one per core)")
    serve.add_argument("--log-level", default="info")

    user = sub.add_parser("user", help="users and their API tokens")
    user_sub = user.add_subparsers(dest="user_command", required=True)
    add = user_sub.add_parser("add", help="create a user (or renew its token) and print the token")
    add.add_argument("email")
    add.add_argument("--db", default="labels.duckdb", help="the .duckdb file (default labels.duckdb)")
    add.add_argument("--admin", action="store_true", help="may add users through the server")
    add.add_argument("--server", help="URL of a running server that holds the file")
    add.add_argument("--token", default=os.environ.get("JUPYLABEL_TOKEN"),
                     help="an admin token for --server (default $JUPYLABEL_TOKEN)")
    ls = user_sub.add_parser("list", help="list users")
    ls.add_argument("--db", default="labels.duckdb")

    args = parser.parse_args(argv)
    if args.command == "serve":
        return _serve(args)
    if args.user_command == "add":
        return _user_add(args)
    return _user_list(args)


def _open(path: str):
    from .errors import DatabaseInUseError
    from .store import DuckDBStore

    try:
        return DuckDBStore.open(path)
    except DatabaseInUseError as exc:
        print(f"jupylabel: {exc}", file=sys.stderr)
        raise SystemExit(1) from None


def _serve(args) -> int:
    from .server import Server
    from .store.duckdb_store import default_annotator

    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    store = _open(args.path)
    if not any(u["has_token"] for u in store.list_users()):
        owner = default_annotator()
        token = store.issue_token(owner, admin=True)
        print(f"jupylabel: first start, so {owner} is the admin; their token (shown once):\n  {token}\n"
              f"  more users: jupylabel user add EMAIL --server URL --token {token[:6]}…", file=sys.stderr)
    server = Server(store, host=args.host, port=args.port, allowed_hosts=args.allowed_host,
                    outbound_allow=args.allow_outbound, log_level=args.log_level.lower(),
                    db_threads=args.db_threads)
    print(f"jupylabel: serving {args.path} at http://{args.host}:{args.port} (Ctrl+C stops)", file=sys.stderr,
          flush=True)
    server.run()
    return 0


def _user_add(args) -> int:
    if args.server:
        import requests

        if not args.token:
            print("jupylabel: --server needs an admin --token (or $JUPYLABEL_TOKEN)", file=sys.stderr)
            return 2
        r = requests.post(args.server.rstrip("/") + "/api/users", json={"email": args.email, "is_admin": args.admin},
                          headers={"Authorization": f"Token {args.token}"}, timeout=30)
        if r.status_code != 201:
            print(f"jupylabel: the server answered {r.status_code}: {r.json().get('detail', r.text)}", file=sys.stderr)
            return 1
        print(r.json()["token"])
        return 0
    store = _open(args.db)
    token = store.issue_token(args.email, admin=True if args.admin else None)
    store.close()
    print(f"jupylabel: token for {args.email} (shown once; it replaces any earlier one):", file=sys.stderr)
    print(token)
    return 0


def _user_list(args) -> int:
    store = _open(args.db)
    for u in store.list_users():
        flags = ", ".join(f for f, on in (("admin", u["is_admin"]), ("token", u["has_token"])) if on)
        print(f"{u['id']}\t{u['email']}\t{flags}")
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
