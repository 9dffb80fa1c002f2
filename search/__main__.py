"""`python -m search` runs the command line."""

import sys

from search.cli import main

sys.exit(main())
