"""`safeguard serve`, `safeguard worker`, `safeguard token create|revoke|list`, `safeguard totp reset|list`
and `safeguard audit verify`
(registered in safeguard/cli.py). Django is imported only when a command runs, so the rest of the CLI does
not need the `web` extra."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

audit_app = typer.Typer(add_completion=False, no_args_is_help=True, help="The web app's audit trail.")
token_app = typer.Typer(add_completion=False, no_args_is_help=True, help="API tokens (for /api/v1/).")
totp_app = typer.Typer(add_completion=False, no_args_is_help=True, help="Two-step login (TOTP) of web users.")
DATA_DIR_HELP = "Folder of the web app's database (default ~/.safeguard)"


def _need_django() -> None:
    try:
        import django  # noqa: F401
    except ImportError:
        print("the web app needs its extra: pip install -e '.[web]'", file=sys.stderr)
        raise typer.Exit(2) from None


def _web(data_dir: Path | None, *, migrate: bool = False):
    """Django set up on the data folder (its database migrated too when `migrate`); returns web.firstrun."""
    _need_django()
    from safeguard.web import firstrun as setup

    setup.configure(data_dir)
    if migrate:
        setup.migrate()
    return setup


def _or_bad_input(fn, *args):
    """fn(*args); a ValueError from it (TokenError, TwoStepError) is bad input: said on stderr, exit 2."""
    try:
        return fn(*args)
    except ValueError as e:
        print(f"bad input: {e}", file=sys.stderr)
        raise typer.Exit(2) from None


def serve(host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on"),
          port: int = typer.Option(8000, "--port", help="Port"),
          data_dir: Path | None = typer.Option(None, "--data-dir", help="Folder for the database and key (default ~/.safeguard)"),
          examples: bool = typer.Option(True, "--examples/--no-examples", help="Load the bundled example cases"),
          worker: bool = typer.Option(True, "--worker/--no-worker", help="Also start the API's batch worker")) -> None:
    """Set up the web app (migrations, first admin, examples) and serve it (with the API's batch worker)."""
    _need_django()
    import os

    allowed = os.environ.get("SAFEGUARD_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if host not in allowed and host not in ("0.0.0.0", "::"):
        os.environ["SAFEGUARD_ALLOWED_HOSTS"] = ",".join([*allowed, host])
    from safeguard.web import firstrun as setup

    setup.configure(data_dir)
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    from safeguard.web.app.two_step import required_roles

    try:
        required_roles()
    except ImproperlyConfigured as e:
        print(f"bad setting: {e}", file=sys.stderr)
        raise typer.Exit(2) from None
    setup.migrate()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    from safeguard.web.app.crypto import key

    key()  # create the key file now, not in the middle of a first answer
    password = setup.first_admin()
    if password:
        print("First admin account created. Write the password down: it is shown only this once.")
        print("  username: admin")
        print(f"  password: {password}", flush=True)
    if examples:
        n = setup.load_examples()
        if n:
            print(f"Loaded {n} example cases.")
    purged = setup.purge()
    if purged:
        print(f"Purged {purged} closed cases past the retention period ({settings.SAFEGUARD_RETENTION_DAYS} days).")
    gone = setup.purge_batches()
    if gone:
        print(f"Deleted {gone} API batch jobs finished over {settings.SAFEGUARD_BATCH_RETENTION_DAYS} days ago, with their files.")
    db = settings.DATABASES["default"]
    print(f"Database: {db['ENGINE'].rsplit('.', 1)[-1]} {db['NAME']}; data folder {settings.DATA_DIR}")
    print(f"safeguard is serving on http://{host}:{port}/  (Ctrl-C to stop). A screening aid, not legal advice.",
          flush=True)
    print(f"JSON API: http://{host}:{port}/api/v1/ (docs at /api/v1/docs; a token: safeguard token create USER)",
          flush=True)
    child = _start_worker(settings.DATA_DIR) if worker else None
    if child is not None:
        import signal

        def _stop(signum, frame):  # noqa: ARG001 - a SIGTERM to serve stops its worker too (the finally below)
            raise SystemExit(143)

        signal.signal(signal.SIGTERM, _stop)
    try:
        call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True, skip_checks=True)
    finally:
        if child is not None:
            _stop_worker(child)


def _start_worker(data_dir: Path):
    """`safeguard worker` as a child process (its own Python: the queue's processes need a main thread)."""
    import subprocess

    print("Batch worker started (API batch jobs).", flush=True)
    return subprocess.Popen([sys.executable, "-m", "safeguard", "worker", "--data-dir", str(data_dir)],
                            start_new_session=True)


def _stop_worker(child) -> None:
    """Stop the worker and its processes (its own process group); a job it was running is handed out again
    by the next worker (jobs.recover_stalled)."""
    import os
    import signal
    import subprocess

    try:
        os.killpg(child.pid, signal.SIGTERM)
        child.wait(timeout=5)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    except ProcessLookupError:
        pass


def worker(data_dir: Path | None = typer.Option(None, "--data-dir", help=DATA_DIR_HELP),
           recover: bool = typer.Option(True, "--recover/--no-recover",
                                        help="First hand out again the jobs a stopped worker had taken")) -> None:
    """Run the worker that screens the API's batch jobs (django-q2, the database as its queue)."""
    _web(data_dir, migrate=True)
    from django.core.management import call_command

    if recover:
        from safeguard.web.app.jobs import recover_stalled

        again = recover_stalled()
        if again:
            print(f"Batch jobs taken by a stopped worker, handed out again: {', '.join(map(str, again))}", flush=True)

    call_command("qcluster")


@token_app.command("create")
def token_create(username: str = typer.Argument(..., help="The user the token acts as"),
                 name: str = typer.Option("api", "--name", help="What the token is for (shown in `token list`)"),
                 data_dir: Path | None = typer.Option(None, "--data-dir", help=DATA_DIR_HELP)) -> None:
    """Make an API token for a user. The token is printed once; only its SHA-256 is kept."""
    _web(data_dir, migrate=True)
    from safeguard.web.app.tokens import create

    row, token = _or_bad_input(create, username, name)
    print(f"token {row.id} for {username} ({name}); shown only this once, keep it secret:", file=sys.stderr)
    print(token)


@token_app.command("revoke")
def token_revoke(token_id: int = typer.Argument(..., help="The token's id (from `token list`)"),
                 data_dir: Path | None = typer.Option(None, "--data-dir", help=DATA_DIR_HELP)) -> None:
    """Revoke an API token: it is refused (401) from now on."""
    _web(data_dir)
    from safeguard.web.app.tokens import revoke

    row = _or_bad_input(revoke, token_id)
    print(f"token {row.id} ({row.user.username}, {row.name}) revoked at {row.revoked_at:%Y-%m-%d %H:%M:%S} UTC")


@token_app.command("list")
def token_list(username: str | None = typer.Argument(None, help="Only this user's tokens"),
               data_dir: Path | None = typer.Option(None, "--data-dir", help=DATA_DIR_HELP)) -> None:
    """The API tokens (id, user, name, first characters, state); never the tokens themselves."""
    _web(data_dir)
    from safeguard.web.app.models import ApiToken

    rows = ApiToken.objects.select_related("user").order_by("id")
    if username:
        rows = rows.filter(user__username=username)
    for r in rows:
        state = f"revoked {r.revoked_at:%Y-%m-%d}" if r.revoked_at else "live"
        used = f"last used {r.last_used_at:%Y-%m-%d %H:%M}" if r.last_used_at else "never used"
        print(f"{r.id}\t{r.user.username}\t{r.name}\t{r.prefix}...\t{state}\t{used}")


@totp_app.command("reset")
def totp_reset(username: str = typer.Argument(..., help="The user who lost their authenticator app"),
               data_dir: Path | None = typer.Option(None, "--data-dir", help=DATA_DIR_HELP)) -> None:
    """Remove a user's TOTP devices (admin recovery): they log in with the password alone, or, if their
    role requires two-step login (SAFEGUARD_REQUIRE_TOTP_FOR), set up a new app right after it."""
    _web(data_dir, migrate=True)
    from safeguard.web.app.two_step import reset

    n = _or_bad_input(reset, username)
    print(f"two-step login reset for {username}: {n} device{'' if n == 1 else 's'} removed")


@totp_app.command("list")
def totp_list(data_dir: Path | None = typer.Option(None, "--data-dir", help=DATA_DIR_HELP)) -> None:
    """Each user's two-step login: on, being set up, or off (and whether their role requires it)."""
    _web(data_dir, migrate=True)
    from django.contrib.auth import get_user_model

    from safeguard.web.app.two_step import TOTPDevice, is_required

    states = {}
    for d in TOTPDevice.objects.order_by("id"):
        states[d.user_id] = "on" if d.confirmed or states.get(d.user_id) == "on" else "being set up"
    for u in get_user_model().objects.order_by("username"):
        need = "required" if is_required(u) else "optional"
        print(f"{u.username}\t{states.get(u.id, 'off')}\t{need}")


@audit_app.command("verify")
def audit_verify(data_dir: Path | None = typer.Option(None, "--data-dir", help="Folder of the web app's database")) -> None:
    """Check the audit trail's hash chain; names the first broken entry (exit 1 if there is one)."""
    _web(data_dir)
    from safeguard.web.app.audit import verify

    n, broken, why = verify()
    if broken is None:
        print(f"audit trail intact: {n} entries, chain verified")
        return
    print(f"audit trail BROKEN at entry {broken.id}: {why}", file=sys.stderr)
    raise typer.Exit(1)
