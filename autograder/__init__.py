"""autograder: grade JAX exercises by what JAX traced, not only by the values that came out.

Every public helper is importable from here, for example::

    from autograder import assert_close, assert_no_key_reuse
"""
from .compare import *  # noqa: F401,F403
from .detectors.calls import *  # noqa: F401,F403
from .detectors.checkpoint import *  # noqa: F401,F403
from .detectors.compile_once import *  # noqa: F401,F403
from .detectors.compiles import *  # noqa: F401,F403
from .detectors.differentiable import *  # noqa: F401,F403
from .detectors.donation import *  # noqa: F401,F403
from .detectors.dtypes import *  # noqa: F401,F403
from .detectors.jit_scope import *  # noqa: F401,F403
from .detectors.key_reuse import *  # noqa: F401,F403
from .detectors.key_split import *  # noqa: F401,F403
from .detectors.passes import *  # noqa: F401,F403
from .detectors.loops import *  # noqa: F401,F403
from .detectors.memory import *  # noqa: F401,F403
from .detectors.primitives import *  # noqa: F401,F403
from .detectors.pytrees import *  # noqa: F401,F403
from .detectors.side_effects import *  # noqa: F401,F403
from .detectors.timing import *  # noqa: F401,F403
from .detectors.traceable import *  # noqa: F401,F403
from .detectors.transforms import *  # noqa: F401,F403
from .detectors.transfers import *  # noqa: F401,F403
from .detectors.updates import *  # noqa: F401,F403
from .detectors.vectorize import *  # noqa: F401,F403
from .findings import AntiPatternError, Finding, raise_findings  # noqa: F401
from .selfcheck import check  # noqa: F401
from .source import Location, location_of  # noqa: F401
from .trace import trace  # noqa: F401
from .walk import count_eqns, iter_eqns, primitive_name, sub_jaxprs  # noqa: F401
from .notebook import count_exported_checks

count_exported_checks(globals())  # in a notebook: a pass line per cell, failures that read well

__version__ = "0.1.0"
