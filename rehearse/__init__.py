"""rehearse: time the STAR phases of a spoken interview answer, locally."""

__version__ = "0.1.0"
