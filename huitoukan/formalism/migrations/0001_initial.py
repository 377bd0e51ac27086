
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('campaigns', '0003_recheck_settings'),
        ('ledgers', '0004_closingtally'),
        ('orgs', '0005_unit_sector'),
        ('supervision', '0004_spotcheck_items'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalFlag',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('kind', models.CharField(choices=[('evidence_reused', '佐证材料重复使用'), ('evidence_late', '佐证晚于销号'), ('evidence_tiny', '佐证材料过小'), ('deadline_day', '集中在时限当天销号'), ('text_alike', '跨单位雷同'), ('progress_rush', '突击填报')], max_length=16, verbose_name='预警类型')),
                ('key', models.CharField(max_length=200, verbose_name='识别键')),
                ('state', models.CharField(choices=[('open', '待核实'), ('finding', '已转督查发现'), ('dismissed', '已排除')], default='open', max_length=16, verbose_name='状态')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='处理时间')),
                ('reason', models.TextField(blank=True, verbose_name='排除理由')),
                ('first_seen', models.DateTimeField(verbose_name='首次发现')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('campaign', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='campaigns.campaign', verbose_name='活动')),
                ('decided_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='处理人')),
                ('finding', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='supervision.finding', verbose_name='督查发现的问题')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgs.unit', verbose_name='单位')),
            ],
            options={
                'verbose_name': 'historical 形式主义预警',
                'verbose_name_plural': 'historical 形式主义预警',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Flag',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('evidence_reused', '佐证材料重复使用'), ('evidence_late', '佐证晚于销号'), ('evidence_tiny', '佐证材料过小'), ('deadline_day', '集中在时限当天销号'), ('text_alike', '跨单位雷同'), ('progress_rush', '突击填报')], max_length=16, verbose_name='预警类型')),
                ('key', models.CharField(max_length=200, verbose_name='识别键')),
                ('evidence', models.JSONField(blank=True, default=dict, verbose_name='依据数据')),
                ('sentence', models.TextField(verbose_name='预警说明')),
                ('state', models.CharField(choices=[('open', '待核实'), ('finding', '已转督查发现'), ('dismissed', '已排除')], default='open', max_length=16, verbose_name='状态')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='处理时间')),
                ('reason', models.TextField(blank=True, verbose_name='排除理由')),
                ('first_seen', models.DateTimeField(verbose_name='首次发现')),
                ('last_seen', models.DateTimeField(verbose_name='最近发现')),
                ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='formalism_flags', to='campaigns.campaign', verbose_name='活动')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='处理人')),
                ('finding', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='formalism_flags', to='supervision.finding', verbose_name='督查发现的问题')),
                ('items', models.ManyToManyField(blank=True, related_name='formalism_flags', to='ledgers.item', verbose_name='涉及事项')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='formalism_flags', to='orgs.unit', verbose_name='单位')),
            ],
            options={
                'verbose_name': '形式主义预警',
                'verbose_name_plural': '形式主义预警',
                'ordering': ['-last_seen', '-id'],
                'indexes': [models.Index(fields=['campaign', 'state', 'kind'], name='flag_campaign_state')],
                'constraints': [models.UniqueConstraint(fields=('campaign', 'kind', 'unit', 'key'), name='flag_unique_key')],
            },
        ),
    ]
