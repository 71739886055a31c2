__version__ = "2026.11.0"
"""The rules version, recorded with every saved result: bump it whenever a rule or parameter changes."""
