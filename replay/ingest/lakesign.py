"""The sign file CloudTrail Lake delivers beside saved query results (`result_sign.json`): evidence integrity.

Its documented structure (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/
cloudtrail-results-file-validation-sign-file-structure.html): `files` lists each delivered result file's
`fileName` and `fileHashValue`, "the hexadecimal encoded hash value of the compressed query result file content",
under `hashAlgorithm` "SHA-256"; `hashSignature` is an RSA signature (SHA256withRSA) over those hashes.
`aws cloudtrail verify-query-results` compares each file's SHA-256 with its fileHashValue, then checks the
signature with a public key it fetches from AWS (ListPublicKeys, by queryCompleteTime and publicKeyFingerprint).
The hashes are checked here, offline; the signature needs that key online and is not checked: the output says so.
A responder is told which file was changed after delivery, is missing, or was added: the sign file itself is never
read as events.
"""
import hashlib
import os
import re

import orjson

SIGN_FILE = "result_sign.json"
_RESULT_FILE = re.compile(r"result_\d+\.csv(\.gz)?$")
_CHUNK = 1 << 20


def is_sign_file(path):
    return os.path.basename(path) == SIGN_FILE


def check(sign_path):
    """Lines for the responder about the result files `sign_path` lists beside it: each problem as a WARNING
    naming the file, then one line saying how many files matched and that the signature was not verified."""
    folder = os.path.dirname(sign_path)
    try:
        with open(sign_path, "rb") as file:
            sign = orjson.loads(file.read())
    except (OSError, orjson.JSONDecodeError) as exc:
        return [f"WARNING {sign_path}: unreadable sign file ({exc}); the query results' integrity is not checked"]
    files = sign.get("files") if isinstance(sign, dict) else None
    if not isinstance(files, list) or not all(isinstance(entry, dict) and isinstance(entry.get("fileName"), str)
                                              and isinstance(entry.get("fileHashValue"), str) for entry in files):
        return [f"WARNING {sign_path}: no files list of fileName and fileHashValue; the query results' integrity "
                "is not checked"]
    if sign.get("hashAlgorithm") != "SHA-256":
        return [f"WARNING {sign_path}: hashAlgorithm {sign.get('hashAlgorithm')!r} is not the documented SHA-256; "
                "the query results' integrity is not checked"]
    lines, matched = [], 0
    for entry in files:
        name, expected = entry["fileName"], entry["fileHashValue"].lower()
        path = os.path.join(folder, name)
        if os.path.basename(name) != name or name in ("", ".", ".."):
            lines.append(f"WARNING {sign_path}: fileName {name!r} is not a file name; not checked")
        elif not os.path.isfile(path):
            lines.append(f"WARNING {path}: listed in {SIGN_FILE} but missing: the query results are incomplete")
        else:
            try:
                digest = _sha256(path)
            except OSError as exc:
                lines.append(f"WARNING {path}: unreadable ({exc.strerror or exc}); its SHA-256 is not checked")
                continue
            if digest == expected:
                matched += 1
            else:
                lines.append(f"WARNING {path}: SHA-256 {digest} is not the sign file's fileHashValue {expected}: "
                             "the file changed after CloudTrail delivered it")
    listed = {entry["fileName"] for entry in files}
    for name in sorted(os.listdir(folder or ".")):   # readable: the sign file was just read from it
        if _RESULT_FILE.match(name) and name not in listed:
            lines.append(f"WARNING {os.path.join(folder, name)}: not listed in {SIGN_FILE}: not part of the "
                         "delivered query results")
    lines.append(f"{sign_path}: {matched} of {len(files)} listed result file(s) match their SHA-256; the RSA "
                 "signature is not verified (it needs AWS's public key online: aws cloudtrail verify-query-results)")
    return lines


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()
