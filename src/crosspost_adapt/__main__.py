"""``python -m crosspost_adapt``: the command line (see :mod:`crosspost_adapt.cli`)."""

from crosspost_adapt.cli import run

if __name__ == "__main__":
    run()
