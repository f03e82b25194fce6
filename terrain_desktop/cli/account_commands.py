"""`login`, `logout`, `status` and `sync`: the account and the server, from a script.

The same `SyncOperation` the window uses does the work; the token goes to the system keyring
and nowhere else, so a script that signs in once can sync in later runs.
"""

import argparse
import contextlib
import getpass
import json
import os
import sys

from terrain_desktop.app import token_file
from terrain_desktop.app.sync_problems import SyncProblems
from terrain_desktop.app.syncing import SignInNeeded, SyncOperation
from terrain_desktop.cli.naming import Refused
from terrain_desktop.store.local_store import LocalStore
from terrain_desktop.sync import account
from terrain_desktop.sync.client import ApiRefused, ApiUnavailable

PASSWORD_VARIABLE = "TERRAIN_PASSWORD"  # noqa: S105 (the variable's name, not a password)


def add_parsers(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    login = sub.add_parser(
        "login",
        help="sign in (password from TERRAIN_PASSWORD or the first line of standard input)",
    )
    login.add_argument("--server", help="the server's address (default: the one last used)")
    login.add_argument("--email", required=True)
    login.add_argument("--register", action="store_true", help="make the account first")
    login.add_argument(
        "--token-file",
        action="store_true",
        help="where the system has no keyring, keep the sign-in in a file only you can read "
        "(sign-in-tokens.json in the data folder) instead of refusing",
    )
    sub.add_parser("logout", help="sign out here (refused while changes wait to be synced)")
    status = sub.add_parser(
        "status", help="server, account, changes waiting and refused (exit 1 unless all synced)"
    )
    status.add_argument("--json", action="store_true", help="print JSON instead of lines")
    sync = sub.add_parser("sync", help="send this computer's changes and fetch the others'")
    sync.add_argument("--json", action="store_true", help="print JSON instead of lines")


def _password() -> str:
    if PASSWORD_VARIABLE in os.environ:
        return os.environ[PASSWORD_VARIABLE]
    if sys.stdin.isatty():
        return getpass.getpass("Password: ")
    return sys.stdin.readline().rstrip("\r\n")


def login(store: LocalStore, args: argparse.Namespace) -> int:
    operation = SyncOperation(store)
    if args.server:
        operation.set_server_url(args.server)
    password = _password()
    if not password:
        raise Refused(f"no password: set {PASSWORD_VARIABLE} or give it on standard input")
    try:
        result = operation.sign_in_work(args.email, password, register=args.register)()
    except account.BadCredentials as error:
        raise Refused(str(error)) from None
    except ApiRefused as error:
        raise Refused(error.message) from None
    except ApiUnavailable as error:
        raise Refused(f"cannot reach {operation.server_url()}: {error}") from None
    message = operation.signed_in(result, keep_in_file=args.token_file)
    url = operation.server_url()
    kept = account.load_token(url, result.user_id) or token_file.load(
        operation.token_file(), f"{url}|{result.user_id}"
    )
    if kept is None:
        operation.sign_out()
        raise Refused(
            "there is no system keyring to keep the sign-in in, so a later command could not "
            "use it; nothing was kept. Run login again with --token-file to keep it in "
            f"{operation.token_file()} (readable only by you)"
        )
    print(message)
    return 0


def logout(store: LocalStore, args: argparse.Namespace) -> int:
    operation = SyncOperation(store)
    if operation.signed_in_user() is None:
        print("Not signed in.")
        return 0
    waiting = store.pending_count()
    if waiting:
        raise Refused(
            f"{waiting} change(s) wait to be synced; run `terrain-desktop sync` first "
            "(signing out now would leave them behind)"
        )
    # A server out of reach only means the token expires by itself; it is forgotten here.
    with contextlib.suppress(ApiRefused, ApiUnavailable):
        operation.sign_out_work()()
    operation.sign_out()
    print("Signed out.")
    return 0


def _state(store: LocalStore) -> dict[str, object]:
    from terrain_desktop.app_data import Catalogue

    operation = SyncOperation(store)
    problems = SyncProblems(store, Catalogue(store).get)
    refused = [
        {
            "table": p.table_name,
            "id": p.table_id,
            "change": p.what,
            "reason": p.reason,
            "what_to_do": p.advice,
        }
        for p in problems.list()
    ]
    return {
        "server": operation.server_url(),
        "account": operation.signed_in_email(),
        "signed_out": operation.needs_sign_in(),
        "waiting": store.pending_count(),
        "refused": refused,
    }


def status(store: LocalStore, args: argparse.Namespace) -> int:
    state = _state(store)
    _print(state, args.json)
    return 0 if not (state["waiting"] or state["refused"] or state["signed_out"]) else 1


def sync(store: LocalStore, args: argparse.Namespace) -> int:
    operation = SyncOperation(store)
    try:
        result = operation.sync_work()()
    except SignInNeeded as error:
        raise Refused(
            f"{error} Run `terrain-desktop login --email {operation.signed_in_email()}`."
        ) from None
    except ApiRefused as error:
        raise Refused(f"the server refused to sync: {error.message}") from None
    except ApiUnavailable as error:
        raise Refused(
            f"cannot reach {operation.server_url()}: {error}; your changes are kept here"
        ) from None
    operation.keep_plan(result.plan)
    state = _state(store)
    state["sent"] = result.report.pushed
    state["tables_fetched"] = result.report.pulled_tables
    _print(state, args.json)
    return 0 if not state["waiting"] and not state["refused"] else 1


def _print(state: dict[str, object], as_json: bool) -> None:
    if as_json:
        print(json.dumps(state, indent=2))
        return
    print(f"Server: {state['server']}")
    account_line = state["account"] or "not signed in (an anonymous session syncs)"
    if state["signed_out"]:
        account_line = f"{state['account']}, signed out — sign in to sync (nothing is sent)"
    print(f"Account: {account_line}")
    if "sent" in state:
        print(f"Sent: {state['sent']} change(s); tables fetched: {state['tables_fetched']}")
    print(f"Changes waiting: {state['waiting']}")
    refused = state["refused"]
    assert isinstance(refused, list)
    print(f"Changes not accepted: {len(refused)}")
    for row in refused:
        print(f"  {row['table']}: {row['change']} — {row['reason']}. {row['what_to_do']}")
