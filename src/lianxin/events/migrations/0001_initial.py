"""Events, registrations, service items, queue tickets and training programmes move from ``activities`` to ``events`` with the same tables (ADR 0008).

State only: the tables ``activities_*`` stay as they are (``db_table``), so no row moves. The
content types are relabelled ``activities`` -> ``events`` so permissions and generic links keep
pointing at them. Audit rows keep their old ``activities.<model>`` target_type: the audit trail
is append-only.
"""

from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion
import django.utils.timezone

MOVED = ('trainingprogramme', 'event', 'registration', 'serviceitem', 'queueticket')


def _relabel(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if ContentType.objects.filter(app_label=new, model=model).exists():
            continue
        ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor) -> None:
    _relabel(apps, "activities", "events")


def backwards(apps, schema_editor) -> None:
    _relabel(apps, "events", "activities")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('rooms', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('org', '0003_residence_claim'),
        ('people', '0002_form_token'),
        ('volunteers', '0001_initial'),
        ('activities', '0006_room_booking_to_rooms'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='QueueTicket',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.PositiveIntegerField(verbose_name='号码')),
                        ('name', models.CharField(blank=True, max_length=50, verbose_name='姓名')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='取号时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                    ],
                    options={
                        'verbose_name': '排队号',
                        'verbose_name_plural': '排队号',
                        'db_table': 'activities_queueticket',
                        'ordering': ['item', 'number'],
                    },
                ),
                migrations.CreateModel(
                    name='Registration',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('confirmed', '已报名'), ('waitlisted', '候补'), ('cancelled', '已取消')], max_length=12, verbose_name='状态')),
                        ('checked_in_at', models.DateTimeField(blank=True, null=True, verbose_name='签到时间')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='报名时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                    ],
                    options={
                        'verbose_name': '报名',
                        'verbose_name_plural': '报名',
                        'db_table': 'activities_registration',
                        'ordering': ['created_at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='ServiceItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=40, verbose_name='服务项目')),
                        ('provider', models.CharField(blank=True, max_length=60, verbose_name='提供方')),
                        ('last_number', models.PositiveIntegerField(default=0, verbose_name='已取号')),
                        ('served_number', models.PositiveIntegerField(default=0, verbose_name='已叫号')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                    ],
                    options={
                        'verbose_name': '服务项目',
                        'verbose_name_plural': '服务项目',
                        'db_table': 'activities_serviceitem',
                        'ordering': ['event', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='TrainingProgramme',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=100, verbose_name='培训项目')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                        ('required_role', models.CharField(blank=True, choices=[('county_admin', '县级管理员'), ('town_staff', '乡镇（街道）干部'), ('village_staff', '村（社区）干部'), ('grid_worker', '网格员'), ('dept_handler', '部门承办人'), ('party_member', '党员/志愿者'), ('supervisor', '纪检监督'), ('resident', '群众')], max_length=20, verbose_name='应训角色')),
                        ('min_sessions', models.PositiveSmallIntegerField(blank=True, help_text='留空表示须参加全部场次。', null=True, verbose_name='至少参加场次')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                    ],
                    options={
                        'verbose_name': '培训项目',
                        'verbose_name_plural': '培训项目',
                        'db_table': 'activities_trainingprogramme',
                        'ordering': ['-year', 'title'],
                    },
                ),
                migrations.CreateModel(
                    name='Event',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('service_day', '便民服务日'), ('culture', '文体活动'), ('training', '培训'), ('party_day', '主题党日'), ('volunteer', '志愿服务')], max_length=12, verbose_name='活动类型')),
                        ('title', models.CharField(max_length=100, verbose_name='活动名称')),
                        ('description', models.TextField(blank=True, max_length=2000, verbose_name='活动内容')),
                        ('place', models.CharField(max_length=100, verbose_name='地点')),
                        ('room', models.CharField(blank=True, max_length=60, verbose_name='功能室')),
                        ('starts_at', models.DateTimeField(verbose_name='开始时间')),
                        ('ends_at', models.DateTimeField(verbose_name='结束时间')),
                        ('capacity', models.PositiveIntegerField(blank=True, null=True, verbose_name='名额')),
                        ('audience', models.CharField(choices=[('all', '所有群众'), ('party_members', '党员'), ('volunteers', '志愿者'), ('staff', '村（社区）干部')], default='all', max_length=16, verbose_name='面向对象')),
                        ('status', models.CharField(choices=[('open', '报名中'), ('cancelled', '已取消'), ('closed', '已结束')], default='open', max_length=10, verbose_name='状态')),
                        ('session_kind', models.CharField(blank=True, choices=[('lecture', '专题讲座'), ('site_visit', '现场教学'), ('discussion', '分组研讨')], max_length=12, verbose_name='课程形式')),
                        ('hours', models.DecimalField(decimal_places=1, default=0, max_digits=5, verbose_name='志愿时长（小时）')),
                        ('form_token', models.CharField(blank=True, editable=False, max_length=64, null=True, unique=True, verbose_name='提交令牌')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('booking', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='event', to='rooms.booking', verbose_name='功能室预约')),
                        ('organiser', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='organised_events', to=settings.AUTH_USER_MODEL, verbose_name='组织人')),
                    ],
                    options={
                        'verbose_name': '活动',
                        'verbose_name_plural': '活动',
                        'db_table': 'activities_event',
                        'ordering': ['-starts_at', '-id'],
                    },
                ),
                migrations.AddField(
                    model_name='event',
                    name='post',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='events', to='volunteers.modelpost', verbose_name='示范岗'),
                ),
                migrations.AddField(
                    model_name='event',
                    name='team',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='events', to='volunteers.team', verbose_name='承办队伍'),
                ),
                migrations.AddField(
                    model_name='event',
                    name='unit',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='events', to='org.unit', verbose_name='举办单位'),
                ),
                migrations.AddField(
                    model_name='event',
                    name='venue_room',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='events', to='rooms.room', verbose_name='预约功能室'),
                ),
                migrations.AddField(
                    model_name='queueticket',
                    name='user',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='取号人'),
                ),
                migrations.AddField(
                    model_name='registration',
                    name='event',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='registrations', to='events.event', verbose_name='活动'),
                ),
                migrations.AddField(
                    model_name='registration',
                    name='person',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='event_registrations', to='people.person', verbose_name='人员'),
                ),
                migrations.AddField(
                    model_name='registration',
                    name='user',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='event_registrations', to=settings.AUTH_USER_MODEL, verbose_name='报名人'),
                ),
                migrations.AddField(
                    model_name='serviceitem',
                    name='event',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='service_items', to='events.event', verbose_name='活动'),
                ),
                migrations.AddField(
                    model_name='queueticket',
                    name='item',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tickets', to='events.serviceitem', verbose_name='服务项目'),
                ),
                migrations.AddField(
                    model_name='trainingprogramme',
                    name='required_users',
                    field=models.ManyToManyField(blank=True, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='应训人员'),
                ),
                migrations.AddField(
                    model_name='trainingprogramme',
                    name='unit',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='training_programmes', to='org.unit', verbose_name='主办单位'),
                ),
                migrations.AddField(
                    model_name='event',
                    name='programme',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='sessions', to='events.trainingprogramme', verbose_name='培训项目'),
                ),
                migrations.AddIndex(
                    model_name='registration',
                    index=models.Index(fields=['event', 'status', 'created_at'], name='reg_event_status'),
                ),
                migrations.AddConstraint(
                    model_name='registration',
                    constraint=models.UniqueConstraint(condition=models.Q(('status', 'cancelled'), _negated=True), fields=('event', 'user'), name='registration_one_live_per_user'),
                ),
                migrations.AddConstraint(
                    model_name='registration',
                    constraint=models.UniqueConstraint(condition=models.Q(('status', 'cancelled'), _negated=True), fields=('event', 'person'), name='registration_one_live_per_person'),
                ),
                migrations.AddConstraint(
                    model_name='registration',
                    constraint=models.CheckConstraint(condition=models.Q(('user__isnull', False), ('person__isnull', False), _connector='OR'), name='registration_has_registrant'),
                ),
                migrations.AddConstraint(
                    model_name='registration',
                    constraint=models.CheckConstraint(condition=models.Q(('checked_in_at__isnull', True), ('status', 'confirmed'), _connector='OR'), name='registration_checkin_only_confirmed'),
                ),
                migrations.AddConstraint(
                    model_name='serviceitem',
                    constraint=models.UniqueConstraint(fields=('event', 'name'), name='service_item_unique'),
                ),
                migrations.AddConstraint(
                    model_name='serviceitem',
                    constraint=models.CheckConstraint(condition=models.Q(('served_number__lte', models.F('last_number'))), name='service_item_served_le_issued'),
                ),
                migrations.AddConstraint(
                    model_name='queueticket',
                    constraint=models.UniqueConstraint(fields=('item', 'number'), name='queue_ticket_unique_number'),
                ),
                migrations.AddIndex(
                    model_name='event',
                    index=models.Index(fields=['unit', 'starts_at'], name='event_unit_start'),
                ),
                migrations.AddConstraint(
                    model_name='event',
                    constraint=models.CheckConstraint(condition=models.Q(('ends_at__gt', models.F('starts_at'))), name='event_ends_after_start'),
                ),
                migrations.AddConstraint(
                    model_name='event',
                    constraint=models.CheckConstraint(condition=models.Q(('capacity__isnull', True), ('capacity__gt', 0), _connector='OR'), name='event_capacity_positive'),
                ),
                migrations.AddConstraint(
                    model_name='event',
                    constraint=models.CheckConstraint(condition=models.Q(('hours__gte', 0)), name='event_hours_non_negative'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
