"""The package version, in a module of its own so that parts below the package root (the server
reports it) need not import the root, which imports ``Project``."""

__version__ = "0.1.0"
