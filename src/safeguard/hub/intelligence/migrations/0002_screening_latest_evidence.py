"""Each screening keeps when its newest evidence was seen (the screening queue's order); the
current screenings are filled in from their reasons."""

import datetime as dt

from django.db import migrations, models
from django.utils import timezone


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    Screening = apps.get_model("intelligence", "Screening")
    for s in Screening.objects.filter(current=True).only("pk", "reasons").iterator():
        seen = [r["last_seen"] for r in s.reasons or [] if r.get("last_seen")]
        if seen:
            newest = dt.datetime.fromisoformat(str(max(seen)))
            if timezone.is_naive(newest):
                newest = timezone.make_aware(newest)
            Screening.objects.filter(pk=s.pk).update(latest_evidence=newest)


class Migration(migrations.Migration):
    dependencies = [
        ("intelligence", "0001_initial"),
        ("people", "0003_record_agency_person"),
    ]

    operations = [
        migrations.AddField(
            model_name="screening",
            name="latest_evidence",
            field=models.DateTimeField(null=True),
        ),
        migrations.AddIndex(
            model_name="screening",
            index=models.Index(
                fields=["current", "at_risk", "-latest_evidence"],
                name="intelligenc_current_5beef1_idx",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
