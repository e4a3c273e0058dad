"""The ``jupylabel`` command: ``serve`` a DuckDB file to a team, and manage its users.

    jupylabel serve labels.duckdb --host 127.0.0.1 --port 8080
    jupylabel user add bo@example.com --db labels.duckdb      # prints Bo's token
    jupylabel user list --db labels.duckdb

    jupylabel member add reviews bo@example.com --role annotator --db labels.duckdb
    jupylabel member list reviews --db labels.duckdb

A running server holds the file, so ``user add`` and ``member …`` then go through the server
instead: ``jupylabel user add bo@example.com --server http://127.0.0.1:8080 --token ADMIN_TOKEN``.
A project is named by id or title.
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

    member = sub.add_parser("member", help="who works in a project, and as what")
    member_sub = member.add_subparsers(dest="member_command", required=True)
    for name, text in (("add", "make a user a member (or change their role)"), ("remove", "take a user out"),
                       ("list", "list the members")):
        cmd = member_sub.add_parser(name, help=text)
        cmd.add_argument("project", help="the project's id or title")
        if name != "list":
            cmd.add_argument("email")
        if name == "add":
            cmd.add_argument("--role", default="annotator",
                             help="annotator (default), reviewer, or manager (also: owner)")
        cmd.add_argument("--db", default="labels.duckdb", help="the .duckdb file (default labels.duckdb)")
        cmd.add_argument("--server", help="URL of a running server that holds the file")
        cmd.add_argument("--token", default=os.environ.get("JUPYLABEL_TOKEN"),
                         help="a token of an admin or of the project's manager, for --server "
                              "(default $JUPYLABEL_TOKEN)")

    args = parser.parse_args(argv)
    if args.command == "serve":
        return _serve(args)
    if args.command == "member":
        return _member_remote(args) if args.server else _member_local(args)
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
    from .store.access import default_annotator

    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    store = _open(args.path)
    if not any(u["has_token"] and u["is_admin"] for u in store.list_users()):
        # nobody could manage this server: whoever starts it on the file is its owner
        owner = default_annotator()
        token = store.issue_token(owner, admin=True)
        print(f"jupylabel: no admin yet, so {owner} is the admin; their token (shown once):\n  {token}\n"
              f"  more users: jupylabel user add EMAIL --server URL --token {token[:6]}…", file=sys.stderr)
    server = Server(store, host=args.host, port=args.port, allowed_hosts=args.allowed_host,
                    outbound_allow=args.allow_outbound, log_level=args.log_level.lower(),
                    db_threads=args.db_threads)
    print(f"jupylabel: serving {args.path} at http://{args.host}:{args.port} (Ctrl+C stops); "
          f"teammates without a notebook open http://{args.host}:{args.port}/app", file=sys.stderr, flush=True)
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


def _project_key(text: str) -> int | str:
    return int(text) if text.isdigit() else text


def _member_local(args) -> int:
    from .errors import NotFoundError

    store = _open(args.db)
    try:
        project = store.get_project(_project_key(args.project))
        if args.member_command == "add":
            added = store.add_member(project["id"], args.email, args.role)
            print(f"{args.email} is now {added['role']} of {project['title']!r}", file=sys.stderr)
        elif args.member_command == "remove":
            store.remove_member(project["id"], args.email)
            print(f"{args.email} is no longer a member of {project['title']!r}", file=sys.stderr)
        else:
            for m in store.list_members(project["id"]):
                print(f"{m['user']}\t{m['email']}\t{m['role']}")
    except (NotFoundError, ValueError) as exc:
        print(f"jupylabel: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()
    return 0


def _member_remote(args) -> int:
    import requests

    if not args.token:
        print("jupylabel: --server needs a --token (or $JUPYLABEL_TOKEN)", file=sys.stderr)
        return 2
    base, session = args.server.rstrip("/"), requests.Session()
    session.headers["Authorization"] = f"Token {args.token}"

    def call(method: str, path: str, **kw) -> requests.Response | None:
        r = session.request(method, base + path, timeout=30, **kw)
        if r.status_code >= 300:
            try:
                detail = r.json().get("detail", r.text)
            except ValueError:
                detail = r.text
            print(f"jupylabel: the server answered {r.status_code}: {detail}", file=sys.stderr)
            return None
        return r

    key = _project_key(args.project)
    listed = call("GET", "/api/jupylabel/projects")
    if listed is None:
        return 1
    found = [p for p in listed.json() if (p["id"] == key if isinstance(key, int) else p["title"] == key)]
    if len(found) != 1:
        print(f"jupylabel: {len(found) or 'no'} projects named {args.project!r} that this token may see",
              file=sys.stderr)
        return 1
    pid = found[0]["id"]
    if args.member_command == "add":
        r = call("POST", f"/api/projects/{pid}/members", json={"email": args.email, "role": args.role})
        if r is None:
            return 1
        print(f"{args.email} is now {r.json()['role']} of {found[0]['title']!r}", file=sys.stderr)
        return 0
    members = call("GET", f"/api/projects/{pid}/members")
    if members is None:
        return 1
    if args.member_command == "list":
        for m in members.json():
            print(f"{m['user']}\t{m['email']}\t{m['role']}")
        return 0
    ids = [m["user"] for m in members.json() if m["email"] == args.email]
    if not ids:
        print(f"jupylabel: {args.email} is not a member of {found[0]['title']!r}", file=sys.stderr)
        return 1
    return 0 if call("DELETE", f"/api/projects/{pid}/members/{ids[0]}") is not None else 1


if __name__ == "__main__":
    raise SystemExit(main())
