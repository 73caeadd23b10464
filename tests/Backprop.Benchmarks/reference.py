"""Reference timings of the benchmark workloads in PyTorch (CPU, float64) and numpy.

Workloads (same definitions the project's own benchmark must implement):
  prml-batch     1-3-1 tanh MLP, linear output, half-SSE, 50 points, 1000 full-batch GD steps, lr 0.01
  digits-mb10    64-30-30-30-10 tanh MLP, linear outputs, half-SSE, one-hot targets, 1 epoch of
                 mini-batch SGD, batch 10, lr 0.01, over the 1797 digits (inputs scaled to [0,1])
  digits-wide    64-256-256-10 tanh, same loss, 1 epoch mini-batch 32, lr 0.001
  gradcheck      central-difference gradient of a 64-30-10 tanh net on one sample (2|W| forward passes)
Prints one JSON object: workload -> median seconds over 5 runs after 1 warm-up.

Set-up (Debian packages): apt-get install python3-numpy python3-torch libopenblas0-pthread
Run with Debian's python and one BLAS thread from the repository root (the digits are the kit's own copy):
  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tests/Backprop.Benchmarks/reference.py lib/Backprop/Data/digits.csv.gz numpy 1
  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tests/Backprop.Benchmarks/reference.py lib/Backprop/Data/digits.csv.gz torch 1
"""
import gzip, json, sys, time, statistics
import numpy as np

DIGITS = sys.argv[1] if len(sys.argv) > 1 else "lib/Backprop/Data/digits.csv.gz"
FRAME = sys.argv[2] if len(sys.argv) > 2 else "torch"
THREADS = int(sys.argv[3]) if len(sys.argv) > 3 else 1
if FRAME == "torch":
    import torch
    torch.set_default_dtype(torch.float64)
    torch.set_num_threads(THREADS)

raw = np.loadtxt(gzip.open(DIGITS), delimiter=",")
X = raw[:, :64] / 16.0
T = np.eye(10)[raw[:, 64].astype(int)]
rng = np.random.default_rng(0)

def prml_data():
    x = np.linspace(-1, 1, 50)[:, None]
    return x, np.sin(np.pi * x)

def init(sizes):
    return [(rng.normal(0, 1/np.sqrt(i), (o, i)), np.zeros(o)) for i, o in zip(sizes[:-1], sizes[1:])]

# ---------------- torch ----------------
def t_net(sizes):
    return [(torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True)) for W, b in init(sizes)]

def t_forward(net, x):
    z = x
    for i, (W, b) in enumerate(net):
        a = z @ W.T + b
        z = torch.tanh(a) if i < len(net) - 1 else a
    return z

def t_train(sizes, x, t, batch, steps_or_epoch, lr):
    net = t_net(sizes)
    params = [p for pair in net for p in pair]
    opt = torch.optim.SGD(params, lr=lr)
    x = torch.tensor(x); t = torch.tensor(t)
    n = x.shape[0]
    if batch is None:
        batches = [(x, t)] * steps_or_epoch
    else:
        perm = torch.randperm(n)
        batches = [(x[perm[i:i+batch]], t[perm[i:i+batch]]) for i in range(0, n, batch)]
    def run():
        for xb, tb in batches:
            opt.zero_grad()
            y = t_forward(net, xb)
            loss = 0.5 * ((y - tb) ** 2).sum()
            loss.backward()
            opt.step()
    return run

def t_gradcheck():
    net = t_net([64, 30, 10]); x = torch.tensor(X[:1]); t = torch.tensor(T[:1]); eps = 1e-6
    def run():
        with torch.no_grad():
            for W, b in net:
                for P in (W, b):
                    flat = P.view(-1)
                    for i in range(flat.numel()):
                        old = flat[i].item()
                        flat[i] = old + eps; lp = 0.5 * ((t_forward(net, x) - t) ** 2).sum().item()
                        flat[i] = old - eps; lm = 0.5 * ((t_forward(net, x) - t) ** 2).sum().item()
                        flat[i] = old
    return run

# ---------------- numpy ----------------
def n_train(sizes, x, t, batch, steps_or_epoch, lr):
    net = init(sizes)
    n = x.shape[0]
    if batch is None:
        batches = [(x, t)] * steps_or_epoch
    else:
        perm = rng.permutation(n)
        batches = [(x[perm[i:i+batch]], t[perm[i:i+batch]]) for i in range(0, n, batch)]
    def run():
        for xb, tb in batches:
            zs = [xb]
            for i, (W, b) in enumerate(net):
                a = zs[-1] @ W.T + b
                zs.append(np.tanh(a) if i < len(net) - 1 else a)
            d = zs[-1] - tb
            for i in range(len(net) - 1, -1, -1):
                W, b = net[i]
                gW = d.T @ zs[i]; gb = d.sum(0)
                if i > 0:
                    d = (1 - zs[i] ** 2) * (d @ W)
                W -= lr * gW; b -= lr * gb
    return run

def n_gradcheck():
    net = init([64, 30, 10]); x = X[:1]; t = T[:1]; eps = 1e-6
    def loss():
        z = x
        for i, (W, b) in enumerate(net):
            a = z @ W.T + b
            z = np.tanh(a) if i < len(net) - 1 else a
        return 0.5 * ((z - t) ** 2).sum()
    def run():
        for W, b in net:
            for P in (W, b):
                flat = P.reshape(-1)
                for i in range(flat.size):
                    old = flat[i]
                    flat[i] = old + eps; lp = loss()
                    flat[i] = old - eps; lm = loss()
                    flat[i] = old
    return run

def timed(run, reps=5):
    run()
    ts = []
    for _ in range(reps):
        s = time.perf_counter(); run(); ts.append(time.perf_counter() - s)
    return statistics.median(ts)

px, pt = prml_data()
train = t_train if FRAME == "torch" else n_train
gc = t_gradcheck if FRAME == "torch" else n_gradcheck
out = {
    "prml-batch": timed(train([1, 3, 1], px, pt, None, 1000, 0.01)),
    "digits-mb10": timed(train([64, 30, 30, 30, 10], X, T, 10, None, 0.01)),
    "digits-wide": timed(train([64, 256, 256, 10], X, T, 32, None, 0.001)),
    "gradcheck": timed(gc()),
}
print(json.dumps({"framework": FRAME, "threads": THREADS, "seconds": out}))
