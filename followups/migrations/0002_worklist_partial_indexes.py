# The worklist's tabs read open checks by due date and closed ones by closing time, a page at a
# time; these partial indexes let them stop after a page. Plain status strings, not the enum.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0001_initial"),
        ("patients", "0002_role_permissions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="followup",
            index=models.Index(
                condition=models.Q(("status__in", ("scheduled", "due", "overdue"))),
                fields=["due_date", "id"],
                name="followup_open_due_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="followup",
            index=models.Index(
                condition=models.Q(("status__in", ("completed", "cancelled", "not_done"))),
                fields=["closed_at", "id"],
                name="followup_closed_at_idx",
            ),
        ),
    ]
