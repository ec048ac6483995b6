"""Allow `python -m rehearse`."""

from rehearse.cli import main

main()
