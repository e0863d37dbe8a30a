"""`safeguard serve` and `safeguard audit verify` (registered in safeguard/cli.py). Django is imported
only when a command runs, so the rest of the CLI does not need the `web` extra."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

audit_app = typer.Typer(add_completion=False, no_args_is_help=True, help="The web app's audit trail.")


def _need_django() -> None:
    try:
        import django  # noqa: F401
    except ImportError:
        print("the web app needs its extra: pip install -e '.[web]'", file=sys.stderr)
        raise typer.Exit(2) from None


def serve(host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on"),
          port: int = typer.Option(8000, "--port", help="Port"),
          data_dir: Path | None = typer.Option(None, "--data-dir", help="Folder for the database and key (default ~/.safeguard)"),
          examples: bool = typer.Option(True, "--examples/--no-examples", help="Load the bundled example cases")) -> None:
    """Set up the web app (migrations, first admin, examples) and serve it."""
    _need_django()
    import os

    allowed = os.environ.get("SAFEGUARD_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if host not in allowed and host not in ("0.0.0.0", "::"):
        os.environ["SAFEGUARD_ALLOWED_HOSTS"] = ",".join([*allowed, host])
    from safeguard.web import firstrun as setup

    setup.configure(data_dir)
    from django.conf import settings

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
    db = settings.DATABASES["default"]
    print(f"Database: {db['ENGINE'].rsplit('.', 1)[-1]} {db['NAME']}; data folder {settings.DATA_DIR}")
    print(f"safeguard is serving on http://{host}:{port}/  (Ctrl-C to stop). A screening aid, not legal advice.",
          flush=True)
    call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True, skip_checks=True)


@audit_app.command("verify")
def audit_verify(data_dir: Path | None = typer.Option(None, "--data-dir", help="Folder of the web app's database")) -> None:
    """Check the audit trail's hash chain; names the first broken entry (exit 1 if there is one)."""
    _need_django()
    from safeguard.web import firstrun as setup

    setup.configure(data_dir)
    from safeguard.web.app.audit import verify

    n, broken, why = verify()
    if broken is None:
        print(f"audit trail intact: {n} entries, chain verified")
        return
    print(f"audit trail BROKEN at entry {broken.id}: {why}", file=sys.stderr)
    raise typer.Exit(1)
