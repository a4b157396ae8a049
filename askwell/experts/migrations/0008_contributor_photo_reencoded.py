from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("experts", "0007_contributor_bio_html"),
    ]

    operations = [
        migrations.AlterField(
            model_name="contributor",
            name="photo",
            field=models.ImageField(
                blank=True,
                help_text="A person's photo or an organization's logo, stored as a 256 × 256 WebP without metadata (askwell/experts/photos.py).",
                upload_to="contributors/",
            ),
        ),
    ]
