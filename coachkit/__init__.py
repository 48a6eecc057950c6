"""coachkit: widget-driven coaching worksheets, served by Voila, saved per client."""

__version__ = "0.1.0"
