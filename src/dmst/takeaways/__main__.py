"""`python -m dmst.takeaways`: what `make handouts` runs."""
import sys

from .build import main

sys.exit(main())
