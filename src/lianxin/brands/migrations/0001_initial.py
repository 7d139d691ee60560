"""党建品牌, their reviews and 合理化建议 move from ``activities`` to ``brands`` with the same tables (ADR 0008).

State only: the tables ``activities_*`` stay as they are (``db_table``), so no row moves. The
content types are relabelled ``activities`` -> ``brands`` so permissions and generic links keep
pointing at them. Audit rows keep their old ``activities.<model>`` target_type: the audit trail
is append-only.
"""

from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion
import django.utils.timezone

MOVED = ('brandproject', 'brandreview', 'proposal')


def _relabel(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if ContentType.objects.filter(app_label=new, model=model).exists():
            continue
        ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor) -> None:
    _relabel(apps, "activities", "brands")


def backwards(apps, schema_editor) -> None:
    _relabel(apps, "brands", "activities")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('org', '0003_residence_claim'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('activities', '0006_room_booking_to_rooms'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='BrandProject',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=80, verbose_name='品牌名称')),
                        ('summary', models.TextField(max_length=2000, verbose_name='品牌内涵')),
                        ('status', models.CharField(choices=[('submitted', '待审批'), ('approved', '已命名'), ('rejected', '未通过')], default='submitted', max_length=10, verbose_name='状态')),
                        ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='审批时间')),
                        ('decision_note', models.CharField(blank=True, max_length=300, verbose_name='审批意见')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='审批人')),
                        ('submitted_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='申报人')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='brand_projects', to='org.unit', verbose_name='申报党组织')),
                    ],
                    options={
                        'verbose_name': '党建品牌',
                        'verbose_name_plural': '党建品牌',
                        'db_table': 'activities_brandproject',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='BrandReview',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                        ('rating', models.CharField(choices=[('excellent', '优秀'), ('good', '良好'), ('fair', '一般'), ('poor', '较差')], max_length=10, verbose_name='评定等次')),
                        ('comment', models.CharField(blank=True, max_length=300, verbose_name='评语')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('project', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reviews', to='brands.brandproject', verbose_name='党建品牌')),
                        ('reviewer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='评审人')),
                    ],
                    options={
                        'verbose_name': '品牌年度评审',
                        'verbose_name_plural': '品牌年度评审',
                        'db_table': 'activities_brandreview',
                        'ordering': ['-year'],
                    },
                ),
                migrations.CreateModel(
                    name='Proposal',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=100, verbose_name='建议标题')),
                        ('content', models.TextField(max_length=3000, verbose_name='建议内容')),
                        ('status', models.CharField(choices=[('submitted', '待评审'), ('adopted', '已采纳'), ('not_adopted', '未采纳'), ('implemented', '已落实')], default='submitted', max_length=12, verbose_name='状态')),
                        ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='评审时间')),
                        ('review_note', models.CharField(blank=True, max_length=300, verbose_name='评审意见')),
                        ('implementation_due', models.DateField(blank=True, null=True, verbose_name='落实期限')),
                        ('implementation_note', models.CharField(blank=True, max_length=300, verbose_name='落实情况')),
                        ('implemented_at', models.DateTimeField(blank=True, null=True, verbose_name='落实时间')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='提交时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='评审人')),
                        ('submitted_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='proposals', to=settings.AUTH_USER_MODEL, verbose_name='建议人')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='proposals', to='org.unit', verbose_name='所在单位')),
                    ],
                    options={
                        'verbose_name': '合理化建议',
                        'verbose_name_plural': '合理化建议',
                        'db_table': 'activities_proposal',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='brandproject',
                    constraint=models.UniqueConstraint(fields=('unit', 'name'), name='brand_unique_name'),
                ),
                migrations.AddConstraint(
                    model_name='brandproject',
                    constraint=models.CheckConstraint(condition=models.Q(('status', 'submitted'), ('decided_at__isnull', False), _connector='OR'), name='brand_decided_has_time'),
                ),
                migrations.AddConstraint(
                    model_name='brandreview',
                    constraint=models.UniqueConstraint(fields=('project', 'year'), name='brand_review_once_a_year'),
                ),
                migrations.AddConstraint(
                    model_name='proposal',
                    constraint=models.CheckConstraint(condition=models.Q(('status', 'submitted'), ('reviewed_at__isnull', False), _connector='OR'), name='proposal_reviewed_has_time'),
                ),
                migrations.AddConstraint(
                    model_name='proposal',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'implemented'), _negated=True), ('implemented_at__isnull', False), _connector='OR'), name='proposal_implemented_has_time'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
