using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Torch.Tests.NN;

public class ModuleTests
{
    // A module with a parameter, a buffer and a child, to see how each is named, ordered and converted.
    private sealed class Counter : Module<Tensor, Tensor>
    {
        public Counter()
        {
            Scale = RegisterParameter("scale", () => Tensor.Ones([3]));
            Steps = RegisterBuffer("steps", () => Tensor.Zeros([1], DType.Int64));
            Stats = RegisterBuffer("stats", () => Tensor.Zeros([3]));
            Head = RegisterModule("head", new Linear(3, 2));
        }

        public Tensor Scale { get; }
        public Tensor Steps { get; }
        public Tensor Stats { get; }
        public Linear Head { get; }

        public override Tensor Forward(Tensor input)
        {
            using var scope = DisposeScope.Enter();
            return scope.MoveToOuter(Head.Forward(input * Scale));
        }
    }

    [Fact]
    public void Names_follow_pytorch_paths_and_order()
    {
        using var model = new Sequential(new Counter(), new SiLU(), new Linear(2, 2, bias: false));
        Assert.Equal(["0.scale", "0.head.weight", "0.head.bias", "2.weight"], model.NamedParameters().Select(p => p.Name));
        Assert.Equal(["0.steps", "0.stats"], model.NamedBuffers().Select(b => b.Name));
        Assert.Equal(["0.scale", "0.steps", "0.stats", "0.head.weight", "0.head.bias", "2.weight"], model.StateDict().Keys);
        Assert.Equal(["", "0", "0.head", "1", "2"], model.NamedModules().Select(m => m.Name));
        Assert.Equal(3 + 3 * 2 + 2 + 2 * 2, model.ParameterCount);
    }

    [Fact]
    public void Module_list_names_its_items_by_index()
    {
        using var list = new ModuleList<Linear>(new Linear(2, 2));
        list.Add(new Linear(2, 3));
        Assert.Equal(2, list.Count);
        Assert.Equal(3, list[1].OutFeatures);
        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias"], list.StateDict().Keys);
    }

    [Fact]
    public void Multihead_attention_parameter_names_and_shapes()
    {
        using var attention = new MultiheadAttention(8, 2, kvDim: 6);
        var shapes = attention.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Shape);
        Assert.Equal(["q_proj.weight", "q_proj.bias", "k_proj.weight", "k_proj.bias", "v_proj.weight", "v_proj.bias", "out_proj.weight", "out_proj.bias"],
            shapes.Keys);
        Assert.Equal([8L, 6], shapes["k_proj.weight"]);
        Assert.Equal([8L, 8], shapes["out_proj.weight"]);
        Assert.Equal(0, attention.KProj.Bias!.Abs().Sum().Item());
    }

    [Fact]
    public void Names_must_be_unique_and_undotted()
    {
        var error = Assert.Throws<ArgumentException>(() => new BadNames("weight"));
        Assert.Contains("already registered", error.Message);
        Assert.Throws<ArgumentException>(() => new BadNames("a.b"));
        Assert.Throws<ArgumentException>(() => new BadNames(""));
    }

    private sealed class BadNames : Module
    {
        public BadNames(string second)
        {
            RegisterParameter("weight", () => Tensor.Zeros([1]));
            RegisterModule(second, new Identity());
        }
    }

    [Fact]
    public void Parameters_outlive_the_scope_they_were_built_in_and_die_with_the_module()
    {
        Finalizers.Flush();
        var before = Tensor.LiveCount;
        Linear layer;
        using (DisposeScope.Enter())
        {
            layer = new Linear(4, 3);
            using var output = layer.Forward(Tensor.Ones([2, 4]));
        }
        Assert.False(layer.Weight.IsDisposed);
        Assert.True(layer.Weight.RequiresGrad);
        Assert.Equal(before + 2, Tensor.LiveCount);
        layer.Dispose();
        Assert.True(layer.Weight.IsDisposed);
        Assert.Equal(before, Tensor.LiveCount);
    }

    [Fact]
    public void Load_state_dict_copies_in_place_without_autograd()
    {
        using var source = new Counter();
        using var target = new Counter();
        using var scope = DisposeScope.Enter();
        using (Torch.NoGrad())
        {
            source.Scale.MulInPlace(3);
            source.Steps.AddInPlace(Tensor.Scalar(7L));
        }
        var weight = target.Head.Weight;
        // Float64 values are converted to each tensor's dtype.
        var state = source.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.DType == DType.Float32 ? kv.Value.To(DType.Float64) : kv.Value);
        target.LoadStateDict(state);

        Assert.Same(weight, target.Head.Weight);
        Assert.Equal(DType.Float32, weight.DType);
        Assert.True(weight.RequiresGrad);
        Assert.Equal(source.Head.Weight.ToArray<float>(), weight.ToArray<float>());
        Assert.Equal([3f, 3, 3], target.Scale.ToArray<float>());
        Assert.Equal([7L], target.Steps.ToArray<long>());
        target.Forward(Tensor.Ones([1, 3])).Sum().Backward();
        Assert.NotNull(weight.Grad);
    }

    [Fact]
    public void Strict_load_lists_every_missing_unexpected_and_mismatched_key_and_copies_nothing()
    {
        using var model = new Counter();
        using var scope = DisposeScope.Enter();
        var original = model.Head.Weight.ToArray<float>();
        var state = new Dictionary<string, Tensor>
        {
            ["scale"] = Tensor.Zeros([4]),
            ["head.weight"] = Tensor.Zeros([2, 3]),
            ["head.bias"] = Tensor.Zeros([3]),
            ["tail.weight"] = Tensor.Zeros([1]),
            ["extra"] = Tensor.Zeros([1]),
        };

        var error = Assert.Throws<StateDictException>(() => model.LoadStateDict(state));
        Assert.Equal(["steps", "stats"], error.MissingKeys);
        Assert.Equal(["tail.weight", "extra"], error.UnexpectedKeys);
        Assert.Equal(["scale: [4] given, [3] expected", "head.bias: [3] given, [2] expected"], error.ShapeMismatches);
        foreach (var key in new[] { "steps", "stats", "tail.weight", "extra", "scale: [4]", "head.bias: [3]" })
            Assert.Contains(key, error.Message);
        Assert.Equal(original, model.Head.Weight.ToArray<float>());

        // Shapes must match even when not strict.
        Assert.Throws<StateDictException>(() => model.LoadStateDict(state, strict: false));
    }

    [Fact]
    public void Non_strict_load_loads_what_matches_and_reports_the_rest()
    {
        using var model = new Counter();
        using var scope = DisposeScope.Enter();
        var state = new Dictionary<string, Tensor> { ["head.bias"] = Tensor.Full([2], 5), ["extra"] = Tensor.Zeros([1]) };
        var (missing, unexpected) = model.LoadStateDict(state, strict: false);
        Assert.Equal(["scale", "steps", "stats", "head.weight"], missing);
        Assert.Equal(["extra"], unexpected);
        Assert.Equal([5f, 5], model.Head.Bias!.ToArray<float>());
    }

    [Fact]
    public void To_dtype_round_trips_in_place_keeping_parameters_and_integer_buffers()
    {
        using var model = new Counter();
        using var scope = DisposeScope.Enter();
        var weight = model.Head.Weight;
        var values = weight.ToArray<float>();
        model.Forward(Tensor.Ones([1, 3])).Sum().Backward();

        model.To(DType.Float64);
        Assert.Same(weight, model.Head.Weight);
        Assert.Equal(DType.Float64, weight.DType);
        Assert.Equal(DType.Float64, weight.Grad!.DType);
        Assert.True(weight.RequiresGrad);
        Assert.Equal(DType.Float64, model.Stats.DType);
        Assert.Equal(DType.Int64, model.Steps.DType);
        Assert.Equal(DType.Float64, model.Forward(Tensor.Ones([1, 3], DType.Float64)).DType);

        model.To(DType.Float32);
        Assert.Equal(values, weight.ToArray<float>());
        Assert.True(weight.RequiresGrad);
        Assert.Equal(DType.Float32, weight.Grad!.DType);
        model.To(Device.Cpu);
        Assert.Throws<ArgumentException>(() => model.To(DType.Int32));
    }

    [Fact]
    public void Eval_disables_dropout_recursively_and_train_restores_it()
    {
        using var model = new Sequential(new Identity(), new Sequential(new Dropout(0.5)));
        using var scope = DisposeScope.Enter();
        var x = Tensor.Ones([1000]);
        Assert.True(model.Training);
        Assert.True(model.Forward(x).Eq(0).Sum().Item() > 300);

        model.Eval();
        Assert.All(model.NamedModules(), m => Assert.False(m.Module.Training));
        Assert.Equal(x.ToArray<float>(), model.Forward(x).ToArray<float>());

        model.Train();
        Assert.True(model[1].Training);
        Assert.True(model.Forward(x).Eq(0).Sum().Item() > 300);
    }

    [Fact]
    public void Zero_grad_and_freezing()
    {
        using var layer = new Linear(3, 2);
        using var scope = DisposeScope.Enter();
        layer.Forward(Tensor.Ones([1, 3])).Sum().Backward();
        Assert.NotNull(layer.Bias!.Grad);
        layer.ZeroGrad();
        Assert.All(layer.Parameters(), p => Assert.Null(p.Grad));

        layer.RequiresGrad(false);
        Assert.False(layer.Forward(Tensor.Ones([1, 3])).RequiresGrad);
        layer.RequiresGrad();
        Assert.True(layer.Forward(Tensor.Ones([1, 3])).RequiresGrad);
    }

    [Fact]
    public void Default_initialisation_follows_pytorchs_bounds()
    {
        using var conv = new Conv2d(4, 8, 3, groups: 2);
        var bound = 1 / Math.Sqrt(2 * 3 * 3); // fan_in = in_channels / groups * kernel area
        Assert.All(conv.Weight.ToArray<float>(), w => Assert.InRange(w, -bound, bound));
        Assert.True(conv.Weight.Abs().Amax().Item() > bound * 0.8);
        using var norm = new GroupNorm(2, 4);
        Assert.Equal([1f, 1, 1, 1], norm.Weight!.ToArray<float>());
        Assert.Equal([0f, 0, 0, 0], norm.Bias!.ToArray<float>());
    }

    [Fact]
    public void Zero_module_zeroes_every_parameter()
    {
        using var conv = Init.ZeroModule(new Conv2d(4, 4, 1));
        Assert.All(conv.Parameters(), p => Assert.All(p.ToArray<float>(), v => Assert.Equal(0f, v)));
        Assert.True(conv.Weight.RequiresGrad);
    }

    [Fact]
    public void Forward_and_backward_steps_do_not_leak()
    {
        using var model = new Sequential(new Conv2d(3, 4, 3, padding: 1), new GroupNorm(2, 4), new SiLU(), new Dropout(0.1),
            new ConvTranspose2d(4, 3, 4, stride: 2, padding: 1));
        using var attention = new MultiheadAttention(4, 2, kvDim: 5);
        using var input = Tensor.Ones([2, 3, 4, 4]);
        using var context = Tensor.Ones([2, 3, 5]);
        Finalizers.Flush();
        long? live = null;
        for (var step = 0; step < 100; step++)
        {
            using (DisposeScope.Enter())
            {
                var image = model.Forward(input);
                var tokens = image.Reshape(2, 3, 64).Transpose(1, 2).Reshape(2, 48, 4);
                var attended = attention.Forward(tokens, context, context);
                var loss = Functional.MseLoss(attended, Tensor.Zeros([2, 48, 4]));
                loss.Backward();
            }
            model.ZeroGrad();
            attention.ZeroGrad();
            live ??= Tensor.LiveCount;
            Assert.Equal(live, Tensor.LiveCount);
        }
    }
}
