"""How much a template that administrators write may make and spend in one rendering.

Jinja's sandbox stops a template from reaching Python's internals, not from holding a worker's memory
or processor: ``{{ 'x'|center(300000000) }}``, ``{{ (10**100)**100**100 }}`` or two nested
``range(100000)`` loops would. The ``LimitedSandbox`` checks the size of what an operation would make
*before* making it (the width of ``center``/``indent``/``format``..., a repetition, a power) and counts
loop turns and calls against a budget per rendering. Every refusal is a ``TooLarge`` or ``TooCostly``
(both ``SecurityError``), which the rendering functions turn into a Spanish message.
"""

from __future__ import annotations

import functools
import inspect
import re
import string
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from typing import Any

import attrs
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.environment import Template
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_OUTPUT = 200_000  # characters a rendering (or any text made on the way) may have
MAX_ITEMS = 10_000  # items of a range, a repeated list, a batch
MAX_OPERATIONS = 100_000  # loop turns and calls of one rendering
MAX_INT_BITS = 4_096  # integers made by arithmetic (10**1000 is about 3,300 bits)


class TooLarge(SecurityError):
    """The template would make a value larger than allowed."""


class TooCostly(SecurityError):
    """The template would take more loop turns or calls than allowed."""


@attrs.define
class Budget:
    """What one rendering may still make and spend."""

    max_size: int = MAX_OUTPUT
    spent: int = 0

    def spend(self, operations: int = 1) -> None:
        self.spent += operations
        if self.spent > MAX_OPERATIONS:
            raise TooCostly("too many loop turns or calls")

    def size(self, length: int) -> None:
        if length > self.max_size:
            raise TooLarge("result too large")


_BUDGET: ContextVar[Budget] = ContextVar("pqrs_template_budget")


def current_budget() -> Budget:
    """The budget of the rendering under way (a fresh one outside any, e.g. while compiling)."""
    try:
        return _BUDGET.get()
    except LookupError:
        return Budget()


def _weight(value: Any, limit: int) -> int:
    """The characters ``value`` amounts to when shown (nested lists counted in full, as ``str`` would
    write them), stopping as soon as it passes ``limit``."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list | tuple):
        total = len(value)
        for item in value:
            total += _weight(item, limit - total)
            if total > limit:
                break
        return total
    return 1


def _number(value: Any) -> int:
    return value if isinstance(value, int) else len(value) if isinstance(value, str) else 0


_PRINTF = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d*))?")


def check_printf(pattern: str, limit: int) -> None:
    """Refuse a ``%`` pattern whose widths or precisions would make more than ``limit`` characters."""
    for match in _PRINTF.finditer(pattern):
        for part in match.groups():
            if part == "*" or (part and (len(part) > 7 or int(part) > limit)):
                raise TooLarge("format width too large")


def check_format_spec(pattern: str, limit: int) -> None:
    """Refuse a ``str.format`` pattern whose widths would make more than ``limit`` characters."""
    for _literal, _field, spec, _conversion in string.Formatter().parse(pattern):
        if spec and ("{" in spec or any(len(d) > 7 or int(d) > limit for d in re.findall(r"\d+", spec))):
            raise TooLarge("format width too large")


def _replaced_size(s: Any, old: Any, new: Any, count: Any) -> int:
    text, old, new = str(s), str(old), str(new)
    found = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    return len(text) + found * max(len(new) - len(old), 0)


# What each width-taking filter would make, from its arguments (``a``, by parameter name).
_FILTER_SIZES: dict[str, Callable[[Mapping[str, Any]], int]] = {
    "center": lambda a: max(len(str(a["value"])), _number(a["width"])),
    "indent": lambda a: len(str(a["s"])) + _number(a["width"]) * (str(a["s"]).count("\n") + 1),
    "replace": lambda a: _replaced_size(a["s"], a["old"], a["new"], a["count"]),
    "wordwrap": lambda a: max(_number(a["width"]), len(str(a["s"])) * (
        1 + len(str(a["wrapstring"] or "\n")) // max(_number(a["width"]), 1))),
    "truncate": lambda a: max(_number(a["length"]), _number(a["leeway"] or 0)),
}
_FILTER_COUNTS = {"batch": "linecount", "slice": "slices"}


def _limited_filter(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
    signature = inspect.signature(original)

    @functools.wraps(original)  # keeps Jinja's pass_context/pass_environment marks
    def limited(*args: Any, **kwargs: Any) -> Any:
        arguments = signature.bind(*args, **kwargs)
        arguments.apply_defaults()
        given = arguments.arguments
        budget = current_budget()
        if name in _FILTER_SIZES:
            budget.size(_FILTER_SIZES[name](given))
        elif name in _FILTER_COUNTS and _number(given[_FILTER_COUNTS[name]]) > MAX_ITEMS:
            raise TooLarge("too many items")
        elif name == "format":
            check_printf(str(given["value"]), budget.max_size)
        return original(*args, **kwargs)

    return limited


def limited_range(*args: int) -> range:
    """``range`` of at most ``MAX_ITEMS`` numbers."""
    numbers = range(*args)
    try:
        too_long = len(numbers) > MAX_ITEMS
    except OverflowError:
        too_long = True
    if too_long:
        raise TooLarge("range too long")
    return numbers


def _method_size(method: Any, args: tuple[Any, ...]) -> int | None:
    """What a text method with a width or a repetition would make (``None`` for any other call)."""
    owner, name = getattr(method, "__self__", None), getattr(method, "__name__", "")
    if not isinstance(owner, str) or not args:
        return None
    if name in ("center", "ljust", "rjust", "zfill"):
        return max(len(owner), _number(args[0]))
    if name == "expandtabs":
        return len(owner) * max(_number(args[0]), 1)
    if name == "replace" and len(args) >= 2:
        return _replaced_size(owner, args[0], args[1], args[2] if len(args) > 2 else None)
    if name == "join":
        items = list(args[0]) if isinstance(args[0], Iterable) else []
        return sum(_weight(i, MAX_OUTPUT * 10) for i in items) + len(owner) * len(items)
    return None


class _BudgetedTemplate(Template):
    """A template whose every rendering has its own budget."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        if _BUDGET.get(None) is not None:
            return super().render(*args, **kwargs)
        token = _BUDGET.set(Budget())
        try:
            return super().render(*args, **kwargs)
        finally:
            _BUDGET.reset(token)


class _BudgetedCodeGenerator(CodeGenerator):
    """Jinja's code generator where every ``for`` counts its turns and every ``~`` checks its size."""

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        for loop in node.find_all(nodes.For):
            loop.iter = nodes.Call(nodes.EnvironmentAttribute("counted"), [loop.iter], [], None, None,
                                   lineno=loop.lineno)
        super().visit_Template(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.sized(")
        super().visit_Concat(node, frame)
        self.write(")")


_SIZED = (str, list, tuple)


class LimitedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, where no operation may make a value larger than the budget's size nor
    a rendering take more than ``MAX_OPERATIONS`` loop turns and calls."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})
    code_generator_class = _BudgetedCodeGenerator
    template_class = _BudgetedTemplate

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals["range"] = limited_range
        self.globals.pop("lipsum", None)
        for name in (*_FILTER_SIZES, *_FILTER_COUNTS, "format"):
            self.filters[name] = _limited_filter(name, self.filters[name])

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        budget = current_budget()
        integers = isinstance(left, int) and isinstance(right, int)
        if operator == "**" and integers and abs(left) > 1 and right > 0:
            if left.bit_length() * right > MAX_INT_BITS:
                raise TooLarge("number too large")
        elif operator == "*" and integers:
            if left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise TooLarge("number too large")
        elif operator == "*" and isinstance(left, int | str | list | tuple):
            sequence, count = (right, left) if isinstance(left, int) else (left, right)
            if isinstance(count, int) and isinstance(sequence, str | list | tuple):
                budget.size(max(count, 0) * _weight(sequence, budget.max_size))
        elif operator == "+" and isinstance(left, _SIZED) and isinstance(right, _SIZED):
            budget.size(_weight(left, budget.max_size) + _weight(right, budget.max_size))
        elif operator == "%" and isinstance(left, str):
            check_printf(left, budget.max_size)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        budget = current_budget()
        budget.spend()
        size = _method_size(__obj, args)
        if size is not None:
            budget.size(size)
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            check_format_spec(str(value.__self__), current_budget().max_size)
        return wrapped

    def counted(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """``iterable``, each turn spent from the rendering's budget."""
        budget = current_budget()
        for item in iterable:
            budget.spend()
            yield item

    def sized(self, text: str) -> str:
        """``text`` when it fits in the rendering's size."""
        current_budget().size(len(text))
        return text


def rendering_budget(max_size: int) -> Any:
    """The budget of a rendering that may make up to ``max_size`` characters, to use in a ``with``:
    ``with rendering_budget(n): template.render(...)``."""
    return _BudgetScope(max_size)


@attrs.define
class _BudgetScope:
    max_size: int
    _token: Any = None

    def __enter__(self) -> Budget:
        budget = Budget(self.max_size)
        self._token = _BUDGET.set(budget)
        return budget

    def __exit__(self, *exc: object) -> None:
        _BUDGET.reset(self._token)
