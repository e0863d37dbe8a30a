"""First-run setup for `safeguard serve`: migrations, a first admin account (its password printed once),
the bundled example cases, the retention purge."""

from __future__ import annotations

import json
import os
import secrets
from importlib import resources
from pathlib import Path


def configure(data_dir: Path | None = None) -> None:
    """Point Django at the web settings (and a data folder) and start it."""
    if data_dir is not None:
        os.environ["SAFEGUARD_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.web.settings")
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def first_admin(username: str = "admin") -> str | None:
    """Create the first account (site admin, admin of a first organisation) when there is none; return
    its password, which is shown this once and stored only as an Argon2 hash."""
    from django.contrib.auth import get_user_model

    from safeguard.web.app import audit
    from safeguard.web.app.models import Membership, Organisation, Role

    User = get_user_model()
    if User.objects.exists():
        return None
    password = secrets.token_urlsafe(12)
    user = User.objects.create_superuser(username=username, password=password, email="")
    org, _ = Organisation.objects.get_or_create(name="First organisation")
    Membership.objects.create(user=user, organisation=org, role=Role.ADMIN)
    audit.record("setup", "account.create", None, {"user": username, "role": "admin"})
    return password


def load_examples() -> int:
    """The bundled example cases, once, as cases of the first admin's organisation."""
    from django.contrib.auth import get_user_model

    from safeguard.web.app import store
    from safeguard.web.app.models import CaseIndex, Membership

    admin = get_user_model().objects.filter(is_superuser=True).order_by("id").first()
    m = Membership.objects.filter(user=admin).first() if admin else None
    if m is None:
        return 0
    n = 0
    folder = resources.files("safeguard") / "examples"
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".json"):
            continue
        label = f"Example: {entry.name[:-5]}"
        if CaseIndex.objects.filter(label=label, case__organisation=m.organisation).exists():
            continue
        facts = json.loads(entry.read_text("utf-8"))
        case = store.create_case(admin, m.organisation, label)
        for fact, value in facts.items():
            if fact not in ("person_id", "as_of"):
                store.answer(case, admin, fact, value)
        n += 1
    return n


def purge() -> int:
    from safeguard.web.app.store import purge_expired

    return purge_expired()


def purge_batches() -> int:
    from safeguard.web.app.jobs import purge_expired

    return purge_expired()
