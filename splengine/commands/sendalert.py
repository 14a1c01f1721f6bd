"""sendalert: invoke a custom alert action from a search.

Syntax (search reference): sendalert <alert_action_name> [results_link=<url>] [results_path=<path>]
[param.<name>=<"value">...]. In Splunk the command hands the results to the action's script with a payload
that carries splunkd's session key; offline there is no splunkd, so the engine never runs the script: it
checks the action exists in the app's alert_actions.conf, records the invocation (action, parameters,
number of results) in the run's ``SearchContext.sent_alerts``, which ``Engine.search`` returns with the rows
(``Results.sent_alerts``) for the caller to report, and passes the results on unchanged.
https://help.splunk.com/en/splunk-enterprise/spl-search-reference/9.3/search-commands/sendalert
"""
from __future__ import annotations

from ..args import ArgList
from ..tokenizer import WORD
from .base import Command, register

_OPTIONS = ("results_link", "results_path")


@register("sendalert")
class SendalertCommand(Command):
    keeps_columns = True

    def __init__(self, action: str, options: dict, params: dict):
        self.action, self.options, self.params = action, options, params

    @classmethod
    def parse(cls, args: ArgList, ctx) -> SendalertCommand:
        name = args.peek()
        if name is None or name.kind != WORD or args.is_option():
            raise args.error("expected the alert action name")
        args.next()
        found = {}
        while not args.at_end():
            if not args.is_option():
                raise args.error(f"unexpected argument '{args.text[args.peek().pos:args.peek().end]}'", args.peek())
            key_tok = args.peek()
            key = key_tok.value
            if key not in _OPTIONS and not (key.startswith("param.") and len(key) > len("param.")):
                raise args.unsupported(f"unsupported option '{key}' (results_link, results_path, param.<name>)",
                                       key_tok)
            found[key] = args.tokens[args.index + 2].value
            args.index += 3
        if name.value not in ctx.conf("alert_actions.conf"):
            raise args.error(f"alert action '{name.value}' is not defined in alert_actions.conf", name)
        options = {k: v for k, v in found.items() if k in _OPTIONS}
        params = {k[len("param."):]: v for k, v in found.items() if k.startswith("param.")}
        return cls(name.value, options, params)

    def execute(self, rows, ctx):
        rows = list(rows)
        ctx.sent_alerts.append({"action": self.action, "params": dict(self.params), "options": dict(self.options),
                                    "results": len(rows), "now": ctx.now})
        yield from rows
