"""stratui: record child-protection strategy discussions and track their deadlines."""

__version__ = "0.1.0"
