namespace ContextDiffusion.Torch.Native;

// These codes mirror the enums in src/native/cdtorch (elementwise.cpp, reduce.cpp): same order.

internal enum UnaryOp
{
    Neg, Exp, Log, Sqrt, Rsqrt, Abs, Sin, Cos, Tanh, Sigmoid,
    Relu, Silu, Gelu, GeluTanh, Square, Floor, Ceil, Round, Sign, LogicalNot,
    Erf, Reciprocal, IsNan, IsFinite,
}

internal enum BinaryOp
{
    Add, Sub, Mul, Div, Pow, Maximum, Minimum, Eq, Ne, Lt,
    Le, Gt, Ge, LogicalAnd, LogicalOr, Remainder,
}

internal enum ReduceOp { Sum, Mean, Amax, Amin, LogSumExp, All, Any }
