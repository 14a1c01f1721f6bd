"""The incident tests share the detection tests' cached replays (same `detection_scenarios` module)."""
import sys
from pathlib import Path

DETECTIONS = str(Path(__file__).resolve().parents[1] / "detections")
if DETECTIONS not in sys.path:
    sys.path.insert(0, DETECTIONS)
