"""Allow ``python -m aarshjul``."""

from aarshjul.cli import main

main()
