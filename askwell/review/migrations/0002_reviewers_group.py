"""The "Medical reviewers" group, holding the permission to review answers.

An editor (the "Editors" group) who is also in this group works the review
queues. Permissions are created after migrations run, so this creates the
permission row itself when it is not there yet.
"""

from __future__ import annotations

from django.db import migrations

GROUP = "Medical reviewers"


def create(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="review", model="medicalreview"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="review_answer",
        defaults={"name": "Can medically review answers"},
    )
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(permission)


def remove(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create, remove)]
