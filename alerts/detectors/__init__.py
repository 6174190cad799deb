"""Detectors by short name: ``outbreak`` (the default: seasonal NB scan with a false-alarm budget), ``spike``
(two-window ratio, ElastAlert-like) and ``cusum`` (NB CUSUM)."""

from alerts.detectors.base import (
    REGISTRY,
    Detector,
    DetectorOptions,
    SpikeMatch,
    build_detector,
    detectors_from_config,
    register,
)
from alerts.detectors.cusum import CusumDetector, CusumOptions
from alerts.detectors.outbreak import OutbreakDetector, OutbreakOptions
from alerts.detectors.spike import SpikeDetector, SpikeOptions

__all__ = [
    "REGISTRY", "CusumDetector", "CusumOptions", "Detector", "DetectorOptions", "OutbreakDetector",
    "OutbreakOptions", "SpikeDetector", "SpikeMatch", "SpikeOptions", "build_detector", "detectors_from_config",
    "register",
]
