from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from askwell.lib.progress import Progress
from askwell.questions.models import Answer
from askwell.search import related
from askwell.search.indexing import reindex, run_embeddings
from askwell.search.models import SearchDocument


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the content, then compute missing embeddings. "
        "Embedding is incremental and resumable: stop it at any time and run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--embeddings-only",
            action="store_true",
            help="only compute the vectors that are missing (after an import)",
        )

    def handle(self, *args: Any, embeddings_only: bool, **options: Any) -> None:
        if not embeddings_only:
            progress = Progress(
                "Indexing answers", Answer.objects.published().count(), self.stdout
            )
            written = reindex(progress=progress.advance)
            progress.close()
            self.stdout.write(f"Indexed {written:,} published answers.")
        run_embeddings(self.stdout)
        # New documents and vectors: each question's "Continue learning" is
        # found again, at its next visit or change.
        related.forget_all()
        self.stdout.write(
            f"Search index: {SearchDocument.objects.count():,} documents."
        )
