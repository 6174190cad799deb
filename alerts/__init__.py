"""From complaint spikes to cases: detectors, the case lifecycle, routing, delivery and the daily report."""
