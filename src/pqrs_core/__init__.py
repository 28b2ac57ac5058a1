"""pqrs_core: the headless PQRS domain (cases, catalogs, workflows, terms) and its use cases.

Everything a library user needs is importable from here::

    from pqrs_core import Actor, FileCase, in_memory

    pqrs = in_memory()
    ana = Actor("ana", frozenset({"agent"}))
    case = pqrs.handle(FileCase(kind="queja", subject="Pedido incompleto",
                                description="Llegaron 8 de las 10 cajas."), ana)

On a SQLite or PostgreSQL database use ``pqrs_adapters.open_pqrs(url)`` instead of ``in_memory()``.
The modules below this package stay importable, but nothing here requires them. This package
imports no web framework, ORM or serialisation-schema library, and importing it builds nothing:
no store, clock or plugin manager exists until ``in_memory`` or ``bootstrap`` is called.
"""

from .bootstrap import bootstrap, in_memory
from .clock import FrozenClock, SystemClock
from .domain import events
from .domain.access import Permission, Role, Scope
from .domain.calendar import BusinessCalendar
from .domain.case import Case
from .domain.catalog import Catalog, CatalogEntry, FieldDefinition, FieldType, Priority, Queue
from .domain.commands import (
    AddAttachment,
    AddNote,
    AnswerInternal,
    ApproveResponse,
    ApproveVoiding,
    AssignCase,
    ChangeCaseItems,
    ChangeFields,
    CloseCase,
    CompleteCorrectiveAction,
    DeclareWithdrawal,
    EndTermSuspension,
    EscalateToThirdParty,
    ExtendCompletionTime,
    ExtendTerm,
    FileCase,
    RecordAdmissionNotice,
    RecordQualityReview,
    RecordRequesterReply,
    RecordRootCause,
    RecordRulingNotice,
    RecordThirdPartyReply,
    RejectVoiding,
    ReopenCase,
    RequestCompletion,
    RequestInformation,
    RequestInternal,
    RequestVoiding,
    RespondCase,
    RespondWithMacro,
    ResumeFromThirdParty,
    ReturnForRetypification,
    ReturnResponse,
    SuspendTerm,
    TagCase,
    TransferCase,
    TransitionCase,
    TypifyCase,
)
from .domain.errors import (
    ConcurrencyConflict,
    DomainError,
    DuplicateRegistration,
    Forbidden,
    InvalidOperation,
    InvalidTransition,
    NotFound,
    NotTheRequester,
    PermissionDenied,
    TransitionNotPermitted,
    ValidationError,
)
from .domain.events import DomainEvent
from .domain.items import ErpLine, InvolvedItem
from .domain.sla import TermPolicy, TermReading, TermStatus
from .domain.terms import Extension, Term, TermRule, TermUnit
from .domain.typification import Typification, TypificationNode
from .domain.values import (
    Actor,
    AttachmentInfo,
    DataConsent,
    DocumentReference,
    FilingNumber,
    ReferenceKind,
    Requester,
    RequesterKind,
)
from .domain.workflow import GuardContext, State, StateCategory, Transition, Workflow
from .hookspecs import hookimpl
from .plugins import get_plugin_manager
from .ports import CasePage, CaseQuery, CaseSummary, Clock
from .services.messagebus import Pqrs
from .services.term_report import TermExplanation
from .settings import Settings

__version__ = "0.1.0"

__all__ = [
    # building the application
    "Pqrs", "in_memory", "bootstrap", "Settings", "BusinessCalendar", "get_plugin_manager", "hookimpl",
    # the clock
    "Clock", "SystemClock", "FrozenClock",
    # commands
    "AddAttachment", "AddNote", "AnswerInternal", "ApproveResponse", "AssignCase", "ChangeCaseItems",
    "ChangeFields", "CloseCase", "CompleteCorrectiveAction", "DeclareWithdrawal",
    "RequestVoiding", "ApproveVoiding", "RejectVoiding",
    "EndTermSuspension", "EscalateToThirdParty", "ExtendCompletionTime", "ExtendTerm", "FileCase",
    "RecordAdmissionNotice", "RecordQualityReview", "RecordRequesterReply", "RecordRootCause",
    "RecordRulingNotice", "RecordThirdPartyReply", "ReopenCase", "RequestCompletion", "RequestInformation",
    "RequestInternal", "RespondCase", "RespondWithMacro", "ResumeFromThirdParty", "ReturnForRetypification",
    "ReturnResponse", "SuspendTerm", "TagCase", "TransferCase", "TransitionCase",
    "TypifyCase",
    # reading
    "Case", "CaseQuery", "CasePage", "CaseSummary", "DomainEvent", "events", "TermExplanation",
    "TermReading", "TermStatus",
    # values
    "Actor", "AttachmentInfo", "DataConsent", "DocumentReference", "ErpLine", "FilingNumber", "InvolvedItem",
    "ReferenceKind",
    "Requester", "RequesterKind",
    # the catalog
    "Catalog", "CatalogEntry", "FieldDefinition", "FieldType", "Priority", "Queue", "Role", "Permission",
    "Scope", "Typification", "TypificationNode", "Workflow", "State", "StateCategory", "Transition",
    "GuardContext", "TermPolicy", "TermRule", "Term", "TermUnit", "Extension",
    # errors
    "DomainError", "ValidationError", "NotFound", "InvalidTransition", "InvalidOperation", "Forbidden",
    "TransitionNotPermitted", "PermissionDenied", "NotTheRequester", "ConcurrencyConflict",
    "DuplicateRegistration",
]
