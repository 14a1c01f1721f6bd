"""The findings step the build appends to every scheduled detection: each alert row is also recorded as a
finding in the aws_cryptomining_findings KV store collection, which the incident correlation search reads.

A detection needs no per-detection work: the entities come from the field names the detections already
share (account, user/users/changed_by, user_arn, access_key_id, instance_id/instance_ids/instance, src_ip/src_ips,
region/regions, mining_indicator/finding_type/entity, severity, est_cost_per_hour, instance_type/instance_types,
and the billed cost/actual_spend of a usage_type; see the
`aws_cryptomining_record_finding` macro), and the detection's name, default severity, risk score, MITRE ids,
MITRE tactics and one-line summary (its `rba.message`) come from its YAML here. The step runs inside
`appendpipe [... | where false()]`, so the alert's own rows are unchanged.
"""
import re

# MITRE ATT&CK (Enterprise, cloud matrix) technique -> tactics, from https://attack.mitre.org/techniques/.
# A sub-technique not listed falls back to its parent; an unknown technique is a build error naming the file.
TACTICS = {
    "T1021": ("lateral-movement",),
    "T1046": ("discovery",),
    "T1059": ("execution",),
    "T1069": ("discovery",),
    "T1071": ("command-and-control",),
    "T1078": ("defense-evasion", "persistence", "privilege-escalation", "initial-access"),
    "T1082": ("discovery",),
    "T1087": ("discovery",),
    "T1090": ("command-and-control",),
    "T1098": ("persistence", "privilege-escalation"),
    "T1105": ("command-and-control",),
    "T1110": ("credential-access",),
    "T1133": ("persistence", "initial-access"),
    "T1136": ("persistence",),
    "T1190": ("initial-access",),
    "T1204": ("execution",),
    "T1485": ("impact",),
    "T1486": ("impact",),
    "T1489": ("impact",),
    "T1490": ("impact",),
    "T1496": ("impact",),
    "T1498": ("impact",),
    "T1499": ("impact",),
    "T1525": ("persistence",),
    "T1526": ("discovery",),
    "T1528": ("credential-access",),
    "T1530": ("collection",),
    "T1531": ("impact",),
    "T1535": ("defense-evasion",),
    "T1537": ("exfiltration",),
    "T1538": ("discovery",),
    "T1552": ("credential-access",),
    "T1556": ("credential-access", "defense-evasion", "persistence"),
    "T1562": ("defense-evasion",),
    "T1571": ("command-and-control",),
    "T1578": ("defense-evasion",),
    "T1580": ("discovery",),
    "T1583": ("resource-development",),
    "T1588": ("resource-development",),
    "T1610": ("defense-evasion", "execution"),
    "T1611": ("privilege-escalation",),
    "T1612": ("defense-evasion",),
    "T1648": ("execution",),
    "T1651": ("execution",),
}


class FindingsError(ValueError):
    """A detection's YAML cannot be turned into its findings step; the message names the file."""


def tactics_of(techniques, source_name):
    """The distinct tactics of MITRE technique ids, in first-seen order."""
    out = []
    for technique in techniques:
        tactics = TACTICS.get(technique) or TACTICS.get(technique.split(".")[0])
        if tactics is None:
            raise FindingsError(f"{source_name}: MITRE technique {technique} has no tactic in appbuild/findings.py "
                                "TACTICS (add it from attack.mitre.org)")
        out.extend(t for t in tactics if t not in out)
    return out


def records_findings(spec):
    """Scheduled detections record findings; the real-time variant of one does not (its scheduled twin does,
    and a real-time search holding an outputlookup would write on every preview)."""
    return spec["kind"] == "detection" and not (spec.get("schedule") or {}).get("realtime")


def detection_name(spec):
    """The detection's short name: its YAML stem, as in the allowlist."""
    return spec["_source"].stem.removesuffix("_realtime")


def _spl_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_TOKEN = re.compile(r"\$([A-Za-z_][A-Za-z0-9_.]*)\$")


def summary_expression(message):
    """An eval expression rendering an rba message: `$field$` becomes the field's values joined by ", "
    ("?" when absent), the rest is literal text."""
    parts = []
    pos = 0
    for match in _TOKEN.finditer(message):
        if match.start() > pos:
            parts.append(_spl_string(message[pos:match.start()]))
        parts.append(f"coalesce(mvjoin('{match.group(1)}', \", \"), \"?\")")
        pos = match.end()
    if pos < len(message):
        parts.append(_spl_string(message[pos:]))
    return " . ".join(parts) if parts else '""'


def findings_step(spec):
    """The SPL appended to a detection's search, or "" for a search that records no findings."""
    if not records_findings(spec):
        return ""
    source = spec["_source"].name
    techniques = spec["annotations"]["mitre_attack"]
    tactics = tactics_of(techniques, source)
    risk_score = max(obj["score"] for obj in spec["rba"]["risk_objects"])
    summary = summary_expression(" ".join(spec["rba"]["message"].split()))
    args = ", ".join([detection_name(spec), spec["alert"]["severity"], str(risk_score),
                      _spl_string(" ".join(dict.fromkeys(techniques))), _spl_string(" ".join(tactics))])
    return (f"| appendpipe [eval finding_summary={summary} "
            f"| `aws_cryptomining_record_finding({args})`]")
