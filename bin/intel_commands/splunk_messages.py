"""Messages shown in the search must survive user text with braces.

splunklib formats every message with str.format(*args), so a value such as `answers{}.Rdata` in a message
(its own "Unrecognized option"/"Illegal value" texts included) raises IndexError and kills the command.
"""


class SafeMessagesMixin:
    """Escape braces of messages that come without format arguments (all of splunklib's and ours)."""

    def write_error(self, message, *args):
        super().write_error(message if args else str(message).replace("{", "{{").replace("}", "}}"), *args)

    def write_warning(self, message, *args):
        super().write_warning(message if args else str(message).replace("{", "{{").replace("}", "}}"), *args)


FIELD_NAME_PATTERN = r"^[^\s=,|\"'\[\]()]+$"
"""Any Splunk field name usable unquoted as an option value, including spath names like `answers{}.Rdata`."""
