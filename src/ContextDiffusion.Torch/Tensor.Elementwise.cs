using ContextDiffusion.Torch.Native;

namespace ContextDiffusion.Torch;

// Elementwise math with broadcasting, and the C# operators over it.
public sealed partial class Tensor
{
    private Tensor Unary(UnaryOp op) => Wrap(LibTorch.cdt_unary(Handle, op), $"{op}", this);

    private Tensor Binary(Tensor other, BinaryOp op) =>
        Wrap(LibTorch.cdt_binary(Handle, other.Handle, op), $"{op}", this, other);

    private Tensor Binary(double value, bool isInteger, BinaryOp op, bool scalarFirst = false) =>
        Wrap(LibTorch.cdt_binary_scalar(Handle, value, isInteger ? 1 : 0, op, scalarFirst ? 1 : 0), $"{op}", this);

    public Tensor Neg() => Unary(UnaryOp.Neg);
    public Tensor Exp() => Unary(UnaryOp.Exp);
    public Tensor Log() => Unary(UnaryOp.Log);
    public Tensor Sqrt() => Unary(UnaryOp.Sqrt);
    public Tensor Rsqrt() => Unary(UnaryOp.Rsqrt);
    public Tensor Abs() => Unary(UnaryOp.Abs);
    public Tensor Sin() => Unary(UnaryOp.Sin);
    public Tensor Cos() => Unary(UnaryOp.Cos);
    public Tensor Tanh() => Unary(UnaryOp.Tanh);
    public Tensor Sigmoid() => Unary(UnaryOp.Sigmoid);
    public Tensor Relu() => Unary(UnaryOp.Relu);
    public Tensor Silu() => Unary(UnaryOp.Silu);
    /// <summary>GELU; <paramref name="tanhApproximation"/> selects PyTorch's approximate="tanh".</summary>
    public Tensor Gelu(bool tanhApproximation = false) => Unary(tanhApproximation ? UnaryOp.GeluTanh : UnaryOp.Gelu);
    public Tensor Square() => Unary(UnaryOp.Square);
    public Tensor Floor() => Unary(UnaryOp.Floor);
    public Tensor Ceil() => Unary(UnaryOp.Ceil);
    public Tensor Round() => Unary(UnaryOp.Round);
    public Tensor Sign() => Unary(UnaryOp.Sign);
    public Tensor LogicalNot() => Unary(UnaryOp.LogicalNot);
    public Tensor Erf() => Unary(UnaryOp.Erf);
    public Tensor Reciprocal() => Unary(UnaryOp.Reciprocal);
    public Tensor IsNan() => Unary(UnaryOp.IsNan);
    public Tensor IsFinite() => Unary(UnaryOp.IsFinite);

    public Tensor Add(Tensor other) => Binary(other, BinaryOp.Add);
    public Tensor Sub(Tensor other) => Binary(other, BinaryOp.Sub);
    public Tensor Mul(Tensor other) => Binary(other, BinaryOp.Mul);
    public Tensor Div(Tensor other) => Binary(other, BinaryOp.Div);
    public Tensor Pow(Tensor exponent) => Binary(exponent, BinaryOp.Pow);
    public Tensor Pow(double exponent) => Binary(exponent, false, BinaryOp.Pow);
    public Tensor Maximum(Tensor other) => Binary(other, BinaryOp.Maximum);
    public Tensor Minimum(Tensor other) => Binary(other, BinaryOp.Minimum);
    public Tensor Remainder(Tensor other) => Binary(other, BinaryOp.Remainder);
    public Tensor LogicalAnd(Tensor other) => Binary(other, BinaryOp.LogicalAnd);
    public Tensor LogicalOr(Tensor other) => Binary(other, BinaryOp.LogicalOr);

    // Comparisons return Bool tensors. They are methods, not operators, so that == keeps its
    // reference meaning for tensors.
    public Tensor Eq(Tensor other) => Binary(other, BinaryOp.Eq);
    public Tensor Ne(Tensor other) => Binary(other, BinaryOp.Ne);
    public Tensor Lt(Tensor other) => Binary(other, BinaryOp.Lt);
    public Tensor Le(Tensor other) => Binary(other, BinaryOp.Le);
    public Tensor Gt(Tensor other) => Binary(other, BinaryOp.Gt);
    public Tensor Ge(Tensor other) => Binary(other, BinaryOp.Ge);
    public Tensor Eq(double value) => Binary(value, false, BinaryOp.Eq);
    public Tensor Lt(double value) => Binary(value, false, BinaryOp.Lt);
    public Tensor Le(double value) => Binary(value, false, BinaryOp.Le);
    public Tensor Gt(double value) => Binary(value, false, BinaryOp.Gt);
    public Tensor Ge(double value) => Binary(value, false, BinaryOp.Ge);

    public Tensor MatMul(Tensor other) => Wrap(LibTorch.cdt_matmul(Handle, other.Handle), "matmul", this, other);

    /// <summary>Limits every element to [min, max]; a null bound leaves that side open.</summary>
    public Tensor Clamp(double? min = null, double? max = null) =>
        Wrap(LibTorch.cdt_clamp(Handle, min ?? 0, min.HasValue ? 1 : 0, max ?? 0, max.HasValue ? 1 : 0), $"clamp({min}, {max})", this);

    /// <summary>Limits elements to broadcast tensor bounds; a null bound leaves that side open.</summary>
    public Tensor Clamp(Tensor? min, Tensor? max) =>
        Check(LibTorch.cdt_clamp_tensor(Handle, min?.Handle ?? IntPtr.Zero, max?.Handle ?? IntPtr.Zero), "clamp", $"{ShapesText([this, min, max])}");

    /// <summary>this + weight * (end - this).</summary>
    public Tensor Lerp(Tensor end, double weight) => Wrap(LibTorch.cdt_lerp_scalar(Handle, end.Handle, weight), "lerp", this, end);

    public Tensor Lerp(Tensor end, Tensor weight) =>
        Check(LibTorch.cdt_lerp(Handle, end.Handle, weight.Handle), "lerp", $"{ShapesText([this, end, weight])}");

    public static Tensor operator -(Tensor a) => a.Neg();
    public static Tensor operator +(Tensor a, Tensor b) => a.Binary(b, BinaryOp.Add);
    public static Tensor operator -(Tensor a, Tensor b) => a.Binary(b, BinaryOp.Sub);
    public static Tensor operator *(Tensor a, Tensor b) => a.Binary(b, BinaryOp.Mul);
    public static Tensor operator /(Tensor a, Tensor b) => a.Binary(b, BinaryOp.Div);

    // An integer scalar keeps an integer tensor integer; a double one promotes it (as in PyTorch).
    public static Tensor operator +(Tensor a, double b) => a.Binary(b, false, BinaryOp.Add);
    public static Tensor operator -(Tensor a, double b) => a.Binary(b, false, BinaryOp.Sub);
    public static Tensor operator *(Tensor a, double b) => a.Binary(b, false, BinaryOp.Mul);
    public static Tensor operator /(Tensor a, double b) => a.Binary(b, false, BinaryOp.Div);
    public static Tensor operator +(double a, Tensor b) => b.Binary(a, false, BinaryOp.Add, scalarFirst: true);
    public static Tensor operator -(double a, Tensor b) => b.Binary(a, false, BinaryOp.Sub, scalarFirst: true);
    public static Tensor operator *(double a, Tensor b) => b.Binary(a, false, BinaryOp.Mul, scalarFirst: true);
    public static Tensor operator /(double a, Tensor b) => b.Binary(a, false, BinaryOp.Div, scalarFirst: true);
    public static Tensor operator +(Tensor a, long b) => a.Binary(b, true, BinaryOp.Add);
    public static Tensor operator -(Tensor a, long b) => a.Binary(b, true, BinaryOp.Sub);
    public static Tensor operator *(Tensor a, long b) => a.Binary(b, true, BinaryOp.Mul);
    public static Tensor operator /(Tensor a, long b) => a.Binary(b, true, BinaryOp.Div);
    public static Tensor operator +(long a, Tensor b) => b.Binary(a, true, BinaryOp.Add, scalarFirst: true);
    public static Tensor operator -(long a, Tensor b) => b.Binary(a, true, BinaryOp.Sub, scalarFirst: true);
    public static Tensor operator *(long a, Tensor b) => b.Binary(a, true, BinaryOp.Mul, scalarFirst: true);
    public static Tensor operator /(long a, Tensor b) => b.Binary(a, true, BinaryOp.Div, scalarFirst: true);

    // In place, outside autograd's usual use: optimizers, EMA, accumulators. Return this for chaining.
    public Tensor AddInPlace(Tensor other) { CheckStatus(LibTorch.cdt_binary_(Handle, other.Handle, BinaryOp.Add), "add_", this, other); return this; }
    public Tensor SubInPlace(Tensor other) { CheckStatus(LibTorch.cdt_binary_(Handle, other.Handle, BinaryOp.Sub), "sub_", this, other); return this; }
    public Tensor MulInPlace(Tensor other) { CheckStatus(LibTorch.cdt_binary_(Handle, other.Handle, BinaryOp.Mul), "mul_", this, other); return this; }
    public Tensor DivInPlace(Tensor other) { CheckStatus(LibTorch.cdt_binary_(Handle, other.Handle, BinaryOp.Div), "div_", this, other); return this; }
    public Tensor AddInPlace(double value) { CheckStatus(LibTorch.cdt_binary_scalar_(Handle, value, 0, BinaryOp.Add), "add_", this); return this; }
    public Tensor MulInPlace(double value) { CheckStatus(LibTorch.cdt_binary_scalar_(Handle, value, 0, BinaryOp.Mul), "mul_", this); return this; }
    public Tensor DivInPlace(double value) { CheckStatus(LibTorch.cdt_binary_scalar_(Handle, value, 0, BinaryOp.Div), "div_", this); return this; }

    /// <summary>this += weight * (end - this): moving averages (EMA weights, Adam's first moment).</summary>
    public Tensor LerpInPlace(Tensor end, double weight) { CheckStatus(LibTorch.cdt_lerp_(Handle, end.Handle, weight), "lerp_", this, end); return this; }

    /// <summary>this += value * t1 * t2 (Adam's second moment).</summary>
    public Tensor AddcmulInPlace(Tensor t1, Tensor t2, double value = 1)
    {
        CheckStatus(LibTorch.cdt_addcmul_(Handle, t1.Handle, t2.Handle, value), "addcmul_", [this, t1, t2]);
        return this;
    }

    /// <summary>this += value * t1 / t2 (Adam's update).</summary>
    public Tensor AddcdivInPlace(Tensor t1, Tensor t2, double value = 1)
    {
        CheckStatus(LibTorch.cdt_addcdiv_(Handle, t1.Handle, t2.Handle, value), "addcdiv_", [this, t1, t2]);
        return this;
    }

    public Tensor FillInPlace(double value) { CheckStatus(LibTorch.cdt_fill_(Handle, value), "fill_", this); return this; }

    public Tensor ZeroInPlace() => FillInPlace(0);
}
