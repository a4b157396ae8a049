"""Bios are Markdown, shown as sanitised HTML rendered when saved
(Contributor.bio_html); existing bios are rendered here, once."""

from django.db import migrations, models

from askwell.lib.markdown import render_markdown


def render_bios(apps, schema_editor):
    Contributor = apps.get_model("experts", "Contributor")
    rows = []
    for contributor in Contributor.objects.exclude(bio="").only("pk", "bio"):
        contributor.bio_html = render_markdown(contributor.bio)
        rows.append(contributor)
    Contributor.objects.bulk_update(rows, ["bio_html"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("experts", "0006_remove_contributor_members"),
    ]

    operations = [
        migrations.AddField(
            model_name="contributor",
            name="bio_html",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="The bio rendered from its Markdown and sanitised (askwell/lib/markdown.py) whenever it is saved.",
            ),
        ),
        migrations.AlterField(
            model_name="contributor",
            name="bio",
            field=models.TextField(
                blank=True,
                help_text="A person's short bio, or what the organization does, in Markdown (*emphasis*, **bold**, [links](https://…)).",
                verbose_name="bio or description",
            ),
        ),
        migrations.RunPython(render_bios, migrations.RunPython.noop),
    ]
