"""Event.venue_room and Event.booking point at the models now in ``rooms`` (same tables, state only)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('activities', '0005_registration_person'),
        ('rooms', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='event',
                    name='booking',
                    field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='event', to='rooms.booking', verbose_name='功能室预约'),
                ),
                migrations.AlterField(
                    model_name='event',
                    name='venue_room',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='events', to='rooms.room', verbose_name='预约功能室'),
                ),
            ],
            database_operations=[],
        ),
    ]
