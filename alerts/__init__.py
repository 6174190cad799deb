"""From complaint spikes to cases: detectors, clusters across neighbouring places, the case lifecycle, routing,
delivery and the daily report."""
