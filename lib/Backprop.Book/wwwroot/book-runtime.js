// The live book's runtime (issue 21; the contract with the page: lib/Backprop.Book/README.md).
//
//   import { startRuntime } from "./live/book-runtime.js";
//   const runtime = startRuntime({ baseUrl: new URL("live/", location.href).href, onStatus: (text) => … });
//   await runtime.ready;  const { ok, text, outputs, ms } = await runtime.run(source, cellId);
//
// The .NET runtime, the kit and Roslyn run in a module Web Worker (book-worker.js), one per session: the page stays
// responsive while a cell compiles or runs, and stop() terminates the worker, whatever the cell is doing (an endless
// loop included), and starts a fresh one (earlier cells' state is gone; the new worker loads from the browser cache).

const stoppedText = "Stopped.";

export function startRuntime(options = {}) {
  const base = new URL(options.baseUrl ?? ".", import.meta.url);
  const onStatus = typeof options.onStatus === "function" ? options.onStatus : () => {};
  const queue = [];
  let current = null;
  // The public `ready` settles with the first session that starts or fails; a stop() before then hands it on to the next.
  let readySettled = false, resolveReady, rejectReady;
  const ready = new Promise((resolve, reject) => { resolveReady = resolve; rejectReady = reject; });
  let session = spawn();
  follow(session);

  function follow(s) {
    s.ready.then(
      () => { if (!readySettled && s === session) { readySettled = true; resolveReady(); } },
      (error) => { if (!readySettled && s === session) { readySettled = true; rejectReady(error); } });
  }

  function spawn() {
    const worker = new Worker(new URL("book-worker.js", base), { type: "module" });
    const pending = { result: null, reset: null };
    let resolveStarted, rejectStarted;
    const ready = new Promise((resolve, reject) => { resolveStarted = resolve; rejectStarted = reject; });
    ready.catch(() => {});
    worker.onmessage = (event) => {
      const message = event.data;
      if (message.type === "status") onStatus(message.text);
      else if (message.type === "ready") { onStatus("ready"); resolveStarted(); }
      else if (message.type === "failed") { rejectStarted(new Error(message.message)); pending.reset?.(new Error(message.message)); }
      else if (message.type === "result") pending.result?.(message.json);
      else if (message.type === "reset") pending.reset?.(null);
    };
    worker.onerror = (event) => {
      const error = new Error(`The live book's runtime could not start: ${event.message || "the worker failed to load (is live/ served over HTTP?)"}`);
      rejectStarted(error);
      pending.result?.(JSON.stringify(failure(error.message)));
    };
    return { worker, ready, pending };
  }

  function failure(text) {
    return { ok: false, text, outputs: [{ type: "error", text }] };
  }

  // One job at a time, in call order: a cell run, or a reset of the session in the worker.
  function pump() {
    if (current || queue.length === 0) return;
    const job = current = queue.shift();
    const s = session;
    s.ready.then(() => {
      if (job.settled) return;
      job.started = performance.now();
      if (job.kind === "reset") {
        s.pending.reset = (error) => finish(job, error);
        s.worker.postMessage({ type: "reset" });
      } else {
        onStatus("compiling…");
        s.pending.result = (json) => finish(job, JSON.parse(json));
        s.worker.postMessage({ type: "run", source: job.source, cellId: job.cellId });
      }
    }, (error) => finish(job, job.kind === "reset" ? error : failure(error.message)));
  }

  function finish(job, result) {
    if (job.settled) return;
    job.settled = true;
    if (job.kind === "reset") {
      if (result) job.reject(result); else job.resolve();
    } else {
      result.ms = job.started === undefined ? 0 : Math.round(performance.now() - job.started);
      job.resolve(result);
    }
    if (current === job) {
      current = null;
      pump();
    }
  }

  function enqueue(job) {
    return new Promise((resolve, reject) => {
      queue.push(Object.assign(job, { resolve, reject }));
      pump();
    });
  }

  return {
    ready,

    run(source, cellId) {
      if (typeof source !== "string") return Promise.reject(new TypeError("run(source, cellId): source must be a string."));
      return enqueue({ kind: "run", source, cellId: String(cellId ?? "") });
    },

    async stop() {
      const jobs = [current, ...queue].filter(Boolean);
      queue.length = 0;
      current = null;
      session.worker.terminate();
      session = spawn();
      follow(session);
      for (const job of jobs) {
        if (job.kind === "reset") finish(job, null);
        else finish(job, { ok: false, stopped: true, text: stoppedText, outputs: [{ type: "error", text: stoppedText }] });
      }
      onStatus("stopped: restarting the runtime…");
    },

    async reset() {
      if (current || queue.length > 0) return this.stop();
      return enqueue({ kind: "reset" });
    },
  };
}
