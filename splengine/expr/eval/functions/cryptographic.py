"""Cryptographic functions: md5, sha1, sha256, sha512 (hex digests of the UTF-8 string).

https://help.splunk.com/en/splunk-enterprise/spl-search-reference/9.4/evaluation-functions/cryptographic-functions
"""
from __future__ import annotations

import hashlib

from splengine.values import to_str

from ..registry import scalar


def _hasher(algorithm):
    def fn(value):
        if value is None or type(value) is list:
            return None
        return hashlib.new(algorithm, to_str(value).encode("utf-8")).hexdigest()
    return fn


for _name in ("md5", "sha1", "sha256", "sha512"):
    scalar(_name, min_args=1, max_args=1)(_hasher(_name))
