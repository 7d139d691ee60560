"""Teams, members, model posts, areas, point rules and service records move from ``activities`` to ``volunteers`` with the same tables (ADR 0008).

State only: the tables ``activities_*`` stay as they are (``db_table``), so no row moves. The
content types are relabelled ``activities`` -> ``volunteers`` so permissions and generic links keep
pointing at them. Audit rows keep their old ``activities.<model>`` target_type: the audit trail
is append-only.
"""

from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion
import django.utils.timezone

MOVED = ('team', 'teammember', 'modelpost', 'responsibilityarea', 'pointrule', 'servicerecord')


def _relabel(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if ContentType.objects.filter(app_label=new, model=model).exists():
            continue
        ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor) -> None:
    _relabel(apps, "activities", "volunteers")


def backwards(apps, schema_editor) -> None:
    _relabel(apps, "volunteers", "activities")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('org', '0003_residence_claim'),
        ('people', '0002_form_token'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('activities', '0006_room_booking_to_rooms'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ModelPost',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=80, verbose_name='岗位名称')),
                        ('pledge', models.CharField(blank=True, max_length=300, verbose_name='服务承诺')),
                        ('is_active', models.BooleanField(default=True, verbose_name='有效')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('holder', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='model_posts', to=settings.AUTH_USER_MODEL, verbose_name='岗位党员')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='model_posts', to='org.unit', verbose_name='所在单位')),
                    ],
                    options={
                        'verbose_name': '党员示范岗',
                        'verbose_name_plural': '党员示范岗',
                        'db_table': 'activities_modelpost',
                        'ordering': ['unit__path', 'title'],
                    },
                ),
                migrations.CreateModel(
                    name='PointRule',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('source_kind', models.CharField(choices=[('attendance', '参加活动'), ('training', '参加培训'), ('wish', '点亮心愿'), ('visit', '入户走访')], max_length=12, verbose_name='积分来源')),
                        ('points', models.PositiveSmallIntegerField(verbose_name='积分')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='point_rules', to='org.unit', verbose_name='适用单位')),
                    ],
                    options={
                        'verbose_name': '积分规则',
                        'verbose_name_plural': '积分规则',
                        'db_table': 'activities_pointrule',
                        'ordering': ['unit__path', 'source_kind'],
                    },
                ),
                migrations.CreateModel(
                    name='ResponsibilityArea',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=80, verbose_name='责任区名称')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('grids', models.ManyToManyField(blank=True, related_name='+', to='org.unit', verbose_name='包含网格')),
                        ('holder', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='responsibility_areas', to=settings.AUTH_USER_MODEL, verbose_name='责任党员')),
                        ('households', models.ManyToManyField(blank=True, related_name='+', to='people.household', verbose_name='包含住户')),
                        ('post', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='areas', to='volunteers.modelpost', verbose_name='示范岗')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='responsibility_areas', to='org.unit', verbose_name='所在单位')),
                    ],
                    options={
                        'verbose_name': '责任区',
                        'verbose_name_plural': '责任区',
                        'db_table': 'activities_responsibilityarea',
                        'ordering': ['unit__path', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='ServiceRecord',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('source_kind', models.CharField(choices=[('attendance', '参加活动'), ('training', '参加培训'), ('wish', '点亮心愿'), ('visit', '入户走访')], max_length=12, verbose_name='来源')),
                        ('source_id', models.PositiveBigIntegerField(verbose_name='来源编号')),
                        ('title', models.CharField(max_length=120, verbose_name='事项')),
                        ('occurred_on', models.DateField(verbose_name='日期')),
                        ('hours', models.DecimalField(decimal_places=1, default=0, max_digits=5, verbose_name='时长（小时）')),
                        ('points', models.PositiveSmallIntegerField(default=0, verbose_name='积分')),
                        ('status', models.CharField(choices=[('pending', '待确认'), ('confirmed', '已确认'), ('rejected', '未认定')], default='pending', max_length=10, verbose_name='状态')),
                        ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='确认时间')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('confirmed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='确认人')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='service_records', to='org.unit', verbose_name='所属单位')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='service_records', to=settings.AUTH_USER_MODEL, verbose_name='志愿者')),
                    ],
                    options={
                        'verbose_name': '时长积分记录',
                        'verbose_name_plural': '时长积分记录',
                        'db_table': 'activities_servicerecord',
                        'ordering': ['-occurred_on', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='Team',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=80, verbose_name='队伍名称')),
                        ('kind', models.CharField(choices=[('volunteer', '志愿服务队'), ('commando', '党员突击队'), ('service', '党员服务队')], max_length=12, verbose_name='队伍类型')),
                        ('description', models.CharField(blank=True, max_length=300, verbose_name='服务内容')),
                        ('is_active', models.BooleanField(default=True, verbose_name='有效')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('leader', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='led_teams', to=settings.AUTH_USER_MODEL, verbose_name='队长')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='teams', to='org.unit', verbose_name='所属单位')),
                    ],
                    options={
                        'verbose_name': '队伍',
                        'verbose_name_plural': '队伍',
                        'db_table': 'activities_team',
                        'ordering': ['unit__path', 'kind', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='TeamMember',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('joined_on', models.DateField(default=django.utils.timezone.localdate, verbose_name='加入日期')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('team', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='members', to='volunteers.team', verbose_name='队伍')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='team_memberships', to=settings.AUTH_USER_MODEL, verbose_name='队员')),
                    ],
                    options={
                        'verbose_name': '队员',
                        'verbose_name_plural': '队员',
                        'db_table': 'activities_teammember',
                        'ordering': ['team', 'joined_on', 'id'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='modelpost',
                    constraint=models.UniqueConstraint(fields=('unit', 'holder', 'title'), name='model_post_unique'),
                ),
                migrations.AddConstraint(
                    model_name='pointrule',
                    constraint=models.UniqueConstraint(fields=('unit', 'source_kind'), name='point_rule_unique'),
                ),
                migrations.AddConstraint(
                    model_name='responsibilityarea',
                    constraint=models.UniqueConstraint(fields=('unit', 'name'), name='resp_area_unique_name'),
                ),
                migrations.AddIndex(
                    model_name='servicerecord',
                    index=models.Index(fields=['unit', 'status', 'occurred_on'], name='srec_unit_month'),
                ),
                migrations.AddIndex(
                    model_name='servicerecord',
                    index=models.Index(fields=['user', 'occurred_on'], name='srec_user'),
                ),
                migrations.AddConstraint(
                    model_name='servicerecord',
                    constraint=models.UniqueConstraint(fields=('source_kind', 'source_id'), name='service_record_one_per_source'),
                ),
                migrations.AddConstraint(
                    model_name='servicerecord',
                    constraint=models.CheckConstraint(condition=models.Q(('hours__gte', 0)), name='service_record_hours_non_negative'),
                ),
                migrations.AddConstraint(
                    model_name='servicerecord',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'confirmed'), _negated=True), ('confirmed_at__isnull', False), _connector='OR'), name='service_record_confirmed_has_time'),
                ),
                migrations.AddConstraint(
                    model_name='team',
                    constraint=models.UniqueConstraint(fields=('unit', 'name'), name='team_unique_name_in_unit'),
                ),
                migrations.AddConstraint(
                    model_name='teammember',
                    constraint=models.UniqueConstraint(fields=('team', 'user'), name='team_member_unique'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
