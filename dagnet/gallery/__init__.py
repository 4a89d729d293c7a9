"""dagnet.gallery: the article's sequence of figures, the main job (``dagnet gallery``).

===================  ================================================================
:mod:`.steps`        the article's 17 steps as data (:data:`ARTICLE`)
:mod:`.text`         the explanation under each step
:mod:`.demos`        the "What it learned" fits
:mod:`.build`        :func:`build_gallery`: every step's files
:mod:`.comparison`   step 10's 1-100-1 vs 1-11-9-1 comparison
:mod:`.mathtext`     equations rendered to SVG offline
:mod:`.page`         ``index.html`` and ``README.md``
===================  ================================================================
"""

from .build import GalleryResult, build_gallery
from .steps import ARTICLE, Step

__all__ = ["build_gallery", "GalleryResult", "ARTICLE", "Step"]
