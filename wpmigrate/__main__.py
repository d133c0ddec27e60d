"""``python -m wpmigrate``: the same as the ``wpmigrate`` command."""

from .cli import main

main()
