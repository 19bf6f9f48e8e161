using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Tests.Model;

public sealed class PredictionTypeTests
{
    [Fact]
    public void V_prediction_config_round_trips_through_json_with_diffusers_name()
    {
        var config = ModelPresets.Get("tiny") with { NoiseSchedule = ModelPresets.Get("tiny").NoiseSchedule with { PredictionType = PredictionType.VPrediction } };
        var json = ModelDirectory.ToJson(config);
        Assert.Contains("\"prediction_type\": \"v_prediction\"", json);
        Assert.Equal(PredictionType.VPrediction, ModelDirectory.ConfigFromJson(json, "test").NoiseSchedule.PredictionType);
    }

    [Fact]
    public void An_exact_v_output_converts_to_the_exact_noise()
    {
        var tiny = ModelPresets.Get("tiny");
        var directory = Directory.CreateTempSubdirectory("prediction-type").FullName;
        try
        {
            using var model = ModelDirectory.Create(tiny with { NoiseSchedule = tiny.NoiseSchedule with { PredictionType = PredictionType.VPrediction } }, directory);
            Torch.Torch.ManualSeed(2);
            var x0 = Tensor.Rand([3, 3, 32, 32]) * 2 - 1;
            var noise = Tensor.Randn([3, 3, 32, 32]);
            int[] steps = [0, 500, 999];
            var t = Tensor.From<long>([0, 500, 999], [3]);
            var xt = model.Schedule.AddNoise(x0, noise, steps);
            var v = model.TrainingTarget(x0, noise, t);
            for (var i = 0; i < 3; i++)
            {
                var abar = model.Schedule.AlphaBar(steps[i]);
                var expected = (noise.Select(0, i) * Math.Sqrt(abar) - x0.Select(0, i) * Math.Sqrt(1 - abar)).ToArray<float>();
                var actual = v.Select(0, i).ToArray<float>();
                for (var j = 0; j < expected.Length; j += 97) Assert.Equal(expected[j], actual[j], 1e-5);
                // The conversion PredictNoise applies to the UNet's output: eps = sqrt(abar) v + sqrt(1 - abar) x_t.
                var eps = (v.Select(0, i) * Math.Sqrt(abar) + xt.Select(0, i) * Math.Sqrt(1 - abar)).ToArray<float>();
                var trueNoise = noise.Select(0, i).ToArray<float>();
                for (var j = 0; j < eps.Length; j += 97) Assert.Equal(trueNoise[j], eps[j], 1e-4);
            }
            // PredictNoise is that conversion of the UNet's own output.
            var condition = ContextDiffusionModel.Condition(model.EncodePrompts(["", "", ""]), model.NoContext(3));
            var query = Tensor.Zeros([3, 3, 32, 32]);
            using var noGrad = Torch.Torch.NoGrad();
            var output = model.PredictOutput(xt, t, condition, query);
            var predicted = model.PredictNoise(xt, t, condition, query);
            for (var i = 0; i < 3; i++)
            {
                var abar = model.Schedule.AlphaBar(steps[i]);
                var expected = (output.Select(0, i) * Math.Sqrt(abar) + xt.Select(0, i) * Math.Sqrt(1 - abar)).ToArray<float>();
                var actual = predicted.Select(0, i).ToArray<float>();
                for (var j = 0; j < expected.Length; j += 97) Assert.Equal(expected[j], actual[j], 1e-4);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Epsilon_models_output_the_noise_directly()
    {
        var directory = Directory.CreateTempSubdirectory("prediction-type").FullName;
        try
        {
            using var model = ModelDirectory.Create(ModelPresets.Get("tiny") with { NoiseSchedule = new NoiseScheduleConfig() }, directory);
            var noise = Tensor.Randn([2, 3, 32, 32]);
            var target = model.TrainingTarget(Tensor.Zeros([2, 3, 32, 32]), noise, Tensor.From<long>([1, 2], [2]));
            Assert.Equal(noise.ToArray<float>(), target.ToArray<float>());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void With_ContextDiff_the_v_conversion_removes_the_shift()
    {
        var tiny = ModelPresets.Get("tiny");
        var directory = Directory.CreateTempSubdirectory("prediction-type").FullName;
        try
        {
            using var model = ModelDirectory.Create(tiny with { ContextDiff = true, NoiseSchedule = tiny.NoiseSchedule with { PredictionType = PredictionType.VPrediction } }, directory);
            Torch.Torch.ManualSeed(4);
            var xt = Tensor.Randn([2, 3, 32, 32]);
            var shift = Tensor.Randn([2, 3, 32, 32]);
            var t = Tensor.From<long>([300, 700], [2]);
            var condition = ContextDiffusionModel.Condition(model.EncodePrompts(["", ""]), model.NoContext(2));
            var query = Tensor.Zeros([2, 3, 32, 32]);
            using var noGrad = Torch.Torch.NoGrad();
            var output = model.PredictOutput(xt, t, condition, query);
            var predicted = model.PredictNoise(xt, t, condition, query, shift);
            int[] steps = [300, 700];
            for (var i = 0; i < 2; i++)
            {
                var abar = model.Schedule.AlphaBar(steps[i]);
                var unshifted = xt.Select(0, i) - shift.Select(0, i) * model.Schedule.ShiftCoefficient(steps[i]);
                var expected = (output.Select(0, i) * Math.Sqrt(abar) + unshifted * Math.Sqrt(1 - abar)).ToArray<float>();
                var actual = predicted.Select(0, i).ToArray<float>();
                for (var j = 0; j < expected.Length; j += 97) Assert.Equal(expected[j], actual[j], 1e-4);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
