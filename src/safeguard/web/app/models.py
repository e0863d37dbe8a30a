"""The case store. Client facts live only in `Answer.value` and `Screening.result`, both AES-GCM encrypted
(crypto.py); `CaseIndex` is the minimal searchable index; `AuditEntry` is the append-only log."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    SCREENER = "screener", "screener"
    ATTORNEY = "attorney", "supervising attorney"
    ADMIN = "admin", "admin"


class Membership(models.Model):
    """A user belongs to one organisation with one role."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="members")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.SCREENER)


class Case(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cases")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)


class CaseIndex(models.Model):
    """What search may see: a label the screener chose, the key dates and the last status. No facts."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="index")
    label = models.CharField(max_length=120, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    status = models.CharField(max_length=40, default="unknown", db_index=True)
    transfer_outcome = models.CharField(max_length=40, blank=True, default="")


class Answer(models.Model):
    """One answer to one fact, never overwritten: a change is a new row with a higher version."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="answers")
    fact = models.CharField(max_length=80)
    version = models.PositiveIntegerField()
    dont_know = models.BooleanField(default=False)
    value = models.BinaryField(null=True)  # AES-GCM: nonce + ciphertext of the JSON value
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "fact", "version"], name="one_answer_version")]
        ordering = ["id"]


class Screening(models.Model):
    """One result computed for a case, with the law it was computed under."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="screenings")
    created_at = models.DateTimeField(auto_now_add=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    law_version = models.CharField(max_length=200)
    answers_upto = models.BigIntegerField()  # the id of the newest answer it read
    status = models.CharField(max_length=40)
    transfer_outcome = models.CharField(max_length=40, blank=True, default="")
    result = models.BinaryField()  # AES-GCM of the result document

    class Meta:
        ordering = ["id"]


class AuditEntry(models.Model):
    """Append-only, hash-chained. No client data: the payload is stored only as its hash. The database
    refuses UPDATE and DELETE on this table (triggers, migration 0002)."""

    at = models.DateTimeField()
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=40)
    case_ref = models.BigIntegerField(null=True)  # a number, not a foreign key: entries outlive their case
    payload_hash = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]


class ApiToken(models.Model):
    """A user's token for the JSON API. Only the SHA-256 of the token is kept; the token itself is shown
    once, when it is made. A token acts as its user, within the user's organisation and role."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)  # the token's first characters, to tell tokens apart in a list
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)


class BatchJob(models.Model):
    """A manifest screened by the API's worker. `done` is set only after the screened file and the report
    stand under their final names; a worker that stops mid-run leaves `running` (the queue runs it again,
    from the start) or, past the attempts allowed, `failed`."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="batch_jobs")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="batch_jobs")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    input_name = models.CharField(max_length=200)  # the uploaded file's name, as the client gave it
    output_format = models.CharField(max_length=10)  # csv, parquet or jsonl (as the manifest's)
    as_of = models.DateField(null=True, blank=True)
    rows_total = models.BigIntegerField(null=True, blank=True)
    rows_done = models.BigIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    summary = models.JSONField(null=True, blank=True)  # the batch run's summary (counts, no client facts)
