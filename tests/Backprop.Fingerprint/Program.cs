using System.Globalization;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;
using Backprop;

// Every training path the lessons use, from fixed seeds: the batched passes (tanh, logistic, ReLU, ELU; products small
// and large enough for the packed kernel), online SGD, mini-batch SGD with momentum, batch GD, conjugate gradient,
// BFGS and L-BFGS, and the runs of lessons 07 and 08 whose numbers its text quotes (the two optimiser races, quasi-Newton on the
// four curves, the stuck |x| start). Prints one line per run (its final loss, round-trip format) and a SHA-256 of every
// parameter, every loss in every run's history and batched forward passes (tanh, logistic; pre-activations from 0 to
// far beyond tanh's saturation), bit for bit. Everything runs three times in this process, the later times after the JIT
// has optimised the hot loops and with the heap in another state (other array addresses); all must agree (exit code 3).

// The instruction sets this run may use, on standard error (CpuIndependenceTests checks that a switch took effect).
Console.Error.WriteLine(
    $"instruction sets: Vector512 {Vector512.IsHardwareAccelerated}, Vector256 {Vector256.IsHardwareAccelerated}, " +
    $"Vector128 {Vector128.IsHardwareAccelerated}, AVX-512F {Avx512F.IsSupported}, AVX2 {Avx2.IsSupported}, FMA {Fma.IsSupported}, " +
    $"SSE4.1 {Sse41.IsSupported}, ARM64 AdvSimd {AdvSimd.IsSupported}");

var (digits, _) = Datasets.DigitsSplit(0.25, seed: 0);
var sine = Datasets.Curve(CurveFunction.Sine, 50, seed: 1);
var abs = Datasets.Curve(CurveFunction.AbsoluteValue, 50, seed: 1);
var lessonDigits = digits.Take(500);
Mlp Curve(int seed) => new([1, 3, 1], Activation.Tanh, Activation.Identity, seed: seed);
Mlp DigitsNet() => new([64, 16, 10], Activation.Tanh, Activation.Identity, seed: 1);
var runs = new (string Name, Func<Mlp> Network, Dataset Data, Loss Loss, IOptimizer Optimizer)[]
{
    ("lbfgs-tanh-digits", () => new Mlp([64, 4, 10], Activation.Tanh, Activation.Identity, seed: 5), Datasets.Digits().Take(200), Loss.SoftmaxCrossEntropy, new QuasiNewton()),
    ("bfgs-tanh-sine", () => new Mlp([1, 3, 1], Activation.Tanh, Activation.Identity, seed: 2), sine, Loss.HalfSumOfSquares, new QuasiNewton { MaxIterations = 300 }),
    ("cg-logistic-sine", () => new Mlp([1, 5, 1], Activation.Logistic, Activation.Identity, seed: 3), sine, Loss.HalfSumOfSquares, new ConjugateGradient { MaxIterations = 100 }),
    ("batch-momentum-tanh-digits", () => new Mlp([64, 30, 10], Activation.Tanh, Activation.Identity, seed: 1), digits.Take(300), Loss.SoftmaxCrossEntropy, new BatchGradientDescent { LearningRate = 1.0, Momentum = 0.9, Epochs = 20 }),
    ("minibatch-relu-digits", () => new Mlp([64, 32, 32, 10], Activation.ReLU, Activation.Identity, seed: 4), digits.Take(300), Loss.SoftmaxCrossEntropy, new MiniBatchGradientDescent { BatchSize = 10, LearningRate = 0.1, Epochs = 3, Seed = 5 }),
    ("minibatch-elu-digits", () => new Mlp([64, 20, 10], Activation.Elu(1.0), Activation.Identity, seed: 6), digits.Take(200), Loss.SoftmaxCrossEntropy, new MiniBatchGradientDescent { BatchSize = 25, LearningRate = 0.5, Momentum = 0.5, Epochs = 3, Seed = 7 }),
    ("online-tanh-sine", () => new Mlp([1, 4, 1], Activation.Tanh, Activation.Identity, seed: 8), sine, Loss.HalfSumOfSquares, new StochasticGradientDescent { LearningRate = 0.1, Epochs = 20, Seed = 9 }),

    // Lessons 07 and 08: the first fit, the race on sin(πx) (SGD, mini-batch, batch with momentum, CG, quasi-Newton from one start) …
    ("05-qn-sine", () => Curve(2), sine, Loss.HalfSumOfSquares, new QuasiNewton { MaxIterations = 1000 }),
    ("05-race-sine-sgd", () => Curve(1), sine, Loss.HalfSumOfSquares, new StochasticGradientDescent { LearningRate = 0.1, Epochs = 1000, Seed = 1 }),
    ("05-race-sine-minibatch", () => Curve(1), sine, Loss.HalfSumOfSquares, new MiniBatchGradientDescent { BatchSize = 10, LearningRate = 0.5, Epochs = 1000, Seed = 1 }),
    ("05-race-sine-batch", () => Curve(1), sine, Loss.HalfSumOfSquares, new BatchGradientDescent { LearningRate = 0.5, Momentum = 0.9, Epochs = 1000 }),
    ("05-race-sine-cg", () => Curve(1), sine, Loss.HalfSumOfSquares, new ConjugateGradient { MaxIterations = 300 }),
    ("05-race-sine-qn", () => Curve(1), sine, Loss.HalfSumOfSquares, new QuasiNewton { MaxIterations = 300 }),

    // … the race on 500 digits (64-16-10, softmax cross-entropy; the lesson's epochs cut to keep this quick) …
    ("05-race-digits-sgd", DigitsNet, lessonDigits, Loss.SoftmaxCrossEntropy, new StochasticGradientDescent { LearningRate = 0.1, Epochs = 3, Seed = 1 }),
    ("05-race-digits-minibatch", DigitsNet, lessonDigits, Loss.SoftmaxCrossEntropy, new MiniBatchGradientDescent { BatchSize = 10, LearningRate = 1.0, Epochs = 10, Seed = 1 }),
    ("05-race-digits-batch", DigitsNet, lessonDigits, Loss.SoftmaxCrossEntropy, new BatchGradientDescent { LearningRate = 1.0, Momentum = 0.9, Epochs = 200 }),
    ("05-race-digits-cg", DigitsNet, lessonDigits, Loss.SoftmaxCrossEntropy, new ConjugateGradient { MaxIterations = 100 }),
    ("05-race-digits-qn", DigitsNet, lessonDigits, Loss.SoftmaxCrossEntropy, new QuasiNewton { MaxIterations = 150 }),

    // … and quasi-Newton on the other curves (the Heaviside step drives weights large) and from the start that sticks on |x|.
    ("05-qn-square", () => Curve(2), Datasets.Curve(CurveFunction.Square, 50, seed: 1), Loss.HalfSumOfSquares, new QuasiNewton { MaxIterations = 1000 }),
    ("05-qn-abs", () => Curve(2), abs, Loss.HalfSumOfSquares, new QuasiNewton { MaxIterations = 1000 }),
    ("05-qn-heaviside", () => Curve(2), Datasets.Curve(CurveFunction.Heaviside, 50, seed: 1), Loss.HalfSumOfSquares, new QuasiNewton { MaxIterations = 1000 }),
    ("05-qn-abs-stuck", () => Curve(4), abs, Loss.HalfSumOfSquares, new QuasiNewton { MaxIterations = 1000 }),
};

string first = Fingerprint();
Console.WriteLine(first);
var garbage = new List<double[]>();
for (int pass = 2; pass <= 3; pass++)
{
    garbage.AddRange(Enumerable.Range(1, 1000).Select(n => new double[n % 37])); // later arrays start at other addresses
    string again = Fingerprint();
    if (again != first)
    {
        Console.Error.WriteLine($"Pass {pass} in the same process differs from the first:{Environment.NewLine}{again}");
        return 3;
    }
}

GC.KeepAlive(garbage);

return 0;

string Fingerprint()
{
    var all = new List<byte>();
    var lines = new List<string>();
    foreach (var (name, network, data, loss, optimizer) in runs)
    {
        var net = network();
        var history = optimizer.Train(net, data, loss);
        foreach (var value in net.GetParameters().ToArray().Concat(history.Loss))
        {
            all.AddRange(BitConverter.GetBytes(value));
        }

        lines.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: L/N {history.Last.MeanLoss:R} after {history.Last.GradientEvaluations} gradient evaluations"));
    }

    // The batched forward pass of tanh and logistic layers on every batch size from 1 to 40 (every remainder a vector loop
    // can leave), inputs large enough to put activations anywhere from 0 to saturation; every fourth batch's inputs reach
    // ±1000, where tanh's e^(2|a|) is beyond the kit's formula (and its group of four switches to Math.Exp).
    var random = new Random(10);
    foreach (var h in new[] { Activation.Tanh, Activation.Logistic })
    {
        var net = new Mlp([7, 13, 5], h, h, seed: 11);
        for (int count = 1; count <= 40; count++)
        {
            double scale = count % 4 == 0 ? Math.Pow(10, random.Next(4)) : 6;
            var inputs = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(count, 7, (_, _) => (random.NextDouble() - 0.5) * scale);
            BatchForwardPass pass = net.Forward(inputs);
            foreach (var z in Enumerable.Range(0, pass.LayerCount + 1).Select(pass.Z))
            {
                foreach (var value in z.ToColumnMajorArray())
                {
                    all.AddRange(BitConverter.GetBytes(value));
                }
            }
        }
    }

    lines.Add($"parameters and batch outputs sha256 {Convert.ToHexString(SHA256.HashData([.. all]))}");
    return string.Join(Environment.NewLine, lines);
}
