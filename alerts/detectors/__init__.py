"""Detectors by short name: ``spike`` (two-window ratio, ElastAlert-like) and ``cusum`` (NB CUSUM)."""

from alerts.detectors.base import REGISTRY, Detector, DetectorOptions, SpikeMatch, build_detector, register
from alerts.detectors.cusum import CusumDetector, CusumOptions
from alerts.detectors.spike import SpikeDetector, SpikeOptions

__all__ = [
    "REGISTRY", "CusumDetector", "CusumOptions", "Detector", "DetectorOptions", "SpikeDetector", "SpikeMatch",
    "SpikeOptions", "build_detector", "register",
]
