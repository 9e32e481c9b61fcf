#!/usr/bin/env python
"""Report user-facing string literals in the project's Python that are not wrapped for translation.

    scripts/check_python_strings.py [PATH ...]

PATHs are Python files or folders (default: the Django apps, without their migrations and the
pure cores, whose rule messages stay English and which import no Django). The source is parsed
with ``ast``; a literal counts when it sits where people read it and holds a letter:

- the message of ``messages.success/info/warning/error/debug(request, "…")`` and
  ``messages.add_message(request, level, "…")``;
- the message of ``ValidationError("…")`` (also a list of them, or a dict's values) and of
  ``form.add_error(field, "…")``;
- a model field's verbose name, ``models.BooleanField("…")``, and the keyword arguments ``label=``, ``help_text=``, ``empty_label=``, ``verbose_name=``,
  ``verbose_name_plural=``, ``title=``, the values of ``error_messages={…}`` and the
  ``placeholder``, ``title`` and ``aria-label`` of a widget's ``attrs={…}``;
- the ``"title"`` or ``"heading"`` of a dict, such as a template's context;
- ``verbose_name`` / ``labels`` / ``help_texts`` / ``error_messages`` in a ``class Meta`` and
  ``default_error_messages`` on a form field;
- choices: the label of each member of a ``TextChoices`` / ``IntegerChoices`` class (a member
  with no label gets one made from its name, which is never translated: reported too), the
  labels of ``choices=[("value", "Label"), …]`` and of tables named ``…CHOICES``, ``…LABELS``
  or ``…TITLES`` (dict values, the second item of pairs) when the literal looks like words;
- ``raise SomethingError("…")`` / ``raise SomethingRefused("…")`` with the project's own
  exceptions: the views show ``str(error)`` to people. Python's built-in exceptions and the
  operators' ones (``CommandError``, ``ImproperlyConfigured``, ``ConfigError``, ``Http404``,
  ``PermissionDenied``) are not shown.

An f-string in one of those places counts (it can never be extracted), and so does an f-string
inside ``gettext`` itself. A literal is wrapped when it is the argument of ``_``, ``gettext``,
``gettext_lazy``, ``gettext_noop``, ``pgettext``, ``ngettext`` and their lazy forms.

A deliberate exception carries ``# i18n: not shown`` (read by developers only) or
``# i18n: same in every language`` (a language's own name) on one of its lines.

Prints file:line: text for each finding and exits 1 when there is any.
"""

from __future__ import annotations

import argparse
import ast
import builtins
import importlib.util
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = (
    "clinic_portal",
    "patients",
    "screening",
    "followups",
    "education",
    "portal",
    "treatment",
    "interop",
    "care",
)
# Folders and files never checked: not the running portal's words (migrations, tests, bench,
# scripts), or the pure cores, which import no Django and keep their rule messages in English
# (README, Languages): the page translates the labels they mark with their own gettext_noop.
SKIPPED = (
    "migrations",
    "tests",
    "bench",
    "scripts",
    "screening/engine",
    "followups/planner.py",
    "followups/rules.py",
    "followups/status.py",
    "treatment/core.py",
    "interop/hl7",
)

WRAPPERS = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "pgettext",
    "pgettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "npgettext",
    "npgettext_lazy",
}
MESSAGE_LEVELS = {"debug", "info", "success", "warning", "error"}
TEXT_KEYWORDS = {
    "label",
    "help_text",
    "empty_label",
    "verbose_name",
    "verbose_name_plural",
    "title",
}
# Their first argument is the related model, not a verbose_name.
RELATIONS = {"ForeignKey", "OneToOneField", "ManyToManyField", "ForeignObject"}
# A page's title or heading handed to a template: {"title": "New page"}.
CONTEXT_KEYS = {"title", "heading"}
SHOWN_ATTRS = {"placeholder", "title", "aria-label", "aria-description"}
META_TABLES = {"labels", "help_texts", "error_messages"}
TABLE_NAME = re.compile(r"(CHOICES|LABELS|TITLES)$")
# Exceptions whose text people never read: Python's own, and the operators'.
NOT_SHOWN_ERRORS = {
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
} | {"CommandError", "ImproperlyConfigured", "ConfigError", "Http404", "PermissionDenied"}
SHOWN_ERROR = re.compile(r"(Error|Refused)$")
MARKER = re.compile(r"#\s*i18n:\s*(not shown|same in every language)\b")


# The template check's words that are the same in every language, and its findings: one list and
# one report format for both checks.
def _template_check():
    if "check_template_strings" not in sys.modules:
        path = Path(__file__).with_name("check_template_strings.py")
        spec = importlib.util.spec_from_file_location("check_template_strings", path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
    return sys.modules["check_template_strings"]


ALLOWED = _template_check()._ALLOWED
Finding = _template_check().Finding
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdifr]|\{[^{}]*\}")
IDENTIFIER = re.compile(r"[a-z0-9_.:/-]*")


def has_words(text: str) -> bool:
    return any(ch.isalpha() for ch in ALLOWED.sub(" ", PLACEHOLDER.sub(" ", text)))


def looks_like_words(text: str) -> bool:
    """Words people read, not a code or a field name: "Label" or "a label", not "label"."""
    return has_words(text) and not IDENTIFIER.fullmatch(text)


def shown(text: str) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= 80 else text[:77] + "...")


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _is_wrapper(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and _name(node.func) in WRAPPERS


class Checker(ast.NodeVisitor):
    def __init__(self, path: str, source: str) -> None:
        self.path = path
        self.lines = source.splitlines()
        self.findings: list[Finding] = []
        self.sink: ast.AST | None = None
        self.depth = 0  # 0 at module level

    # -- reporting ---------------------------------------------------------------------------

    def _marked(self, node: ast.AST) -> bool:
        first = getattr(node, "lineno", 1)
        last = getattr(node, "end_lineno", None) or first
        return any(MARKER.search(line) for line in self.lines[first - 1 : last])

    def report(self, node: ast.AST, text: str) -> None:
        if self.sink is not None and self._marked(self.sink):
            return
        if self._marked(node):
            return
        self.findings.append(Finding(self.path, getattr(node, "lineno", 0), text))

    def text(self, node: ast.expr | None, sink: ast.AST, *, strict: bool = False) -> None:
        """Report the unwrapped literals in an expression people read."""
        if node is None:
            return
        previous, self.sink = self.sink, sink
        try:
            self._text(node, strict)
        finally:
            self.sink = previous

    def _text(self, node: ast.expr, strict: bool) -> None:
        words = looks_like_words if strict else has_words
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if words(node.value):
                self.report(node, shown(node.value))
        elif isinstance(node, ast.JoinedStr):
            literal = "".join(
                v.value
                for v in node.values
                if isinstance(v, ast.Constant) and isinstance(v.value, str)
            )
            if has_words(literal):
                self.report(node, f"f-string {shown(literal)}")
        elif isinstance(node, ast.BinOp):
            self._text(node.left, strict)
            if isinstance(node.op, ast.Add):
                self._text(node.right, strict)
        elif isinstance(node, ast.IfExp):
            self._text(node.body, strict)
            self._text(node.orelse, strict)
        elif isinstance(node, ast.BoolOp):
            for value in node.values:
                self._text(value, strict)
        elif isinstance(node, ast.List | ast.Tuple | ast.Set):
            for element in node.elts:
                self._text(element, strict)
        elif isinstance(node, ast.Dict):
            for value in node.values:
                self._text(value, strict)
        elif isinstance(node, ast.Call):
            func = node.func
            if _is_wrapper(node):
                return
            if isinstance(func, ast.Attribute) and func.attr == "format":
                self._text(func.value, strict)  # "Hello {}".format(name)
            elif _name(func) in {"format_html", "format_lazy", "mark_safe"} and node.args:
                self._text(node.args[0], strict)

    def choices(self, node: ast.expr, sink: ast.AST) -> None:
        """The labels of [("value", "Label"), …], with optgroups ("Group", [(…), …])."""
        if not isinstance(node, ast.List | ast.Tuple):
            return
        for item in node.elts:
            if isinstance(item, ast.Tuple) and len(item.elts) == 2:
                label = item.elts[1]
                if isinstance(label, ast.List | ast.Tuple):
                    self.text(item.elts[0], sink)
                    self.choices(label, sink)
                else:
                    self.text(label, sink)

    # -- where people read text --------------------------------------------------------------

    def visit_Call(self, node: ast.Call) -> None:
        name = _name(node.func)
        receiver = _name(node.func.value) if isinstance(node.func, ast.Attribute) else ""
        if receiver == "messages" and name in MESSAGE_LEVELS:
            for arg in node.args[1:2]:
                self.text(arg, node)
        elif receiver == "messages" and name == "add_message":
            for arg in node.args[2:3]:
                self.text(arg, node)
        elif name == "ValidationError" and node.args:
            self.text(node.args[0], node)
        elif name == "add_error" and isinstance(node.func, ast.Attribute):
            for arg in node.args[1:2]:
                self.text(arg, node)
        elif receiver == "models" and name.endswith("Field") and name not in RELATIONS:
            for arg in node.args[:1]:
                self.text(arg, node)  # a model field's first argument is its verbose_name
        elif name in WRAPPERS:
            for arg in node.args:
                if isinstance(arg, ast.JoinedStr):
                    self.report(arg, "f-string inside gettext is never extracted")
        for keyword in node.keywords:
            if (
                keyword.arg in TEXT_KEYWORDS
                or (
                    keyword.arg in {"message", "error"}
                    and name
                    in {
                        "ValidationError",
                        "add_error",
                        "add_message",
                        *MESSAGE_LEVELS,
                    }
                )
                or keyword.arg == "error_messages"
            ):
                self.text(keyword.value, node)
            elif keyword.arg == "choices":
                self.choices(keyword.value, node)
            elif keyword.arg == "attrs" and isinstance(keyword.value, ast.Dict):
                for key, value in zip(keyword.value.keys, keyword.value.values, strict=True):
                    if isinstance(key, ast.Constant) and key.value in SHOWN_ATTRS:
                        self.text(value, node)
        self.generic_visit(node)

    def visit_Dict(self, node: ast.Dict) -> None:
        for key, value in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and key.value in CONTEXT_KEYS and value is not None:
                self.text(value, node)
        self.generic_visit(node)

    def visit_Raise(self, node: ast.Raise) -> None:
        exc = node.exc
        if isinstance(exc, ast.Call):
            name = _name(exc.func)
            if SHOWN_ERROR.search(name) and name not in NOT_SHOWN_ERRORS:
                for arg in exc.args:
                    # A field name or a code beside the message ("password", "E102") is not text.
                    self.text(arg, node, strict=True)
        self.generic_visit(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        bases = {_name(base) for base in node.bases}
        if any(base.endswith("Choices") for base in bases):
            self._choices_class(node)
        for statement in node.body:
            target, value = _assignment(statement)
            if target is None or value is None:
                continue
            if (
                (node.name == "Meta" and target in {"verbose_name", "verbose_name_plural"})
                or (node.name == "Meta" and target in META_TABLES and isinstance(value, ast.Dict))
                or target == "default_error_messages"
            ):
                self.text(value, statement)
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    def _choices_class(self, node: ast.ClassDef) -> None:
        for statement in node.body:
            target, value = _assignment(statement)
            if target is None or value is None or target.startswith("_") or not target.isupper():
                continue
            if isinstance(value, ast.Tuple) and len(value.elts) >= 2:
                self.text(value.elts[-1], statement)
            elif isinstance(value, ast.Constant) or (
                isinstance(value, ast.Tuple) and len(value.elts) == 1
            ):
                self.report(statement, f"choice {node.name}.{target} has no translatable label")

    def visit_Assign(self, node: ast.Assign | ast.AnnAssign) -> None:
        target, value = _assignment(node)
        if target and value is not None and TABLE_NAME.search(target):
            self._table(value, node)
        self.generic_visit(node)

    visit_AnnAssign = visit_Assign

    def _table(self, value: ast.expr, sink: ast.AST) -> None:
        """Module- or class-level tables of labels: dict values, pairs' second items."""
        if isinstance(value, ast.Dict):
            for item in value.values:
                if isinstance(item, ast.List | ast.Tuple | ast.Dict):
                    self._table(item, sink)
                else:
                    self.text(item, sink, strict=True)
        elif isinstance(value, ast.List | ast.Tuple):
            for item in value.elts:
                if isinstance(item, ast.Tuple) and len(item.elts) == 2:
                    self.text(item.elts[1], sink, strict=True)
                elif isinstance(item, ast.List | ast.Tuple | ast.Dict):
                    self._table(item, sink)


def _assignment(node: ast.AST) -> tuple[str | None, ast.expr | None]:
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        target = node.targets[0]
        return (target.id if isinstance(target, ast.Name) else None), node.value
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return node.target.id, node.value
    return None, None


def check_source(source: str, path: str) -> list[Finding]:
    checker = Checker(path, source)
    checker.visit(ast.parse(source, filename=path))
    return sorted(set(checker.findings))


def skipped(path: Path) -> bool:
    try:
        relative = path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return False
    parts = relative.split("/")
    return any(part in SKIPPED for part in parts) or any(
        relative == s or relative.startswith(s + "/") for s in SKIPPED
    )


def python_files(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.py") if not skipped(p))
        else:
            yield path


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return path.as_posix()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[ROOT / app for app in APPS])
    args = parser.parse_args(argv)
    findings = [
        finding
        for file in python_files(args.paths)
        for finding in check_source(file.read_text(encoding="utf-8"), _display(file))
    ]
    for finding in findings:
        print(finding)
    if findings:
        print(
            f"{len(findings)} unwrapped string(s) in Python: wrap them in gettext / "
            "gettext_lazy (or mark a deliberate one '# i18n: not shown'), then run "
            "'make messages' and translate them."
        )
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
