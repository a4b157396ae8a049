"""Existing members become accepted memberships.

Before invitations existed, any member could add anyone, so nobody's
consent was recorded; the members were posting as the organization, and
they keep doing so. Per organization the earliest member added becomes its
administrator (the others may then be invited to that role), so every
organization that had members keeps someone who can manage them besides
the editors.

When they joined was not recorded either. Medical review asks whether a
reviewer belonged to an organization when an answer was written, so each
membership is taken to have started as early as it could have: when both
the organization and the account existed. That errs on the side of
refusing a review, never of allowing one.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    Contributor = apps.get_model("experts", "Contributor")
    Membership = apps.get_model("experts", "Membership")
    links = Contributor.members.through.objects.order_by("contributor_id", "id")
    created = {c.pk: (c.created_at, c.kind) for c in Contributor.objects.all()}
    rows = []
    seen = set()
    for link in links.select_related("user"):
        org_created, kind = created[link.contributor_id]
        first = link.contributor_id not in seen
        seen.add(link.contributor_id)
        rows.append(
            Membership(
                organization_id=link.contributor_id,
                user_id=link.user_id,
                role="admin" if first and kind == "organization" else "member",
                status="active",
                joined_at=max(org_created, link.user.date_joined),
            )
        )
    Membership.objects.bulk_create(rows)


def backwards(apps, schema_editor):
    Contributor = apps.get_model("experts", "Contributor")
    Membership = apps.get_model("experts", "Membership")
    Through = Contributor.members.through
    Through.objects.bulk_create(
        Through(contributor_id=m.organization_id, user_id=m.user_id)
        for m in Membership.objects.filter(status="active")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("experts", "0004_membership"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
