"""Run-time administration of the catalog. Every change is applied immediately and recorded in the
catalog's audit log (who, when, what). Typification changes create new node versions, so cases
classified before keep the classification they were given.

Who may change what is a permission of their roles: ``catalog.admin`` for the catalog (lists,
typifications, workflow labels, term policies, closures), ``users.admin`` for roles. The ``admin``
role holds every permission."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

import attrs

from ..domain.access import Permission, Role, Scope, permissions_of
from ..domain.catalog import LIST_NAMES, Catalog, CatalogEntry, FieldDefinition, Priority, Queue
from ..domain.errors import NotFound, PermissionDenied, Problems, ValidationError
from ..domain.fields import check_definition, field_to_plain
from ..domain.retention import KIND_SCOPE, RetentionRule, scope_of
from ..domain.sla import TermPolicy
from ..domain.term_scopes import scope_data, scope_problems
from ..domain.typification import TypificationNode
from ..domain.values import MAX_CODE, MAX_SHORT_TEXT, Actor, check_text
from ..domain.workflow import Workflow, next_version
from ..domain.workflow_editing import check_workflow, copy_workflow
from ..domain.working_days import check_working_weekdays
from ..ports import Clock, UnitOfWork
from .catalog_sync import ADMIN_SOURCE
from .field_references import check_field_references

ADMIN_ROLES = frozenset({"admin"})


class CatalogAdmin:
    def __init__(self, uow_factory: Callable[[], UnitOfWork], clock: Clock) -> None:
        self._uow_factory = uow_factory
        self._clock = clock

    def _run(self, actor: Actor, what: str, data: dict[str, Any],
             change: Callable[[UnitOfWork], None], permission: Permission = Permission.CATALOG) -> None:
        with self._uow_factory() as uow:
            self.allow(uow, actor, permission)
            change(uow)
            uow.catalog.record_change(actor.username, self._clock.now(), what, data)
            uow.commit()

    @staticmethod
    def allow(uow: UnitOfWork, actor: Actor, permission: Permission) -> None:
        roles = uow.catalog.load().roles
        if not actor.has_any(ADMIN_ROLES) and permission not in permissions_of(actor, roles):
            raise PermissionDenied(permission)

    @staticmethod
    def _check(code: str, label: str) -> None:
        problems = Problems()
        check_text(problems, "code", code, max_length=MAX_CODE, required=True)
        check_text(problems, "label", label, max_length=MAX_SHORT_TEXT, required=True)
        problems.raise_if_any()

    def put_entry(self, list_name: str, entry: CatalogEntry, actor: Actor) -> None:
        """Add or edit a kind, reason, channel or document type."""
        if list_name not in LIST_NAMES:
            raise NotFound("la lista", list_name)
        self._check(entry.code, entry.label)
        self._run(actor, f"{list_name}.put", attrs.asdict(entry),
                  lambda uow: uow.catalog.put_entry(list_name, entry, ADMIN_SOURCE))

    def put_priority(self, priority: Priority, actor: Actor) -> None:
        self._check(priority.code, priority.label)
        self._run(actor, "priorities.put", attrs.asdict(priority),
                  lambda uow: uow.catalog.put_priority(priority, ADMIN_SOURCE))

    def put_queue(self, queue: Queue, actor: Actor) -> None:
        self._check(queue.code, queue.label)
        self._run(actor, "queues.put", attrs.asdict(queue),
                  lambda uow: uow.catalog.put_queue(queue, ADMIN_SOURCE))

    def put_role(self, role: Role, actor: Actor) -> None:
        """Add or edit a role: its permissions, visibility scopes and the kinds/typifications it may
        access. Unknown permissions or scopes are rejected."""
        self._check(role.code, role.label)
        problems = Problems()
        unknown = sorted(set(role.permissions) - {p.value for p in Permission})
        if unknown:
            problems.add("permissions", f"permisos desconocidos: {', '.join(unknown)}")
        unknown = sorted(set(role.scopes) - {s.value for s in Scope})
        if unknown:
            problems.add("scopes", f"alcances desconocidos: {', '.join(unknown)}")
        problems.raise_if_any()
        data = {"code": role.code, "permissions": sorted(role.permissions), "scopes": sorted(role.scopes)}
        self._run(actor, "roles.put", data, lambda uow: uow.catalog.put_role(role, ADMIN_SOURCE),
                  Permission.USERS)

    def put_term_policy(self, policy: TermPolicy, actor: Actor) -> None:
        """Add or edit a term policy (or switch one off with ``active=False``). An edited policy is
        the administrator's from then on: the catalog sync never overwrites it with a plugin's."""
        self._check(policy.code, policy.label)
        data = {"code": policy.code, "label": policy.label, "active": policy.active,
                "terms": [rule.term.describe() for rule in policy.resolution], **scope_data(policy)}

        def change(uow: UnitOfWork) -> None:
            catalog = uow.catalog.load()
            scope_problems(policy, catalog).raise_if_any()
            uow.catalog.put_term_policy(policy, ADMIN_SOURCE)

        self._run(actor, "term_policies.put", data, change)

    def add_closure(self, day: date, label: str, actor: Actor) -> None:
        """An organisation closure day: no term runs on it. Open cases keep their deadlines until
        ``Pqrs.recompute_terms`` recomputes them (recorded in each case's history)."""
        problems = Problems()
        check_text(problems, "label", label, max_length=MAX_SHORT_TEXT, required=True)
        problems.raise_if_any()
        self._run(actor, "closures.add", {"day": day.isoformat(), "label": label},
                  lambda uow: uow.catalog.put_closure(day, label.strip()))

    def remove_closure(self, day: date, actor: Actor) -> None:
        self._run(actor, "closures.remove", {"day": day.isoformat()},
                  lambda uow: uow.catalog.remove_closure(day))

    def set_working_weekdays(self, weekdays: Iterable[int], actor: Actor) -> None:
        """The weekdays the organisation works (0 = Monday), e.g. ``working_days.WORKING_DAYS["mon-sat"]``
        when Saturday is a business day. Like closures, open cases keep their deadlines until
        ``Pqrs.recompute_terms`` recomputes them."""
        days = check_working_weekdays(weekdays)
        self._run(actor, "calendar.working_weekdays", {"weekdays": sorted(days)},
                  lambda uow: uow.catalog.put_working_weekdays(days))

    def put_field(self, definition: FieldDefinition, actor: Actor) -> None:
        """Add or edit a custom field (or switch one off with ``active=False``). The change log keeps
        the whole definition as it was saved: each entry is a version of the field."""
        self._check(definition.code, definition.label)
        check_definition(definition)

        def change(uow: UnitOfWork) -> None:
            check_field_references(definition, uow.catalog.load())
            uow.catalog.put_field(definition, ADMIN_SOURCE)

        self._run(actor, "fields.put", field_to_plain(definition), change)

    def add_typification(self, code: str, label: str, actor: Actor, *, parent: str | None = None,
                         description: str = "") -> None:
        self._check(code, label)

        def change(uow: UnitOfWork) -> None:
            tree = uow.catalog.load().typifications
            position = len(tree.children(parent)) + 1
            node = tree.add(TypificationNode(code, label, parent, description, position=position))
            uow.catalog.put_typification(node, ADMIN_SOURCE, actor.username, self._clock.now())

        self._run(actor, "typifications.add", {"code": code, "label": label, "parent": parent}, change)

    def rename_typification(self, code: str, label: str, actor: Actor, *,
                            description: str | None = None) -> None:
        def change(uow: UnitOfWork) -> None:
            node = uow.catalog.load().typifications.rename(code, label, description)
            uow.catalog.put_typification(node, ADMIN_SOURCE, actor.username, self._clock.now())

        self._run(actor, "typifications.rename", {"code": code, "label": label}, change)

    def move_typification(self, code: str, parent: str | None, actor: Actor) -> None:
        def change(uow: UnitOfWork) -> None:
            node = uow.catalog.load().typifications.move(code, parent)
            uow.catalog.put_typification(node, ADMIN_SOURCE, actor.username, self._clock.now())

        self._run(actor, "typifications.move", {"code": code, "parent": parent}, change)

    def set_typification_active(self, code: str, active: bool, actor: Actor) -> None:
        def change(uow: UnitOfWork) -> None:
            node = uow.catalog.load().typifications.set_active(code, active)
            uow.catalog.put_typification(node, ADMIN_SOURCE, actor.username, self._clock.now())

        self._run(actor, "typifications.active", {"code": code, "active": active}, change)

    def relabel_state(self, workflow: str, state: str, label: str, actor: Actor) -> None:
        """Rename a state of a workflow as people read it (its code, category and transitions stay).
        The edited workflow is the administrator's from then on: a plugin sync never overwrites it."""
        self._relabel(workflow, "state", state, label, actor)

    def relabel_transition(self, workflow: str, transition: str, label: str, actor: Actor) -> None:
        """Rename a transition of a workflow (the button people press); like ``relabel_state``."""
        self._relabel(workflow, "transition", transition, label, actor)

    def _relabel(self, code: str, part: str, name: str, label: str, actor: Actor) -> None:
        problems = Problems()
        check_text(problems, "label", label, max_length=MAX_SHORT_TEXT, required=True)
        problems.raise_if_any()
        label = label.strip()

        def change(uow: UnitOfWork) -> None:
            catalog = uow.catalog.load()
            workflow = catalog.workflow(code)
            if part == "state":
                if not workflow.has_state(name):
                    raise ValidationError({"state": f"«{name}» no es un estado del flujo «{code}»"})
                changed = attrs.evolve(workflow, states=tuple(
                    attrs.evolve(s, label=label) if s.code == name else s for s in workflow.states))
            else:
                if workflow.transition(name) is None:
                    raise ValidationError({"transition": f"«{name}» no es una transición del flujo «{code}»"})
                changed = attrs.evolve(workflow, transitions=tuple(
                    attrs.evolve(t, label=label) if t.name == name else t for t in workflow.transitions))
            uow.catalog.put_workflow(changed, self._kinds_of(catalog, code), ADMIN_SOURCE)

        self._run(actor, f"workflows.relabel_{part}", {"workflow": code, part: name, "label": label}, change)

    # --- workflows ---------------------------------------------------------------------------------
    def create_workflow(self, code: str, label: str, copy_of: str, actor: Actor) -> None:
        """A new workflow ``code`` starting as a copy of ``copy_of``'s states and transitions, bound
        to no kind yet."""
        def change(uow: UnitOfWork) -> None:
            catalog = uow.catalog.load()
            if any(w.code == code for w in catalog.workflows):
                raise ValidationError({"code": f"ya existe un flujo con el código «{code}»"})
            try:
                source = catalog.workflow(copy_of)
            except NotFound:
                raise ValidationError({"copy_of": "elija el flujo del que parte"}) from None
            workflow = copy_workflow(source, code, label)
            check_workflow(workflow, catalog)
            uow.catalog.put_workflow(workflow, (), ADMIN_SOURCE)

        self._run(actor, "workflows.create", {"workflow": code, "label": label, "copy_of": copy_of}, change)

    def edit_workflow(self, code: str, edit: Callable[[Workflow], Workflow], actor: Actor,
                      what: str, data: dict[str, Any]) -> int:
        """Save ``edit(workflow)`` as the next version of workflow ``code`` once it passes
        ``check_workflow``; the cases filed before keep moving by the version they were filed under.
        Returns the new version."""
        saved: list[int] = []
        record = {"workflow": code, **data}

        def change(uow: UnitOfWork) -> None:
            catalog = uow.catalog.load()
            current = catalog.workflow(code)
            edited = next_version(current, edit(current))
            check_workflow(edited, catalog)
            uow.catalog.put_workflow(edited, self._kinds_of(catalog, code), ADMIN_SOURCE)
            record["version"] = edited.version
            saved.append(edited.version)

        self._run(actor, f"workflows.{what}", record, change)
        return saved[0]

    def bind_kinds(self, code: str, kinds: Iterable[str], actor: Actor) -> None:
        """Cases of ``kinds`` are filed under workflow ``code`` from now on (each kind follows one
        workflow: another that had one of them lets it go). A kind bound to none follows the default
        workflow. The workflows whose kinds changed are the administrator's from then on: a plugin sync
        never binds them back."""
        wanted = sorted(set(kinds))

        def change(uow: UnitOfWork) -> None:
            catalog = uow.catalog.load()
            workflow = catalog.workflow(code)
            unknown = sorted(set(wanted) - catalog.active_codes("kinds"))
            if unknown:
                raise ValidationError({"kinds": f"tipos de caso desconocidos: {', '.join(unknown)}"})
            for other in catalog.workflows:
                before = self._kinds_of(catalog, other.code)
                if other.code != code and set(before) & set(wanted):
                    uow.catalog.put_workflow(other, [k for k in before if k not in wanted], ADMIN_SOURCE)
            uow.catalog.put_workflow(workflow, wanted, ADMIN_SOURCE)

        self._run(actor, "workflows.kinds", {"workflow": code, "kinds": wanted}, change)

    @staticmethod
    def _kinds_of(catalog: Catalog, code: str) -> list[str]:
        return sorted(k for k, w in catalog.kind_workflows.items() if w == code)

    def set_retention(self, scope_kind: str, code: str, rule: RetentionRule | None, actor: Actor) -> None:
        """The retention-table rule (TRD, Ley 594 de 2000 art. 24; Acuerdo 004 de 2019 AGN) of a kind
        (``scope_kind="kind"``) or a typification node (``"typification"``); ``None`` removes it. Each
        change is a new version of the scope's rule: cases exported later name the one in force."""
        if rule is not None:
            rule.check()
        scope = scope_of(scope_kind, code)

        def change(uow: UnitOfWork) -> None:
            catalog = uow.catalog.load()
            known = ({k.code for k in catalog.kinds} if scope_kind == KIND_SCOPE
                     else {n.code for n in catalog.typifications})
            if code not in known:
                raise NotFound("el tipo de caso" if scope_kind == KIND_SCOPE else "la tipificación", code)
            versions = uow.catalog.retention_versions(scope)
            if rule is None and (not versions or versions[0][1] is None):
                return  # nothing to remove
            version = (versions[0][0] if versions else 0) + 1
            stored = None if rule is None else attrs.evolve(rule, version=version)
            uow.catalog.put_retention(scope, version, stored, actor.username, self._clock.now())

        data: dict[str, Any] = {"scope": scope, "removed": rule is None}
        if rule is not None:
            data.update(trd_code=rule.trd_code, management_years=rule.management_years,
                        central_years=rule.central_years, disposition=rule.disposition.value)
        self._run(actor, "retention.put", data, change)

    def retention_versions(self, scope_kind: str, code: str) -> list[tuple[int, RetentionRule | None, str,
                                                                          Any]]:
        """Every version of the retention rule of a kind or typification node, newest first."""
        with self._uow_factory() as uow:
            return uow.catalog.retention_versions(scope_of(scope_kind, code))

    def changes(self, limit: int = 100) -> list[dict[str, Any]]:
        with self._uow_factory() as uow:
            return uow.catalog.changes(limit)

    def sources(self) -> dict[tuple[str, str], str]:
        """``(list_name, code) -> source`` of every stored entry: the plugin that registered it, or
        ``"admin"`` once an administrator edited it."""
        with self._uow_factory() as uow:
            return uow.catalog.sources()
