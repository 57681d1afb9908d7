"""The plan models, moved from the former `planning` app (whose tables they keep).

On a database migrated by the old code, planning.0001 is recorded as applied, so this migration,
which replaces it, is recorded as applied too and runs nothing; on a new database it creates the
tables under their old names."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [("planning", "0001_annual_plan_and_village_work_plan")]

    dependencies = [
        ('films', '0002_default_themes_and_languages'),
        ('orgs', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AnnualPlan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)], verbose_name='年度')),
                ('viewings_per_member', models.PositiveSmallIntegerField(default=12, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(52)], verbose_name='每名党员全年收看次数')),
                ('info_items_per_village_month', models.PositiveSmallIntegerField(default=1, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(31)], verbose_name='每村每月信息条数')),
                ('quarterly_report_due_days', models.PositiveSmallIntegerField(default=10, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(90)], verbose_name='季度报告截止（季末后天数）')),
                ('joint_meetings', models.PositiveSmallIntegerField(default=4, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(52)], verbose_name='全年联席会议次数')),
                ('summary_meetings', models.PositiveSmallIntegerField(default=2, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(12)], verbose_name='全年调研总结会次数')),
                ('trainings', models.PositiveSmallIntegerField(default=1, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(52)], verbose_name='全年培训次数')),
                ('pastoral_hours', models.PositiveSmallIntegerField(default=30, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(2000)], verbose_name='牧区流动教学学时')),
                ('monthly_inspection', models.BooleanField(default=True, verbose_name='每月检查每个播放点')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='修改时间')),
                ('key_films', models.ManyToManyField(blank=True, related_name='+', to='films.film', verbose_name='年度重点片')),
                ('township', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.township', verbose_name='乡镇')),
                ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='修改人')),
            ],
            options={
                'verbose_name': '年度计划',
                'verbose_name_plural': '年度计划',
                'ordering': ['-year', 'township_id'],
                'db_table': 'planning_annualplan',
                'constraints': [models.UniqueConstraint(fields=('township', 'year'), name='planning_annualplan_unique_year')],
            },
        ),
        migrations.CreateModel(
            name='VillageWorkPlan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                ('version', models.PositiveSmallIntegerField(default=1, verbose_name='版本')),
                ('text', models.TextField(verbose_name='工作计划')),
                ('submitted_at', models.DateTimeField(verbose_name='报送时间')),
                ('submitted_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='报送人')),
                ('township', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.township', verbose_name='乡镇')),
                ('village', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.village', verbose_name='村')),
            ],
            options={
                'verbose_name': '村电教工作计划',
                'verbose_name_plural': '村电教工作计划',
                'ordering': ['-year', 'village_id', '-version'],
                'db_table': 'planning_villageworkplan',
                'constraints': [models.UniqueConstraint(fields=('village', 'year', 'version'), name='planning_workplan_unique_version')],
            },
        ),
    ]
