"""VPC Flow Logs text records -> the search-time fields of the Splunk Add-on for AWS.

The Add-on's `aws:cloudwatchlogs:vpcflow` extraction (props.conf EXTRACT-all) names the default
(version 2) fields version, account_id, interface_id, src_ip, dest_ip, src_port, dest_port,
protocol_code, packets, bytes, start_time, end_time, vpcflow_action, log_status. Fields of custom
formats (versions 3-5) keep their AWS name with `-` turned into `_` (vpc_id, pkt_srcaddr,
flow_direction, ...), as the Add-on's custom-format extraction does. Values stay strings, `-`
included, exactly as a regex extraction leaves them.
"""
import re

# AWS "Available fields" order (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html):
# version 2 default format, then the fields added by versions 3, 4 and 5.
V2_FIELDS = ("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes "
             "start end action log-status").split()
V3_FIELDS = "vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr".split()
V4_FIELDS = "region az-id sublocation-type sublocation-id".split()
V5_FIELDS = "pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path".split()
KNOWN_FIELDS = frozenset(V2_FIELDS + V3_FIELDS + V4_FIELDS + V5_FIELDS)
# Without a header line, a record is read in the documented order cut at a version boundary.
HEADERLESS_FORMATS = {
    len(V2_FIELDS): tuple(V2_FIELDS),
    len(V2_FIELDS + V3_FIELDS): tuple(V2_FIELDS + V3_FIELDS),
    len(V2_FIELDS + V3_FIELDS + V4_FIELDS): tuple(V2_FIELDS + V3_FIELDS + V4_FIELDS),
    len(V2_FIELDS + V3_FIELDS + V4_FIELDS + V5_FIELDS): tuple(V2_FIELDS + V3_FIELDS + V4_FIELDS + V5_FIELDS),
}
ADDON_NAMES = {
    "account-id": "account_id", "interface-id": "interface_id", "srcaddr": "src_ip", "dstaddr": "dest_ip",
    "srcport": "src_port", "dstport": "dest_port", "protocol": "protocol_code", "start": "start_time",
    "end": "end_time", "action": "vpcflow_action", "log-status": "log_status",
}
_RECORD = re.compile(r"^\d+\s+\S+\s+\S+")


class FlowFormatError(ValueError):
    """A flow record that no known or declared format fits."""


def parse_format(text):
    """A format from a header line or a `${field} ...` / `field field ...` string."""
    names = tuple(token.strip("${}") for token in text.split())
    unknown = [name for name in names if name not in KNOWN_FIELDS]
    if unknown:
        raise FlowFormatError(f"unknown flow-log field(s) {', '.join(unknown)} in format {text!r}")
    if "start" not in names:
        raise FlowFormatError(f"flow-log format has no 'start' field (needed for _time): {text!r}")
    return names


def is_header(text):
    return text.split(None, 1)[0] == "version" if text.strip() else False


def looks_like_record(text):
    return bool(_RECORD.match(text))


def extract(text, fmt=None):
    """Fields of one record as the Add-on extracts them; raises FlowFormatError."""
    values = text.split()
    if fmt is None:
        fmt = HEADERLESS_FORMATS.get(len(values))
        if fmt is None:
            raise FlowFormatError(
                f"{len(values)} fields and no header line: not a default format "
                f"(14, 21, 25 or 29 fields); give the format with --vpcflow-format")
    elif len(values) != len(fmt):
        raise FlowFormatError(f"{len(values)} fields but the format has {len(fmt)}")
    return {ADDON_NAMES.get(name, name.replace("-", "_")): value for name, value in zip(fmt, values)}


def start_time(fields):
    value = fields.get("start_time")
    if value is None or not value.isdigit():
        raise FlowFormatError(f"'start' is not epoch seconds: {value!r}")
    return int(value)
