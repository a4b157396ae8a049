"""JSON API v1 (docs/api.md): one django-ninja Router per resource, in a
module of its own (search, topics, questions, contributors, answers,
flags), mounted here on the one API; common.py holds what they share.

Reads use the pages' querysets and visibility rules (`Answer.published_q`,
`questions_visible_to`); writes run the pages' forms, the same actions in
`<app>/actions.py` (which check the permission rules) and the same rate
limits, so the API can do exactly what a person can do on the site, no
more. Failures are answered in one shape (errors.py).

Rate limits are counted in each view's body, not by a wrapping decorator:
django-ninja reads a view's annotations through the globals of the
function it is given.
"""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger
from ninja.operation import Operation

from askwell.api.errors import install_handlers
from askwell.api.views import answers, contributors, flags, questions, search, topics


class AskwellAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        """`askwell_api_views_<view>`: the ids the API had as one module.

        Generated clients name their methods after operation ids, so they
        stay the same wherever a view's module moves (ninja derives them
        from the module). View names are unique across the routers.
        """
        return f"askwell_api_views_{operation.view_func.__name__}"


class AskwellDocs(Swagger):
    """The docs page: ninja's Swagger UI in a page of our own
    (templates/api/docs.html: the language, a main landmark, and colours
    with WCAG AA contrast in askwell/api-docs.css).

    Deep links are off: Swagger UI puts each one, a link, inside the button
    that opens its operation, an interactive control inside another that
    keyboards and screen readers cannot tell apart (axe-core's
    nested-interactive). The address bar no longer follows the open
    operation; each operation is still reached from the page.
    """

    template = "api/docs.html"


api = AskwellAPI(
    title="Askwell API",
    version="1",
    description=(
        "Expert health questions and answers. Reads are public; writes take a "
        "personal API token (`Authorization: Bearer <token>`, created on your "
        "account page) or a signed-in session with its CSRF token. Every "
        'failure is `{"error": {"code", "message", "details"}}`. Lists page '
        "with an opaque `cursor`: pass back `next_cursor` until it is null."
    ),
    urls_namespace="api",
    docs=AskwellDocs(settings={"tryItOutEnabled": False, "deepLinking": False}),
)
install_handlers(api)
# In this order: the docs list the resources (tags) as they first appear.
api.add_router("", search.router)
api.add_router("", topics.router)
api.add_router("", questions.router)
api.add_router("", contributors.router)
api.add_router("", answers.router)
api.add_router("", flags.router)
