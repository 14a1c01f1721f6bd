"""What an analyst must find about the SYNTHETIC services campaign (samples/synthetic-campaign-services), taken
from its generator (tools/synth_services_campaign.py) rather than retyped: the stolen key, its IP, the day."""
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("synth_services_campaign", ROOT / "tools" / "synth_services_campaign.py")
_synth = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_synth)

ACCOUNT = _synth.ACCOUNT
_ATTACKER = _synth.ACTORS["attacker"]
PRINCIPAL = _ATTACKER["identity"]["userName"]
KEY = _ATTACKER["identity"]["accessKeyId"]
ATTACKER_IP = _ATTACKER["ip"]
DAY_START = _synth.ATTACK_START.replace(hour=0).timestamp()
DAY = {"earliest": DAY_START, "latest": DAY_START + 86400, "now": DAY_START + 86400 + 3600}
SERVICES = {"ecs", "sagemaker", "codebuild", "lambda", "batch", "eks", "lightsail", "amplify"}
WITH_MINER_EVIDENCE = {"ecs", "sagemaker", "codebuild", "batch", "lightsail", "amplify"}
