"""resilience: the monthly GP practice risk-share review and GPRP allocation."""

__version__ = "0.1.0"
