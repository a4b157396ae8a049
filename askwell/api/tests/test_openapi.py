"""The OpenAPI document: what clients generate their code from."""

from __future__ import annotations


def test_operation_ids_stay_as_clients_know_them(client):
    """Generated clients name their methods after the operation ids; the API
    split into a router per resource keeps every id it had as one module."""
    # when
    spec = client.get("/api/v1/openapi.json").json()

    # then
    ids = {
        (method.upper(), path.removeprefix("/api/v1")): operation["operationId"]
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
    }
    assert ids == {
        ("GET", "/search"): "askwell_api_views_search",
        ("GET", "/similar"): "askwell_api_views_similar",
        ("GET", "/topics"): "askwell_api_views_topic_tree",
        ("GET", "/questions"): "askwell_api_views_list_questions",
        ("POST", "/questions"): "askwell_api_views_ask_question",
        ("GET", "/questions/{question_id}"): "askwell_api_views_get_question",
        ("PATCH", "/questions/{question_id}"): "askwell_api_views_edit_question",
        (
            "GET",
            "/questions/{question_id}/similar",
        ): "askwell_api_views_similar_to_question",
        ("GET", "/contributors"): "askwell_api_views_list_contributors",
        ("GET", "/contributors/{contributor_id}"): "askwell_api_views_get_contributor",
        ("GET", "/books"): "askwell_api_views_list_books",
        ("GET", "/videos"): "askwell_api_views_list_videos",
        (
            "POST",
            "/questions/{question_id}/answers",
        ): "askwell_api_views_answer_question",
        ("PATCH", "/answers/{answer_id}"): "askwell_api_views_edit_answer",
        ("POST", "/answers/{answer_id}/helpful"): "askwell_api_views_mark_helpful",
        ("DELETE", "/answers/{answer_id}/helpful"): "askwell_api_views_unmark_helpful",
        (
            "POST",
            "/answers/{answer_id}/endorsement",
        ): "askwell_api_views_endorse_answer",
        (
            "DELETE",
            "/answers/{answer_id}/endorsement",
        ): "askwell_api_views_withdraw_endorsement",
        ("POST", "/flags"): "askwell_api_views_flag",
    }


def test_the_docs_page_states_its_language_and_has_no_nested_links(client):
    """The page's language, its colour fixes, and no deep links (Swagger UI
    puts each inside its operation's button: axe-core's nested-interactive);
    the page in a browser: askwell/demo/tests/test_browser.py, "api docs"."""
    # when
    html = client.get("/api/v1/docs").content.decode()

    # then
    assert '<html lang="en">' in html
    assert 'href="/static/askwell/api-docs.css"' in html
    assert '"deepLinking": false' in html
    assert '<main id="swagger-ui"' in html
