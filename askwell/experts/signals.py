"""What happens to contributors, for the apps that follow them: search
reindexes a contributor's answers (search/receivers.py), subscribed in its
AppConfig.ready(). experts never calls search.

Events carry side effects only (STYLE.md: "no signals for business
rules"): verification, its audit entry and its mail happen in the action
that sends the event, and are complete with no receiver connected. Each is
sent inside the transaction that wrote the change; receivers schedule what
must wait for the commit with `transaction.on_commit`.
"""

from __future__ import annotations

from django.dispatch import Signal

contributor_changed = Signal()
"""A contributor changed in a way search ranks by or shows: they were
verified (experts.actions.approve_application, with the name and
credentials of their application), verified or withdrawn by an editor
(verify_contributor, withdraw_verification), or renamed or given new
credentials in the admin (save_contributor). Arguments: `contributor`."""
