"""Who may write to the organisation as a case's requester, and what a counter-response does.

Only the requester speaks as the requester: the account the case names as its requester or, when the
requester has no account, whoever filed the case. Staff who work cases may record what the requester
told them on another channel (phone, letter). Anyone else who may see the case (a consultant reading
the cases of her network) may not: her words would count as the requester's, resume a case waiting
for information and restart the legal term (Ley 1755 de 2015 art. 17), or reopen an answered case.

After the response, a counter-response reopens the case while the workflow's ``reopen`` transition
allows it (its guard: seed 002's window of a few days after the response). The same rule tells a page
whether to offer the requester a counter-response that reopens the case. In law the counter-response
is a new request (a new petition, CPACA arts. 13 and 19; a recurso for home utilities), so its term
follows the case's term policy (``counter_response_term``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .access import Permission
from .catalog import Catalog
from .errors import NotTheRequester
from .values import Actor
from .workflow import GuardContext, Transition, guard_refusal

if TYPE_CHECKING:
    from .case import Case


def is_requester(case: Case, username: str) -> bool:
    """Whether ``username`` is the requester of ``case``: the account it names, or (a requester with
    no account) the one who filed it."""
    account = case.requester.user
    return username == (account if account else case.filed_by)


def writes_as_requester(case: Case, actor: Actor, catalog: Catalog) -> bool:
    """Whether what ``actor`` writes on ``case`` may count as the requester's."""
    if Permission.WORK in catalog.permissions(actor):
        return True  # staff recording what the requester said elsewhere
    return is_requester(case, actor.username)


def require_requester(case: Case, actor: Actor, catalog: Catalog) -> None:
    """Refuse (``NotTheRequester``) when ``actor`` may not write as the requester of ``case``."""
    if not writes_as_requester(case, actor, catalog):
        raise NotTheRequester(case.requester.display_name)


def _reopening(case: Case, catalog: Catalog) -> Transition | None:
    """The workflow's ``reopen`` transition, if ``case`` is in a state it reopens from."""
    reopen = case.workflow_in(catalog).transition("reopen")
    return reopen if reopen is not None and case.state in reopen.sources else None


def awaits_counter_response(case: Case, catalog: Catalog) -> bool:
    """Whether ``case`` is answered in a state its workflow reopens from (a counter-response applies
    to it, reopening it within its window)."""
    return _reopening(case, catalog) is not None


def counter_response_refusal(case: Case, catalog: Catalog, now: datetime,
                             settings: Mapping[str, Any] | None = None) -> str | None:
    """Why a counter-response sent at ``now`` would not reopen ``case`` (Spanish), or ``None`` when it
    would: the case is answered and the guard of the workflow's ``reopen`` transition allows it (seed
    002: within the window after the response)."""
    reopen = _reopening(case, catalog)
    if reopen is None:
        return "el caso no admite contrarrespuesta en su estado actual"
    return guard_refusal(reopen, case, catalog.guards, GuardContext(now=now, settings=dict(settings or {})))


def counter_response_reopens(case: Case, catalog: Catalog, now: datetime,
                             settings: Mapping[str, Any] | None = None) -> bool:
    """Whether a counter-response sent at ``now`` reopens ``case``."""
    return counter_response_refusal(case, catalog, now, settings) is None


def counter_response_term(case: Case, catalog: Catalog) -> tuple[str | None, str]:
    """The policy a counter-response that reopens ``case`` runs its new term under (``None``: the
    case's own) and why, in Spanish, as the explanation of the deadline shows it."""
    own = next((p for p in catalog.term_policies if p.code == case.term_policy), None)
    if own is None:
        return None, "con el término de la política del caso, contado desde la contrarrespuesta"
    why = f" ({own.counter_response_source})" if own.counter_response_source else ""
    other = next((p for p in catalog.term_policies
                  if p.code == own.counter_response_policy and p.active), None)
    since = "contado desde la contrarrespuesta"
    if other is not None:
        return other.code, f"se tramita con el término de «{other.label}», {since}{why}"
    return None, f"se tramita como una nueva petición, con el término de «{own.label}» {since}{why}"
