"""splengine.conf: the development side's one .conf reader and boolean parser (used by the engine, the replay
and the build)."""
import pytest

from splengine import run_search
from splengine.conf import conf_bool, parse_conf, with_defaults


@pytest.mark.parametrize("text,value", [
    ("1", True), ("true", True), (" T ", True), ("Yes", True), ("y", True), ("on", True),
    ("0", False), ("FALSE", False), ("f", False), ("no", False), ("N", False), ("off", False),
    ("2", None), ("", None), ("enabled", None),
])
def test_conf_bool_reads_splunk_boolean_words(text, value):
    assert conf_bool(text) is value


def test_settings_before_a_stanza_and_semicolons_stay():
    """Splunk puts settings before the first stanza in [default] and has no inline comments: a library such as
    TABConfigParser drops the former and cuts "a ; b" (the reasons for this reader)."""
    stanzas = parse_conf("owner = admin\n[s]\nsearch = a ; b : c % d\n[default]\nlevel = 1\n")
    assert stanzas["default"] == {"owner": "admin", "level": "1"}
    assert with_defaults(stanzas) == {"s": {"owner": "admin", "level": "1", "search": "a ; b : c % d"}}


def test_command_boolean_options_share_the_words():
    rows = run_search("| makeresults count=3 | streamstats current=off count")
    assert [r["count"] for r in rows] == [0, 1, 2]
    with pytest.raises(Exception, match="Invalid boolean value 'maybe' for streamstats option current"):
        run_search("| makeresults | streamstats current=maybe count")
