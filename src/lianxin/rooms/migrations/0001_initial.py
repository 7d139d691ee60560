"""Rooms, slot rules and bookings move from ``venues`` to ``rooms`` with the same tables (ADR 0006).

State only: the tables ``venues_room``, ``venues_slotrule``, ``venues_booking`` and
``venues_bookingslot`` stay as they are (``db_table``), so no row moves. The content types are
relabelled ``venues`` -> ``rooms`` so permissions and generic links keep pointing at them.
Audit rows keep their old ``venues.<model>`` target_type: the audit trail is append-only.
"""

import django.core.validators
import django.db.models.deletion
import lianxin.rooms.models
import secrets
from django.conf import settings
from django.db import migrations, models

MOVED = ("room", "slotrule", "booking", "bookingslot")


def _relabel(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if ContentType.objects.filter(app_label=new, model=model).exists():
            continue
        ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor) -> None:
    _relabel(apps, "venues", "rooms")


def backwards(apps, schema_editor) -> None:
    _relabel(apps, "rooms", "venues")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('venues', '0007_photo_task'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Booking',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('group_name', models.CharField(max_length=60, verbose_name='团体/活动名称')),
                        ('audience', models.CharField(choices=[('general', '群众'), ('elders', '老年人'), ('children', '儿童青少年'), ('meeting', '议事会议'), ('party', '党员活动'), ('volunteers', '志愿服务队')], max_length=12, verbose_name='服务对象')),
                        ('purpose', models.CharField(blank=True, max_length=200, verbose_name='用途')),
                        ('attendees', models.PositiveSmallIntegerField(default=1, verbose_name='预计人数')),
                        ('starts_at', models.DateTimeField(db_index=True, verbose_name='开始时间')),
                        ('ends_at', models.DateTimeField(verbose_name='结束时间')),
                        ('status', models.CharField(choices=[('pending', '待审批'), ('approved', '已确认'), ('rejected', '已驳回'), ('cancelled', '已取消'), ('checked_in', '已签到'), ('no_show', '未到场')], db_index=True, max_length=12, verbose_name='状态')),
                        ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='审批时间')),
                        ('checked_in_at', models.DateTimeField(blank=True, null=True, verbose_name='签到时间')),
                        ('client_token', models.CharField(blank=True, editable=False, max_length=64, null=True, unique=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('booker', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='预约人')),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='审批人')),
                    ],
                    options={
                        'verbose_name': '预约',
                        'verbose_name_plural': '预约',
                        'db_table': 'venues_booking',
                        'ordering': ['-starts_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='Room',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=60, verbose_name='功能室名称')),
                        ('function', models.CharField(choices=[('convenience', '便民服务'), ('deliberation', '民主议事'), ('charity', '公益活动'), ('culture', '文化娱乐'), ('civilization', '文明实践'), ('office', '办公')], max_length=16, verbose_name='功能')),
                        ('area', models.DecimalField(blank=True, decimal_places=1, max_digits=7, null=True, verbose_name='面积（㎡）')),
                        ('capacity', models.PositiveSmallIntegerField(default=20, verbose_name='容纳人数')),
                        ('facilities', models.CharField(blank=True, max_length=200, verbose_name='设施')),
                        ('opens_at', models.TimeField(default='08:00', verbose_name='开放时间')),
                        ('closes_at', models.TimeField(default='21:00', verbose_name='关闭时间')),
                        ('slot_minutes', models.PositiveSmallIntegerField(default=60, verbose_name='时段长度（分钟）')),
                        ('requires_approval', models.BooleanField(default=False, verbose_name='预约需审批')),
                        ('is_bookable', models.BooleanField(default=True, verbose_name='开放预约')),
                        ('booking_horizon_days', models.PositiveSmallIntegerField(default=lianxin.rooms.models.default_booking_horizon, help_text='群众和团体最多可提前多少天预约；本阵地工作人员（含为活动预约）最长可提前一年。', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(366)], verbose_name='可提前预约天数')),
                        ('feed_token', models.CharField(default=secrets.token_urlsafe, editable=False, max_length=64)),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('venue', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rooms', to='venues.venue', verbose_name='阵地')),
                    ],
                    options={
                        'verbose_name': '功能室',
                        'verbose_name_plural': '功能室',
                        'db_table': 'venues_room',
                        'ordering': ['venue_id', 'name', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='BookingSlot',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('starts_at', models.DateTimeField()),
                        ('booking', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='slots', to='rooms.booking')),
                        ('room', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='slots', to='rooms.room')),
                    ],
                    options={
                        'verbose_name': '已占用时段',
                        'verbose_name_plural': '已占用时段',
                        'db_table': 'venues_bookingslot',
                        'ordering': ['room_id', 'starts_at'],
                    },
                ),
                migrations.AddField(
                    model_name='booking',
                    name='room',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='bookings', to='rooms.room', verbose_name='功能室'),
                ),
                migrations.CreateModel(
                    name='SlotRule',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('weekdays', models.CharField(default='0123456', help_text='0=周一 … 6=周日', max_length=7, verbose_name='星期')),
                        ('starts', models.TimeField(verbose_name='开始')),
                        ('ends', models.TimeField(verbose_name='结束')),
                        ('audience', models.CharField(choices=[('general', '群众'), ('elders', '老年人'), ('children', '儿童青少年'), ('meeting', '议事会议'), ('party', '党员活动'), ('volunteers', '志愿服务队')], max_length=12, verbose_name='服务对象')),
                        ('note', models.CharField(blank=True, max_length=100, verbose_name='说明')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('room', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='slot_rules', to='rooms.room', verbose_name='功能室')),
                    ],
                    options={
                        'verbose_name': '错时规则',
                        'verbose_name_plural': '错时规则',
                        'db_table': 'venues_slotrule',
                        'ordering': ['room_id', 'starts', 'id'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='room',
                    constraint=models.CheckConstraint(condition=models.Q(('closes_at__gt', models.F('opens_at'))), name='room_hours_order'),
                ),
                migrations.AddConstraint(
                    model_name='room',
                    constraint=models.CheckConstraint(condition=models.Q(('slot_minutes__in', [30, 60, 120])), name='room_slot_minutes_allowed'),
                ),
                migrations.AddConstraint(
                    model_name='room',
                    constraint=models.UniqueConstraint(fields=('venue', 'name'), name='room_unique_name'),
                ),
                migrations.AddConstraint(
                    model_name='room',
                    constraint=models.CheckConstraint(condition=models.Q(('booking_horizon_days__gte', 1), ('booking_horizon_days__lte', 366)), name='room_booking_horizon_range'),
                ),
                migrations.AddConstraint(
                    model_name='bookingslot',
                    constraint=models.UniqueConstraint(fields=('room', 'starts_at'), name='booking_slot_unique'),
                ),
                migrations.AddConstraint(
                    model_name='booking',
                    constraint=models.CheckConstraint(condition=models.Q(('ends_at__gt', models.F('starts_at'))), name='booking_time_order'),
                ),
                migrations.AddConstraint(
                    model_name='booking',
                    constraint=models.CheckConstraint(condition=models.Q(('checked_in_at__isnull', True), ('status', 'checked_in'), _connector='OR'), name='booking_checkin_status'),
                ),
                migrations.AddConstraint(
                    model_name='slotrule',
                    constraint=models.CheckConstraint(condition=models.Q(('ends__gt', models.F('starts'))), name='slot_rule_order'),
                ),
                migrations.AddConstraint(
                    model_name='slotrule',
                    constraint=models.CheckConstraint(condition=models.Q(('weekdays__regex', '^[0-6]{1,7}$')), name='slot_rule_weekdays'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
