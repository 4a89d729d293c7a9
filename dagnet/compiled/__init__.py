"""dagnet.compiled: the network as fast numpy code, the third stage of the pipeline.

===================  ================================================================
:mod:`.printer`      the block-code printer: forward code from the matrix equations,
                     for both :mod:`.forward` and :mod:`.backprop`
:mod:`.forward`      :func:`compile_network` (``net.compile()``): forward code printed
                     from the matrix equations, a :class:`CompiledNetwork`
:mod:`.kernel`       the runtime: chunked rows, threads, dask arrays; the X check
:mod:`.backprop`     :func:`compile_gradient`, :func:`gradient`: the loss gradient by
                     every weight, its forward part from the same printer
:mod:`.export`       a standalone numpy module (``export(net, "f.py")``)
===================  ================================================================
"""

from .backprop import (
    CompiledGradient,
    LossGradient,
    activation_derivative,
    compile_gradient,
    gradient,
)
from .forward import CompiledNetwork, compile_network

__all__ = [
    "CompiledNetwork", "compile_network", "CompiledGradient", "LossGradient",
    "compile_gradient", "gradient", "activation_derivative",
]
