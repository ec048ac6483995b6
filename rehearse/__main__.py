"""Allow `python -m rehearse`."""

from rehearse.cli import main

# Guarded so that a process started by multiprocessing (rehearse.batch) does not run the CLI again.
if __name__ == "__main__":
    main()
