"""``python -m jupylabel`` is the ``jupylabel`` command."""

from .cli import main

raise SystemExit(main())
