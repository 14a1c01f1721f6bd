"""What one stats term says: function, input field or ``eval(...)``, output name, and its accumulator."""
from __future__ import annotations

from dataclasses import dataclass

from splengine.errors import SplSyntaxError

from ..eval import Expr
from .functions import CountRows, factory_for


@dataclass
class AggSpec:
    func: str                 # as written, e.g. "perc95"
    field: str | None         # input field, None for count / eval
    expr: Expr | None         # eval(...) input
    name: str                 # output field
    position: int

    def __post_init__(self):
        self.new = factory_for(self.func, self.position)
        if self.field is None and self.expr is None:
            if self.func.lower() not in ("count", "c"):
                raise SplSyntaxError(f"statistical function {self.func}() needs a field", self.position)
            self.new = CountRows

    def values(self, row, ctx) -> list:
        """This row's input values (a multivalue field gives each value; null gives none)."""
        if self.expr is not None:
            v = self.expr.evaluate(row, ctx)
            if type(v) is bool:
                return [v] if v else []   # count(eval(cond)) counts the rows where cond is true
        else:
            v = row.get(self.field)
        if v is None:
            return []
        return v if type(v) is list else [v]
