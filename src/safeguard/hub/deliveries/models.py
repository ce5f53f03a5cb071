"""What agencies delivered: deliveries, their files, every accepted record version and every
quarantined row. Rows are only ever added; a correction supersedes a record, never overwrites it."""

from __future__ import annotations

from django.db import models

from safeguard.access.policy import Action, Actor, act


class Agency(models.Model):
    """An agency that sends deliveries (police, a council's children's services, NHS, ...)."""

    code = models.SlugField(max_length=63, unique=True)
    name = models.CharField(max_length=200)

    class Meta:
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class Delivery(models.Model):
    """One agency extract, loaded whole or rejected whole."""

    class Status(models.TextChoices):
        LOADED = "loaded"
        REJECTED = "rejected"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="deliveries")
    checksum = models.CharField(max_length=64, db_index=True)
    status = models.CharField(max_length=16, choices=Status.choices)
    extract_date = models.DateField()
    period_start = models.DateField()
    period_end = models.DateField()
    contract_version = models.CharField(max_length=16)
    source_path = models.TextField()
    landing_path = models.TextField(blank=True)
    manifest = models.JSONField()
    message = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    rows_read = models.PositiveIntegerField(default=0)
    rows_accepted = models.PositiveIntegerField(default=0)
    rows_quarantined = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["checksum"],
                condition=models.Q(status="loaded"),
                name="one_loaded_delivery_per_checksum",
            ),
        ]


class DeliveryFile(models.Model):
    """A file of a delivery with its counts; `read == accepted + quarantined` always."""

    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="files")
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=32, blank=True)
    sha256 = models.CharField(max_length=64)
    parquet = models.TextField(blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    rows_accepted = models.PositiveIntegerField(default=0)
    rows_quarantined = models.PositiveIntegerField(default=0)
    rows_new = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    rows_read=models.F("rows_accepted") + models.F("rows_quarantined")
                ),
                name="file_counts_reconcile",
            ),
        ]


class SourceRecord(models.Model):
    """One version of one agency record. The current version of a record has `is_current`."""

    # indexed by the unique constraint below, whose first column it is
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", db_index=False)
    kind = models.CharField(max_length=32)
    record_id = models.CharField(max_length=128)
    version = models.PositiveIntegerField()
    is_current = models.BooleanField()
    # Bulk loads are the hot path, so the table keeps two indexes: the unique key and the
    # current records by subject (the person page's chronology).
    delivery = models.ForeignKey(
        Delivery, on_delete=models.PROTECT, related_name="records", db_index=False
    )
    superseded_by = models.ForeignKey(
        Delivery, null=True, on_delete=models.PROTECT, related_name="superseded", db_index=False
    )
    row_number = models.PositiveIntegerField()
    subject_id = models.CharField(max_length=128, blank=True)
    occurred_at = models.CharField(max_length=19, blank=True)
    row_hash = models.CharField(max_length=32)
    data = models.JSONField()
    issues = models.JSONField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "kind", "record_id", "version"], name="one_row_per_record_version"
            ),
        ]
        indexes = [
            # a person's chronology: the current records about each of their agency records
            models.Index(
                fields=["agency", "subject_id"],
                condition=models.Q(is_current=True),
                name="current_by_subject",
            ),
        ]


class QuarantineQuerySet(models.QuerySet["QuarantinedRow"]):
    def visible_to(self, actor: Actor) -> QuarantineQuerySet:
        """Quarantined rows hold what agencies delivered: for data operators, who fix
        deliveries with the agencies, only."""
        return self if act(actor, Action.VIEW_QUARANTINE) else self.none()


class QuarantinedRow(models.Model):
    """A delivered row that was not accepted, with every problem found in it."""

    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="quarantine")
    file = models.ForeignKey(DeliveryFile, on_delete=models.PROTECT, related_name="quarantine")
    row_number = models.PositiveIntegerField()
    field = models.CharField(max_length=64, blank=True)
    value = models.TextField(blank=True)
    reason = models.TextField()
    problems = models.JSONField()
    raw = models.JSONField()

    objects = QuarantineQuerySet.as_manager()

    class Meta:
        ordering = ["delivery_id", "file_id", "row_number"]
