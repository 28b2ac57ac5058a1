"""The typification tree (seed 003 section 7.2.3.1): category → subcategory, versioned.

Every node keeps a stable ``code``. Renaming or moving a node creates a new *version* of it; a case
stores the code, the version and the path of labels it was classified with, so renaming a node never
rewrites how past cases were classified and historical reports stay true.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import attrs

from .errors import NotFound, ValidationError

PATH_SEPARATOR = " › "


@attrs.frozen
class TypificationNode:
    code: str
    label: str
    parent: str | None = None
    description: str = ""
    version: int = 1
    active: bool = True
    position: int = 0


@attrs.frozen
class Typification:
    """The classification a case was given: node code and version, with its path as it read then."""

    code: str
    version: int
    path: tuple[str, ...]
    path_codes: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.path[-1]

    @property
    def category(self) -> str:
        return self.path_codes[0]

    def __str__(self) -> str:
        return PATH_SEPARATOR.join(self.path)


class TypificationTree:
    """The current version of every node, with the operations an administrator performs."""

    def __init__(self, nodes: Iterable[TypificationNode] = ()) -> None:
        self._nodes: dict[str, TypificationNode] = {}
        for node in nodes:
            self._nodes[node.code] = node

    def __contains__(self, code: object) -> bool:
        return code in self._nodes

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TypificationTree) and self._nodes == other._nodes

    __hash__ = None  # type: ignore[assignment]  # equal by content and edited in place: not hashable

    def __iter__(self) -> Iterator[TypificationNode]:
        return iter(sorted(self._nodes.values(), key=lambda n: (n.position, n.code)))

    def __len__(self) -> int:
        return len(self._nodes)

    def get(self, code: str) -> TypificationNode:
        try:
            return self._nodes[code]
        except KeyError:
            raise NotFound("la tipificación", code) from None

    def children(self, code: str | None) -> list[TypificationNode]:
        return [n for n in self if n.parent == code]

    def roots(self) -> list[TypificationNode]:
        return self.children(None)

    def ancestors(self, code: str) -> list[TypificationNode]:
        """From the root down to the node itself."""
        chain: list[TypificationNode] = []
        node: TypificationNode | None = self.get(code)
        seen: set[str] = set()
        while node is not None:
            if node.code in seen:  # pragma: no cover - prevented by move()
                raise ValidationError({"typification": "ciclo en el árbol de tipificación"})
            seen.add(node.code)
            chain.append(node)
            node = self._nodes.get(node.parent) if node.parent else None
        return list(reversed(chain))

    def classify(self, code: str) -> Typification:
        """The value a case stores when it is classified under ``code``."""
        if code not in self._nodes:
            raise ValidationError({"typification": f"«{code}» no es una tipificación conocida"})
        chain = self.ancestors(code)
        if not all(n.active for n in chain):
            raise ValidationError({"typification": f"la tipificación «{code}» está inactiva"})
        node = chain[-1]
        return Typification(code, node.version, tuple(n.label for n in chain), tuple(n.code for n in chain))

    def search(self, text: str) -> list[Typification]:
        """Active leaves and nodes whose path contains every word of ``text`` (accent-insensitive)."""
        from .text import fold

        words = fold(text).split()
        found = []
        for node in self:
            try:
                typ = self.classify(node.code)
            except ValidationError:
                continue
            haystack = fold(" ".join(typ.path) + " " + node.description)
            if all(w in haystack for w in words):
                found.append(typ)
        return found

    # --- administration: each returns the new node version to store -------------------------------
    def add(self, node: TypificationNode) -> TypificationNode:
        if node.code in self._nodes:
            raise ValidationError({"code": f"ya existe la tipificación «{node.code}»"})
        if node.parent is not None and node.parent not in self._nodes:
            raise ValidationError({"parent": f"«{node.parent}» no es una tipificación conocida"})
        if not node.label.strip():
            raise ValidationError({"label": "es obligatorio"})
        self._nodes[node.code] = node
        return node

    def rename(self, code: str, label: str, description: str | None = None) -> TypificationNode:
        if not label.strip():
            raise ValidationError({"label": "es obligatorio"})
        node = self.get(code)
        new = attrs.evolve(node, label=label, version=node.version + 1,
                           description=node.description if description is None else description)
        self._nodes[code] = new
        return new

    def move(self, code: str, parent: str | None) -> TypificationNode:
        node = self.get(code)
        if parent is not None:
            if parent not in self._nodes:
                raise ValidationError({"parent": f"«{parent}» no es una tipificación conocida"})
            if code in {n.code for n in self.ancestors(parent)}:
                raise ValidationError({"parent": "no se puede mover un nodo debajo de sí mismo"})
        new = attrs.evolve(node, parent=parent, version=node.version + 1)
        self._nodes[code] = new
        return new

    def set_active(self, code: str, active: bool) -> TypificationNode:
        node = self.get(code)
        new = attrs.evolve(node, active=active, version=node.version + 1)
        self._nodes[code] = new
        return new
