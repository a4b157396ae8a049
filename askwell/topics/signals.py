"""What happens to topics, for the apps that follow them: search keeps its
documents and its topic phrases in step (search/receivers.py), subscribed
in its AppConfig.ready(). topics never calls search.

Events carry side effects only (STYLE.md: "no signals for business
rules"): the change is complete and correct with no receiver connected.
Each is sent inside the transaction that wrote the change; receivers
schedule what must wait for the commit with `transaction.on_commit`.
"""

from __future__ import annotations

from django.dispatch import Signal

topic_changed = Signal()
"""Topics were added or changed: a topic's name, other names or place in
the hierarchy are part of every search document filed under it, and of
the phrases search recognises. Arguments: `topic_ids` (one topic edited in
the admin, or a batch of an import)."""
