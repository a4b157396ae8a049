from __future__ import annotations

from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    name = "askwell.questions"
    label = "questions"

    def ready(self) -> None:
        from askwell.accounts import personal_data
        from askwell.questions import personal_data as questions_data

        # A person's questions, answers and marks
        # (askwell/accounts/personal_data.py).
        personal_data.register(
            "questions", export=questions_data.export, erase=questions_data.erase
        )
