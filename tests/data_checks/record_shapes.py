"""Shape of a JSON record as its set of key paths, to compare synthetic records with the real ones they copy."""


def key_paths(obj, prefix=""):
    """Dotted key paths; list elements are merged under their parent's path."""
    out = set()
    if isinstance(obj, dict):
        for key, value in obj.items():
            out.add(prefix + key)
            out |= key_paths(value, prefix + key + ".")
    elif isinstance(obj, list):
        for value in obj:
            out |= key_paths(value, prefix)
    return out
