import sys

from .preload import run_preloaded

# `check` and `build` go to a preloaded server when one runs (generator/preload.py); else, and for
# every other command, the command line runs here.
status = run_preloaded(sys.argv[1:])
if status is None:
    from .cli import main

    main()
sys.exit(status)
