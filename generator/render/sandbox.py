"""The template sandbox: what a template may do, and how much of it.

Templates are edited by staff in Word, so a template is untrusted code. Jinja's immutable sandbox
keeps it from Python's internals and from changing the data; on top of that every render has a
work budget and an output budget, and no value a template makes may grow past MAX_SIZE:

- every loop iteration (also over a string, also when a loop filter skips the item), every call and
  every filter spends work; a filter or call spends more for a bigger input;
- every printed value, and the template text of a loop body per iteration and of a macro per call,
  spends output;
- a filter, method or operator that would make a value larger than MAX_SIZE (`center`, `%`,
  `format`, `replace`, `join`, `lipsum`, `*`, `+`, ...) is refused before it allocates it.

The loops, macros and `~` are counted by rewriting the parsed template before it is compiled.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from jinja2 import TemplateError, nodes
from jinja2.filters import make_attrgetter
from jinja2.runtime import LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment, safe_range
from jinja2.utils import _PassArg, generate_lorem_ipsum
from jinja2.visitor import NodeTransformer

from ..i18n import _

# What one render may do: loop iterations, calls and filters together (a filter or call on a big
# value counts one more per WORK_UNIT characters or items of it). A document template needs a few
# thousand at 100x the actions; a loop that would run for ever stops with a template error instead.
RENDER_BUDGET = 1_000_000
WORK_UNIT = 1000
# Characters one render may print (values, and the template's own text once per loop iteration or
# macro call). The largest document at 100x the actions prints 18 million (60,000 units of work).
OUTPUT_BUDGET = 200_000_000
# The largest text or list a template may make (by '*', '+', '~', a filter or a method).
MAX_PRODUCT = 10_000_000
# The largest count a filter may be given for a number of pieces (batch, slice) or a JSON indent.
MAX_COUNT = 100_000
# The largest number '**' may raise to: beyond it a number has more digits than any document shows.
MAX_EXPONENT = 64


class BudgetExceeded(TemplateError):
    """The template did more work than any document needs (an endless or huge loop)."""


def _too_much_work() -> BudgetExceeded:
    return BudgetExceeded(_("the template does more work than any document needs (a loop that runs more than "
                            "{count} times, or an endless repetition)").format(count=f"{RENDER_BUDGET:,}"))


def _too_large(count: int = MAX_PRODUCT) -> BudgetExceeded:
    return BudgetExceeded(_("the template makes a text or list more than {count} characters or items long")
                          .format(count=f"{count:,}"))


def _size(value: Any) -> int:
    """Characters or items of a value; 0 for what has no size (a number, an iterator)."""
    return len(value) if isinstance(value, (str, list, tuple, dict, set, frozenset)) else 0


def _text_size(value: Any) -> int:
    """Characters `value` has when printed (a guess of 30 for what is not a text or a list)."""
    if isinstance(value, str):
        return len(value)
    return 30 + sum(_text_size(v) for v in value) if isinstance(value, (list, tuple)) else 30


def _limit(size: int, count: int = MAX_PRODUCT) -> None:
    if size > count:
        raise _too_large(count)


class BudgetedEnvironment(ImmutableSandboxedEnvironment):
    """The immutable sandbox with a work and an output budget, per render."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})
    budget = RENDER_BUDGET
    output = OUTPUT_BUDGET

    def __init__(self, **options: Any) -> None:
        super().__init__(finalize=self._printed, **options)
        self.filters = {name: _guarded(self, name, f) for name, f in self.filters.items()}
        self.filters.update(budget_loop=self._loop, budget_spend=self._spend_filter, budget_value=self._value)
        self.globals["range"] = self._range
        self.globals["lipsum"] = self._lipsum

    def add_filters(self, **filters: Callable[..., Any]) -> None:
        """Add filters, counted and size-checked like Jinja's own."""
        self.filters.update({name: _guarded(self, name, f) for name, f in filters.items()})

    def spend(self, amount: int = 1) -> None:
        """Use part of the work budget; a template error when it is used up."""
        self.budget -= amount
        if self.budget < 0:
            raise _too_much_work()

    def spend_output(self, characters: int) -> None:
        """Use part of the output budget; a template error when it is used up."""
        self.output -= characters
        if self.output < 0:
            raise BudgetExceeded(_("the template prints more than {count} characters, more than any document "
                                   "needs").format(count=f"{OUTPUT_BUDGET:,}"))

    # --- what the rewritten template calls ---------------------------------------------

    def _loop(self, iterable: Any, static: int = 0) -> Iterator[Any]:
        """A loop's items, each spending one unit of work and the loop body's own text."""
        self.spend(1 + _size(iterable) // WORK_UNIT)
        for item in iterable:
            self.spend()
            self.spend_output(static)
            yield item

    def _spend_filter(self, static: int) -> str:
        self.spend()
        self.spend_output(static)
        return ""

    def _value(self, value: Any) -> Any:
        """A value made by '~' or by an 'in' test: spends work by its size, refused when too large."""
        size = _size(value)
        _limit(size)
        self.spend(1 + size // WORK_UNIT)
        return value

    def _printed(self, value: Any) -> Any:
        """Every printed value spends output by its size (Jinja's finalize)."""
        self.spend_output(len(value) if isinstance(value, str) else 16)
        return value

    def _range(self, *args: int) -> Iterable[int]:
        return self._loop(safe_range(*args))  # safe_range refuses a single range over 100,000 numbers

    def _lipsum(self, n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
        _limit(_number(n) * _number(max) * 12)  # a word and its space are at most 12 characters
        return str(generate_lorem_ipsum(n, html, min, max))

    # --- the sandbox's hooks -----------------------------------------------------------

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(argument, slice):
            self.spend(1 + _size(obj) // WORK_UNIT)
        return super().getitem(obj, argument)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        # str.format reaches a call wrapped by the sandbox (its own safe formatter): look behind it.
        method = getattr(__obj, "__wrapped__", __obj)
        owner = getattr(method, "__self__", None)
        __self.spend(1 + (_size(owner) + sum(_size(a) for a in args)) // WORK_UNIT)
        if isinstance(__obj, LoopContext) and args:  # loop(children) in a recursive loop
            args = (__self._loop(args[0]), *args[1:])
        elif isinstance(owner, str):
            args = _check_text_method(owner, getattr(method, "__name__", ""), args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        _limit(_size(result))
        return result

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and _is_number(left) and _is_number(right) \
                and abs(right) > MAX_EXPONENT and abs(left) > 1:
            raise BudgetExceeded(_("the number {number} is too large for a document")
                                 .format(number=f"{left} ** {right}"))
        if operator == "*":
            count, sized = (left, right) if isinstance(left, int) else (right, left)
            if isinstance(count, int) and hasattr(sized, "__len__"):
                _limit(count * len(sized))
        elif operator == "+" and hasattr(left, "__len__") and hasattr(right, "__len__"):
            _limit(len(left) + len(right))
        elif operator == "%" and isinstance(left, str):
            _limit(_percent_size(left, right))
        result = super().call_binop(context, operator, left, right)
        self.spend(1 + _size(result) // WORK_UNIT)
        return result

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        return _Counted().visit(super()._parse(source, name, filename))  # type: ignore[no-any-return]


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _number(value: Any) -> int:
    return int(value) if _is_number(value) else 0


# --- rewriting the parsed template so that loops, macros and '~' are counted -----------------


def _static(body: list[nodes.Node]) -> int:
    """Characters of template text in a body, not counting nested loops and macros (they count their own)."""
    total = 0
    stack: list[nodes.Node] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, nodes.TemplateData):
            total += len(node.data)
        elif not isinstance(node, (nodes.For, nodes.Macro, nodes.CallBlock)):
            stack.extend(node.iter_child_nodes())
    return total


def _filter(node: nodes.Expr, name: str, *args: nodes.Expr, lineno: int) -> nodes.Filter:
    return nodes.Filter(node, name, list(args), [], None, None, lineno=lineno)


class _Counted(NodeTransformer):
    """Loops spend per item, macros and call blocks per call, '~' and 'in' by the size of their values."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = _filter(node.iter, "budget_loop", nodes.Const(_static(node.body)), lineno=node.lineno)  # type: ignore[arg-type]
        return node

    def _spend_on_call(self, node: nodes.Macro | nodes.CallBlock) -> nodes.Node:
        self.generic_visit(node)
        spend = _filter(nodes.Const(_static(node.body)), "budget_spend", lineno=node.lineno)
        node.body.insert(0, nodes.ExprStmt(spend, lineno=node.lineno))
        return node

    visit_Macro = _spend_on_call
    visit_CallBlock = _spend_on_call

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return _filter(node, "budget_value", lineno=node.lineno)

    def visit_Operand(self, node: nodes.Operand) -> nodes.Node:
        self.generic_visit(node)
        if node.op in ("in", "notin"):
            node.expr = _filter(node.expr, "budget_value", lineno=node.lineno)
        return node


# --- filters and text methods that could make a huge value: their size is checked first ------


def _guarded(env: BudgetedEnvironment, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """`function` as a filter that spends work by its input's size, and refuses a result over MAX_PRODUCT."""
    passes = _PassArg.from_obj(function) is not None
    check = _FILTER_CHECKS.get(name)

    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        first = 1 if passes else 0
        value = args[first] if len(args) > first else None
        if not isinstance(value, (str, list, tuple, dict)) and isinstance(value, Iterable) \
                and name in _MATERIALISED:
            value = list(env._loop(value))
            args = (*args[:first], value, *args[first + 1:])
        env.spend(1 + _size(value) // WORK_UNIT)
        if check is not None:
            check(env, *args[first:], **kwargs)
        result = function(*args, **kwargs)
        _limit(_size(result))
        return result
    return guarded


def _center(env: Any, value: Any, width: Any = 80) -> None:
    _limit(_number(width) + _size(value))


def _indent(env: Any, value: Any, width: Any = 4, *args: Any, **kwargs: Any) -> None:
    lines = str(value).count("\n") + 1 if isinstance(value, str) else 1
    per_line = len(width) if isinstance(width, str) else _number(width)
    _limit(_size(value) + lines * per_line)


def _replace_size(text: str, old: Any, new: Any, count: Any = None) -> int:
    old, new = str(old), str(new)
    found = text.count(old) if old else len(text) + 1
    if _is_number(count) and count >= 0:
        found = min(found, int(count))
    return len(text) + found * max(len(new) - len(old), 0)


def _replace(env: Any, value: Any, old: Any, new: Any, count: Any = None) -> None:
    _limit(_replace_size(str(value), old, new, count))


def _join_size(env: Any, items: Iterable[Any], separator: str, attribute: Any = None) -> int:
    values = list(items)
    if attribute is not None:
        values = list(map(make_attrgetter(env, attribute), values))
    return sum(_text_size(v) for v in values) + len(separator) * max(len(values) - 1, 0)


def _join(env: Any, value: Any, d: Any = "", attribute: Any = None) -> None:
    if isinstance(value, Iterable):
        _limit(_join_size(env, value, str(d), attribute))


def _wordwrap(env: Any, value: Any, width: Any = 79, break_long_words: Any = True, wrapstring: Any = None,
              *args: Any, **kwargs: Any) -> None:
    text = str(value)
    breaks = len(text) // max(_number(width), 1) + text.count("\n") + 1
    _limit(len(text) + breaks * len(str(wrapstring or "\n")))


def _truncate(env: Any, value: Any, length: Any = 255, killwords: Any = False, end: Any = "...",
              *args: Any, **kwargs: Any) -> None:
    _limit(len(str(end)) + _size(value))


def _counted(env: Any, value: Any, count: Any = 1, *args: Any, **kwargs: Any) -> None:
    _limit(_number(count), MAX_COUNT)


def _tojson(env: Any, value: Any, indent: Any = None) -> None:
    _limit(_number(indent), 100)


def _sum(env: Any, iterable: Any, attribute: Any = None, start: Any = 0) -> None:
    if not _is_number(start):  # adding up lists takes time that grows with their number squared
        raise BudgetExceeded(_("the template adds up lists or texts; only numbers can be added up"))


def _format(env: Any, value: Any, *args: Any, **kwargs: Any) -> None:
    _limit(_percent_size(str(value), kwargs or args))


_FILTER_CHECKS: dict[str, Callable[..., None]] = {
    "center": _center, "indent": _indent, "replace": _replace, "join": _join, "wordwrap": _wordwrap,
    "truncate": _truncate, "batch": _counted, "slice": _counted, "tojson": _tojson, "sum": _sum,
    "format": _format,
}
# Filters given a generator (from map() or select()) whose items are counted before the filter runs.
_MATERIALISED = frozenset({"join", "list", "sum", "sort", "unique", "min", "max", "batch", "slice", "reverse",
                           "groupby", "first", "last", "length", "count", "random", "map", "select", "reject",
                           "selectattr", "rejectattr"})

# '%' conversions: flags, width and precision ('*' takes them from the values).
_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([diouxXeEfFgGcrsa%])")


def _percent_size(text: str, values: Any) -> int:
    """How long `text % values` would be at most."""
    items = list(values.values()) if isinstance(values, dict) else (
        list(values) if isinstance(values, tuple) else [values])
    widest_value = max((_text_size(v) for v in items), default=0)
    numbers = [int(v) for v in items if _is_number(v)]
    total = len(text)
    for match in _PERCENT.finditer(text):
        width, precision = (max(numbers, default=0) if g == "*" else int(g or 0) for g in match.group(1, 2))
        total += widest_value + width + precision
    return total


def _format_size(text: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    """How long `text.format(...)` would be at most."""
    widest_value = max((_text_size(v) for v in (*args, *kwargs.values())), default=0)
    numbers = [abs(int(v)) for v in (*args, *kwargs.values()) if _is_number(v)]
    total = len(text)
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError:
        return total  # str.format refuses it itself
    for _literal, field, spec, _conversion in fields:
        if field is None:
            continue
        widths = [int(n) for n in re.findall(r"\d+", spec or "")] + (numbers if "{" in (spec or "") else [])
        total += widest_value + sum(widths)
    return total


def _check_text_method(text: str, method: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """Refuse a text method that would make a text over MAX_PRODUCT; the arguments, a generator made a list."""
    if method in ("center", "ljust", "rjust", "zfill"):
        _limit(max(_number(args[0]) if args else 0, len(text)))
    elif method == "expandtabs":
        _limit(len(text) + text.count("\t") * _number(args[0] if args else kwargs.get("tabsize", 8)))
    elif method == "replace" and len(args) >= 2:
        _limit(_replace_size(text, args[0], args[1], args[2] if len(args) > 2 else kwargs.get("count")))
    elif method == "join" and args:
        items = list(args[0])
        _limit(sum(_text_size(v) for v in items) + len(text) * max(len(items) - 1, 0))
        args = (items, *args[1:])
    elif method in ("format", "format_map"):
        mapping = args[0] if method == "format_map" and args and isinstance(args[0], dict) else kwargs
        _limit(_format_size(text, args if method == "format" else (), mapping))
    elif method == "translate" and args and isinstance(args[0], dict):
        longest = max((_text_size(v) for v in args[0].values() if isinstance(v, str)), default=1)
        _limit(len(text) * max(longest, 1))
    return args
