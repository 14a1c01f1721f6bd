"""eval and where: expressions from splengine.expr.eval.

https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/eval
https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/where
"""
from __future__ import annotations

from ..args import ArgList
from ..expr.eval import DynamicName, parse_assignments, parse_expression, truthy
from ..values import to_str
from .base import Command, register


@register("eval")
class EvalCommand(Command):
    """Assignments run left to right; a later one sees the fields set by an earlier one. Null removes the field.
    ``{field}=<expression>`` assigns the field named by the row's value of ``field`` (none when that value is null
    or multivalue)."""

    keeps_columns = True

    def __init__(self, assignments):
        self.assignments = assignments

    @classmethod
    def parse(cls, args: ArgList, ctx) -> EvalCommand:
        text, offset = args.rest_span()
        if not text.strip():
            raise args.error("missing field=expression")
        return cls(parse_assignments(text, offset))

    def execute(self, rows, ctx):
        assignments = self.assignments
        for row in rows:
            for name, expr in assignments:
                if type(name) is DynamicName:
                    name = row.get(name.field)
                    if name is None or type(name) is list or name == "":
                        continue
                    name = to_str(name)
                value = expr.evaluate(row, ctx)
                if value is None:
                    row.pop(name, None)
                else:
                    row[name] = value
            yield row


@register("where")
class WhereCommand(Command):
    keeps_columns = True

    def __init__(self, expr):
        self.expr = expr

    @classmethod
    def parse(cls, args: ArgList, ctx) -> WhereCommand:
        text, offset = args.rest_span()
        if not text.strip():
            raise args.error("missing condition")
        return cls(parse_expression(text, offset))

    def execute(self, rows, ctx):
        evaluate = self.expr.evaluate
        for row in rows:
            if truthy(evaluate(row, ctx)):
                yield row
