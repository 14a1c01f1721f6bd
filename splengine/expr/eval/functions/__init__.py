"""Eval functions, grouped as in Splunk's Search Reference ("Evaluation functions"); importing registers them."""
from . import (
    bitwise,
    comparison,
    conversion,
    cryptographic,
    datetime_fns,
    informational,
    json_fns,
    mathematical,
    multivalue,
    text,
    trig,
)

__all__ = ["bitwise", "comparison", "conversion", "cryptographic", "datetime_fns", "informational", "json_fns", "mathematical",
           "multivalue", "text", "trig"]
