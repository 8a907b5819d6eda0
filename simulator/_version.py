"""outsim's version, where every layer can read it (``simulator.__version__`` re-exports it)."""

__version__ = "0.1.0"
