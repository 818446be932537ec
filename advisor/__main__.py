"""`python -m advisor` runs the same entry point as `dvm-advisor`."""

import sys

from advisor.cli import main

sys.exit(main())
