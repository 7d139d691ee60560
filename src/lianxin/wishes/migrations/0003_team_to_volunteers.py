"""Wish.claimant_team and WishClaim.team point at ``volunteers.Team`` (moved from
``activities``, same table ``activities_team``; ADR 0008). State only: no column changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('volunteers', '0001_initial'),
        ('wishes', '0002_wish_submission_key'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='wish',
                    name='claimant_team',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='claimed_wishes', to='volunteers.team', verbose_name='认领队伍'),
                ),
                migrations.AlterField(
                    model_name='wishclaim',
                    name='team',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='volunteers.team', verbose_name='认领队伍'),
                ),
            ],
            database_operations=[],
        ),
    ]
