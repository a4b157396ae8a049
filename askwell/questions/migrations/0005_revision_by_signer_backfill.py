"""Mark the existing revisions that someone other than the text's signer
wrote: an answer's version by neither its person nor a member of its
organization at the time (experts.Membership, migrated with the earliest
start each membership could have had), a question's version by someone
other than its asker. Revisions without an author (imports, erased
accounts) stay marked as the signer's: nothing says otherwise."""

from django.db import migrations


def forwards(apps, schema_editor):
    Revision = apps.get_model("questions", "Revision")
    Membership = apps.get_model("experts", "Membership")
    periods = {}
    for m in Membership.objects.exclude(joined_at=None):
        periods.setdefault((m.organization_id, m.user_id), []).append(
            (m.joined_at, m.left_at)
        )

    def member_then(organization_id, user_id, moment):
        return any(
            joined <= moment and (left is None or left > moment)
            for joined, left in periods.get((organization_id, user_id), [])
        )

    outside = []
    revisions = (
        Revision.objects.exclude(author=None)
        .select_related("question", "answer__contributor")
        .order_by("pk")
    )
    for revision in revisions.iterator(chunk_size=2000):
        answer = revision.answer
        if answer is None:
            by_signer = revision.author_id == revision.question.asker_id
        else:
            by_signer = (
                revision.author_id == answer.contributor.user_id
                or (revision.number == 1 and revision.author_id == answer.author_id)
                or member_then(
                    answer.contributor_id, revision.author_id, revision.created_at
                )
            )
        if not by_signer:
            outside.append(revision.pk)
    for start in range(0, len(outside), 500):
        Revision.objects.filter(pk__in=outside[start : start + 500]).update(
            by_signer=False
        )


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0004_revision_by_signer"),
        ("experts", "0006_remove_contributor_members"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
