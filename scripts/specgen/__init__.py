"""Generation steps of scripts/regenerate.py that follow preparation (specprep).

* :mod:`specgen.shapes`: the typed wire shapes of a prepared spec (``shapes.py``);
* :mod:`specgen.report`: what changed in a vendor's API between two prepared specs.
"""

from .errors import UnsupportedConstruct
from .shapes import ShapeWriter, render_shapes

__all__ = ["ShapeWriter", "UnsupportedConstruct", "render_shapes"]
