import sys

from flowgen_core.cli import main

sys.exit(main())
