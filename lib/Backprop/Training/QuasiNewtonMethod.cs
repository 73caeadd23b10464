namespace Backprop;

/// <summary>Which quasi-Newton method <see cref="QuasiNewton"/> uses.</summary>
public enum QuasiNewtonMethod
{
    /// <summary>BFGS up to <see cref="QuasiNewton.BfgsParameterLimit"/> parameters, L-BFGS above.</summary>
    Automatic,

    /// <summary>BFGS: a dense |W| × |W| approximation of the inverse Hessian (|W|² doubles of memory).</summary>
    Bfgs,

    /// <summary>L-BFGS: the inverse Hessian implied by the last <see cref="QuasiNewton.Memory"/> steps (memory linear in |W|).</summary>
    LimitedMemoryBfgs,
}
