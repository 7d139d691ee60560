"""Room, SlotRule, Booking and BookingSlot left venues for ``rooms`` (ADR 0006): state only, tables kept."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('activities', '0006_room_booking_to_rooms'),
        ('venues', '0007_photo_task'),
        ('rooms', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='bookingslot',
                    name='booking',
                ),
                migrations.RemoveField(
                    model_name='bookingslot',
                    name='room',
                ),
                migrations.RemoveField(
                    model_name='room',
                    name='venue',
                ),
                migrations.RemoveField(
                    model_name='slotrule',
                    name='room',
                ),
                migrations.DeleteModel(
                    name='Booking',
                ),
                migrations.DeleteModel(
                    name='BookingSlot',
                ),
                migrations.DeleteModel(
                    name='Room',
                ),
                migrations.DeleteModel(
                    name='SlotRule',
                ),
            ],
            database_operations=[],
        ),
    ]
