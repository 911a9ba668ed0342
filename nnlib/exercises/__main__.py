"""``python -m nnlib.exercises [--require-all]``: print the progress table of the learner's package.

See :func:`nnlib.exercises.summary.main`.
"""

import sys

from .summary import main

sys.exit(main())
