"""Typed domain errors. Every error a caller can provoke is one of these."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime


class DomainError(Exception):
    """Base class of every error raised by the domain or the use cases."""

    code = "domain-error"


class ValidationError(DomainError):
    """One or more fields are invalid; ``errors`` maps each field path to a message (Spanish)."""

    code = "validation-error"

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors: dict[str, str] = dict(errors)
        summary = "; ".join(f"{field}: {message}" for field, message in sorted(self.errors.items()))
        super().__init__(f"Datos inválidos: {summary}")

    @property
    def fields(self) -> list[str]:
        return sorted(self.errors)


class Problems:
    """Collects field problems so that all of them are reported at once."""

    def __init__(self) -> None:
        self._errors: dict[str, str] = {}

    def add(self, field: str, message: str) -> None:
        self._errors.setdefault(field, message)

    def extend(self, errors: Mapping[str, str], prefix: str = "") -> None:
        for field, message in errors.items():
            self.add(f"{prefix}{field}", message)

    def __bool__(self) -> bool:
        return bool(self._errors)

    def raise_if_any(self) -> None:
        if self._errors:
            raise ValidationError(self._errors)


class NotFound(DomainError):
    """The case or catalog entry asked for does not exist."""

    code = "not-found"

    def __init__(self, what: str, key: str) -> None:
        self.what = what
        self.key = key
        super().__init__(f"No existe {what} «{key}»")


class InvalidTransition(DomainError):
    """The transition cannot be fired from the case's state; names the ones that can."""

    code = "invalid-transition"

    def __init__(self, transition: str, state: str, allowed: Iterable[str]) -> None:
        self.transition = transition
        self.state = state
        self.allowed = tuple(sorted(allowed))
        listed = ", ".join(self.allowed) or "ninguna"
        super().__init__(
            f"La transición «{transition}» no es posible desde el estado «{state}». "
            f"Transiciones permitidas: {listed}"
        )


class Forbidden(DomainError):
    """The actor may not do this (HTTP 403)."""

    code = "forbidden"


class TransitionNotPermitted(Forbidden):
    """The actor's roles may not fire this transition, or its guard refused it."""

    code = "transition-not-permitted"

    def __init__(self, transition: str, reason: str) -> None:
        self.transition = transition
        self.reason = reason
        super().__init__(f"No se puede aplicar «{transition}»: {reason}")


class PermissionDenied(Forbidden):
    """The actor's roles do not grant the permission the command needs."""

    code = "forbidden"

    def __init__(self, permission: str) -> None:
        self.permission = permission
        super().__init__(f"Su rol no le permite esta acción (permiso requerido: {permission})")


class NotTheRequester(Forbidden):
    """Someone who may see a case but is not its requester tried to write as the requester."""

    code = "not-the-requester"

    def __init__(self, requester: str) -> None:
        self.requester = requester
        super().__init__(f"Solo el peticionario ({requester}) puede responder en este caso: lo que usted "
                         "escriba no puede contar como su respuesta")


class ConcurrencyConflict(DomainError):
    """The case changed since the caller read it; nothing was written."""

    code = "version-conflict"

    def __init__(self, key: str, expected: int, actual: int | None) -> None:
        self.key = key
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"El caso {key} fue modificado por otra persona (versión esperada {expected}, "
            f"versión actual {actual}). Recárguelo y vuelva a intentarlo."
        )


class InvalidOperation(DomainError):
    """A command that the case's current situation does not allow (e.g. respond without text)."""

    code = "invalid-operation"


class DuplicateRegistration(DomainError):
    """A plugin registered a code that is already registered."""

    code = "duplicate-registration"


class FilingNumbersTaken(DomainError):
    """Cases of an import carry filing numbers the store already holds; nothing of the batch was
    written."""

    code = "filing-numbers-taken"

    def __init__(self, numbers: Iterable[str]) -> None:
        self.numbers = tuple(sorted(numbers))
        listed = ", ".join(self.numbers[:5]) + ("…" if len(self.numbers) > 5 else "")
        super().__init__(f"Ya existen casos con estos radicados: {listed}")


class LimitExceeded(DomainError):
    """The command would take a case or a person past a limit of the settings; ``field`` names the
    input at fault. ``retry_at`` is when the limit lets the person try again (``None``: it never
    will, the limit is the case's own, e.g. its total of attached bytes)."""

    code = "limit-exceeded"

    def __init__(self, field: str, message: str, retry_at: datetime | None = None) -> None:
        self.field = field
        self.retry_at = retry_at
        super().__init__(message)


class StorageUnavailable(DomainError):
    """The file store cannot keep the bytes right now (a full disk, a folder it may not write to):
    nothing was recorded, and the same command may succeed later."""

    code = "storage-unavailable"

    def __init__(self, message: str = "No es posible guardar archivos en este momento. Intente de nuevo "
                                      "en unos minutos.") -> None:
        super().__init__(message)
