namespace ContextDiffusion.Model.Evaluation;

/// <summary>
/// One query generated twice: once with context images from its own domain, once with context images
/// from another domain. Each colour is a mean colour on [0, 1] (<see cref="ImageMetrics.MeanColour"/>):
/// of the context images given, and of the output generated with them.
/// </summary>
public sealed record ContextSensitivityTrial(
    double[] OwnContextColour, double[] OutputWithOwnContextColour,
    double[] OtherContextColour, double[] OutputWithOtherContextColour)
{
    /// <summary>
    /// True when each output's mean colour is strictly closer (Euclidean distance in colour space) to the
    /// context it was given than to the other one: the output followed the context both times. A tie,
    /// or two identical contexts, is not sensitive.
    /// </summary>
    public bool IsSensitive
    {
        get
        {
            var colours = new[] { OwnContextColour, OutputWithOwnContextColour, OtherContextColour, OutputWithOtherContextColour };
            if (colours.Any(c => c.Length != OwnContextColour.Length))
                throw new ArgumentException($"the four colours of a trial must have as many channels ({string.Join(", ", colours.Select(c => c.Length))})");
            static bool Follows(double[] output, double[] given, double[] other) =>
                ImageMetrics.ColourDistance(output, given) < ImageMetrics.ColourDistance(output, other);
            return Follows(OutputWithOwnContextColour, OwnContextColour, OtherContextColour)
                   && Follows(OutputWithOtherContextColour, OtherContextColour, OwnContextColour);
        }
    }
}
