"""The ``canned_answers`` table: list, read, create, change, switch off and delete canned answers, and
count each use.

Every change an administrator or supervisor makes is appended to the administration log
(``catalog_changes``: ``answers.create``, ``answers.update``, ``answers.delete``) in the same
transaction, with the fields that changed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs
from sqlalchemy import Connection, Engine, RowMapping, delete, insert, or_, select, update

from pqrs_core.domain.answers import AnswerDraft, CannedAnswer, MacroActions

from .engine import begin_write
from .tables import canned_answers, catalog_changes


def _answer(row: RowMapping) -> CannedAnswer:
    macro = MacroActions(**row["macro"]) if row["macro"] else MacroActions()
    return CannedAnswer(id=row["id"], title=row["title"], body=row["body"],
                        typifications=tuple(row["typifications"]), kinds=tuple(row["kinds"]),
                        owner=row["owner"], active=row["active"], macro=macro,
                        usage_count=row["usage_count"], created_by=row["created_by"],
                        updated_at=row["updated_at"])


def _values(draft: AnswerDraft, owner: str | None) -> dict[str, Any]:
    return {"title": draft.title, "body": draft.body, "typifications": list(draft.typifications),
            "kinds": list(draft.kinds), "owner": owner if draft.personal else None,
            "active": draft.active, "macro": None if draft.macro.empty else attrs.asdict(draft.macro)}


def list_answers(engine: Engine, *, visible_to: str | None = None) -> list[CannedAnswer]:
    """Every answer by title; with ``visible_to``, the shared ones and that person's own."""
    stmt = select(canned_answers).order_by(canned_answers.c.title, canned_answers.c.id)
    if visible_to is not None:
        stmt = stmt.where(or_(canned_answers.c.owner.is_(None), canned_answers.c.owner == visible_to))
    with engine.connect() as conn:
        return [_answer(row) for row in conn.execute(stmt).mappings()]


def get_answer(engine: Engine, answer_id: int) -> CannedAnswer | None:
    with engine.connect() as conn:
        row = conn.execute(select(canned_answers).where(canned_answers.c.id == answer_id)).mappings().first()
    return _answer(row) if row is not None else None


def _record(conn: Connection, actor: str | None, at: datetime, what: str, title: str,
            changed: dict[str, Any]) -> None:
    if actor is None or not changed:
        return
    conn.execute(insert(catalog_changes).values(actor=actor, at=at, what=what,
                                                data={"answer": title, **changed}))


def create_answer(engine: Engine, draft: AnswerDraft, now: datetime, *, actor: str | None) -> CannedAnswer:
    """Store a new answer (``draft`` already validated); a personal one belongs to ``actor``."""
    values = _values(draft, actor)
    with begin_write(engine) as conn:
        new_id = conn.execute(insert(canned_answers).values(created_by=actor, created_at=now, updated_at=now,
                                                            usage_count=0, **values)
                              ).inserted_primary_key[0]  # type: ignore[index]
        _record(conn, actor, now, "answers.create", draft.title, values)
    found = get_answer(engine, int(new_id))
    assert found is not None
    return found


def update_answer(engine: Engine, answer: CannedAnswer, draft: AnswerDraft, now: datetime, *,
                  actor: str | None) -> CannedAnswer:
    """Change ``answer`` to ``draft`` (validated). A personal answer stays its owner's; one made
    personal becomes the person's who changes it."""
    before = _values(answer.draft, answer.owner)
    after = _values(draft, answer.owner or actor)
    changed = {name: value for name, value in after.items() if before[name] != value}
    with begin_write(engine) as conn:
        conn.execute(update(canned_answers).where(canned_answers.c.id == answer.id)
                     .values(updated_at=now, **after))
        _record(conn, actor, now, "answers.update", answer.title, changed)
    found = get_answer(engine, answer.id)
    assert found is not None
    return found


def delete_answer(engine: Engine, answer: CannedAnswer, now: datetime, *, actor: str | None) -> None:
    with begin_write(engine) as conn:
        conn.execute(delete(canned_answers).where(canned_answers.c.id == answer.id))
        _record(conn, actor, now, "answers.delete", answer.title, {"deleted": True})


def count_use(engine: Engine, answer_id: int) -> None:
    """One more use of the answer (inserted in a case, rendered over the API)."""
    with begin_write(engine) as conn:
        conn.execute(update(canned_answers).where(canned_answers.c.id == answer_id)
                     .values(usage_count=canned_answers.c.usage_count + 1))
