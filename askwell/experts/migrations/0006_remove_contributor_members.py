from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("experts", "0005_memberships_from_members"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="contributor",
            name="members",
        ),
    ]
