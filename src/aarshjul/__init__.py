"""aarshjul: an annual-cycle (*årshjul*) engine for public administrations.

Importing the package reads no environment, opens no database and imports no Prefect.
"""

__version__ = "0.1.0"
