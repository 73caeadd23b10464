// The Web Worker that runs the live book's cells (started by book-runtime.js, one per session): the .NET runtime,
// the kit and Roslyn live here, so the page stays responsive while a cell compiles or runs, and an endless loop is
// stopped by terminating this worker. Messages in: { type: "run", source } and { type: "reset" }, one at a time;
// out: { type: "status", text }, { type: "ready" }, { type: "failed", message }, { type: "result", json }, { type: "reset" }.
import { dotnet } from "./_framework/dotnet.js";

const status = (text) => postMessage({ type: "status", text });

async function start() {
  status("loading the .NET runtime…");
  const runtime = await dotnet.create();
  const exports = await runtime.getAssemblyExports(runtime.getConfig().mainAssemblyName);
  const entry = exports.Backprop.Book.WorkerEntry;
  status("loading the kit and warming up the compiler…");
  await entry.Start();
  return entry;
}

const started = start();
started.then(
  () => postMessage({ type: "ready" }),
  (error) => postMessage({ type: "failed", message: String(error && error.message || error) }));

self.onmessage = async (event) => {
  const message = event.data;
  try {
    const entry = await started;
    if (message.type === "run") {
      postMessage({ type: "result", json: await entry.Run(message.source) });
    } else if (message.type === "reset") {
      await entry.Reset();
      postMessage({ type: "reset" });
    }
  } catch (error) {
    const text = `The runtime failed: ${error && error.message || error}`;
    postMessage(message.type === "run"
      ? { type: "result", json: JSON.stringify({ ok: false, text, outputs: [{ type: "error", text }] }) }
      : { type: "failed", message: text });
  }
};
