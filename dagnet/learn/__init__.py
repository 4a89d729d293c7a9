"""dagnet.learn: fitting a network's weights to data.

===================  ================================================================
:mod:`.fit`          :func:`fit` (gradient descent on a Network), :func:`fit_csv`
:mod:`.optimizers`   SGD and Adam
:mod:`.scaling`      input normalization, folded back into the weights
===================  ================================================================
"""

from .optimizers import make_optimizer, optimizer_names
from .scaling import InputScaling
from .training import History, fit, fit_csv

__all__ = ["fit", "fit_csv", "History", "make_optimizer", "optimizer_names", "InputScaling"]
