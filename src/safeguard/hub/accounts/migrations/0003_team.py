"""Teams become reference data: a `Team` table (agency, name) and `User.team` a reference to
it. Each existing team name is kept, as a team of its user's agency."""

import django.db.models.deletion
from django.db import migrations, models


def teams_from_names(apps, schema_editor):  # type: ignore[no-untyped-def]
    User = apps.get_model("accounts", "User")
    Team = apps.get_model("accounts", "Team")
    Agency = apps.get_model("deliveries", "Agency")
    for user in User.objects.exclude(team="").exclude(agency=""):
        agency, _ = Agency.objects.get_or_create(code=user.agency, defaults={"name": user.agency})
        user.team_ref, _ = Team.objects.get_or_create(agency=agency, name=user.team)
        user.save(update_fields=["team_ref"])


def names_from_teams(apps, schema_editor):  # type: ignore[no-untyped-def]
    User = apps.get_model("accounts", "User")
    for user in User.objects.exclude(team_ref=None).select_related("team_ref"):
        user.team = user.team_ref.name
        user.save(update_fields=["team"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_apitoken"),
        ("deliveries", "0002_sourcerecord_current_by_subject"),
    ]

    operations = [
        migrations.CreateModel(
            name="Team",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100)),
                (
                    "agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="teams",
                        to="deliveries.agency",
                        to_field="code",
                    ),
                ),
            ],
            options={
                "ordering": ("agency", "name"),
                "constraints": [
                    models.UniqueConstraint(fields=("agency", "name"), name="team_unique_in_agency")
                ],
            },
        ),
        migrations.AddField(
            model_name="user",
            name="team_ref",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="members",
                to="accounts.team",
            ),
        ),
        migrations.RunPython(teams_from_names, names_from_teams),
        migrations.RemoveField(model_name="user", name="team"),
        migrations.RenameField(model_name="user", old_name="team_ref", new_name="team"),
    ]
