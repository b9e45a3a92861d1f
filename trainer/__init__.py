"""sre-trainer: an interactive SRE interview trainer for the terminal."""

__version__ = "0.1.0"
