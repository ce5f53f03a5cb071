"""The Ofsted register's first rows: the 20 councils whose child protection Ofsted judged
inadequate, as listed in the seed article from Ofsted's Social Care Annual Report 2012/13
(DOMAIN.md section 2). The annual report was published in October 2013; the councils'
inspection dates are not in the seed, so each row carries the report's month (1 October 2013)
on the scale before November 2013, and says so in its source."""

import datetime as dt

from django.db import migrations

COUNCILS = (
    "Barnsley",
    "Bexley",
    "Birmingham",
    "Blackpool",
    "Calderdale",
    "Cambridgeshire",
    "Cheshire East",
    "Cumbria",
    "Devon",
    "Doncaster",
    "Herefordshire",
    "Isle of Wight",
    "Kingston upon Thames",
    "Medway",
    "Norfolk",
    "Northamptonshire",
    "Rochdale",
    "Sandwell",
    "Slough",
    "Somerset",
)
ON = dt.date(2013, 10, 1)
FRAMEWORK = "Annual report listing"
SOURCE = (
    "Ofsted Social Care Annual Report 2012/13, as listed in the seed article "
    "(date: the report's month; the inspection dates are not in the seed)"
)


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    judgement = apps.get_model("governance", "OfstedJudgement")
    at = dt.datetime(2013, 10, 1, tzinfo=dt.UTC)
    for council in COUNCILS:
        judgement.objects.get_or_create(
            council=council,
            judged_on=ON,
            framework=FRAMEWORK,
            defaults={
                "judgement": "inadequate",
                "source": SOURCE,
                "recorded_by": "migration 0002",
                "recorded_at": at,
            },
        )


def unseed(apps, schema_editor):  # type: ignore[no-untyped-def]
    judgement = apps.get_model("governance", "OfstedJudgement")
    judgement.objects.filter(judged_on=ON, framework=FRAMEWORK, council__in=COUNCILS).delete()


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
