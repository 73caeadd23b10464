// The live book (issue 21): served over http(s) with live/book-runtime.js beside the pages, every code cell of a lesson
// page becomes editable and runs in the page (C# compiled by Roslyn in WebAssembly, the kit loaded); edits are kept in
// the browser's storage per lesson; Reset restores the stubs; Download writes the lesson's notebook with the student's
// code. Opened from disk (file://, where browsers refuse to load WebAssembly) or without live/, the page stays the
// read-only book and its first line says how to get the live one. The page's data (each code cell's id, kind, exercise
// and source, and the notebook) is the JSON in script#backprop-lesson; the runtime's contract is live-contract.md.
// Scriptable: window.backpropBook = { ready, cells(), setSource(id, text), run(id), runAll(), reset() } (course guide).
(function () {
  "use strict";
  var dataElement = document.getElementById("backprop-lesson");
  if (!dataElement) {
    return;   // the index
  }

  var lesson = JSON.parse(dataElement.textContent);
  var statusLine = document.getElementById("live-status");
  var storageKey = "backprop-book/" + lesson.version + "/" + lesson.lesson;
  var cells = lesson.cells.map(function (cell) {
    return { id: cell.id, index: cell.index, kind: cell.kind, exercise: cell.exercise, original: cell.source, source: cell.source };
  });
  var byId = {};
  cells.forEach(function (cell) { byId[cell.id] = cell; });
  restoreEdits();

  var served = location.protocol === "http:" || location.protocol === "https:";
  var runtime = null;
  var ready = served ? start() : Promise.reject(new Error("The live book needs the page served over http(s); it was opened from " + location.protocol));
  ready.catch(function () { });   // the page says why; a script that awaits `ready` sees the error

  var queue = Promise.resolve();   // one run at a time, in call order (the runtime queues too; the page knows which is running)
  var generation = 0;              // bumped by Stop and Reset: the runs queued before it are not sent

  window.backpropBook = {
    ready: ready,
    cells: function () {
      return cells.map(function (cell) { return { id: cell.id, kind: cell.kind, exercise: cell.exercise, source: cell.source }; });
    },
    setSource: function (id, text) { setSource(cellOf(id), String(text)); },
    run: function (id) { return run(cellOf(id)); },
    runAll: runAll,
    reset: reset,
  };

  function cellOf(id) {
    var cell = byId[id];
    if (!cell) {
      throw new Error("No code cell " + id + " on this page: cells() lists them (" + cells.map(function (c) { return c.id; }).join(", ") + ").");
    }

    return cell;
  }

  // ---- storage: the student's code per lesson, kept only for the cells that differ from the page's ----

  function restoreEdits() {
    var saved = {};
    try {
      saved = JSON.parse(localStorage.getItem(storageKey) || "{}") || {};
    } catch (e) {
      saved = {};
    }

    cells.forEach(function (cell) {
      if (typeof saved[cell.id] === "string" && cell.kind !== "setup") {
        cell.source = saved[cell.id];
      }
    });
  }

  function saveEdits() {
    var edits = {};
    cells.forEach(function (cell) {
      if (cell.source !== cell.original) {
        edits[cell.id] = cell.source;
      }
    });
    try {
      if (Object.keys(edits).length === 0) {
        localStorage.removeItem(storageKey);
      } else {
        localStorage.setItem(storageKey, JSON.stringify(edits));
      }
    } catch (e) {
      setStatus("Your edits could not be saved in this browser's storage (" + e.message + "): download the notebook to keep them.");
    }
  }

  // ---- start: import the runtime, make the cells editable ----

  function setStatus(text, kind) {
    statusLine.textContent = text;
    statusLine.className = "live-status" + (kind ? " " + kind : "");
  }

  async function start() {
    var baked = statusLine.textContent;
    setStatus("Loading the live book… (the .NET runtime and the compiler: the first time takes a while)", "loading");
    var module;
    try {
      module = await import(new URL("live/book-runtime.js", location.href).href);
    } catch (e) {
      // No live/ folder (the site was built without lib/Backprop.Book; the line already says so), or a broken one.
      setStatus(lesson.runtime ? "The live book could not load live/book-runtime.js (" + e.message + "): the page stays read-only." : baked, lesson.runtime ? "error" : "");
      throw new Error(lesson.runtime ? "live/book-runtime.js did not load: " + e.message : baked);
    }

    runtime = module.startRuntime({
      baseUrl: new URL("live/", location.href).href,
      onStatus: function (text) { setStatus("Loading the live book: " + text, "loading"); },
    });
    cells.forEach(makeLive);
    addToolbar();
    try {
      await runtime.ready;
    } catch (e) {
      setStatus("The live book did not start: " + e.message + " The page stays read-only.", "error");
      throw e;
    }

    setStatus("Live: edit a cell and press Run (or Shift+Enter). Cells share their variables in the order you run them, as in the notebook; your edits are kept in this browser. "
      + "Numbers can differ from the book's in their last digits, and more where training amplifies them (the line-search races): the browser rounds some operations differently.", "ready");
    document.body.classList.add("live-ready");
  }

  function addToolbar() {
    var bar = document.createElement("div");
    bar.className = "live-toolbar";
    bar.appendChild(button("Run all", "run-all", function () { runAll(); }));
    bar.appendChild(button("Reset", "reset", function () {
      if (confirm("Reset this lesson? Every cell gets its original code back (the exercises their stubs); your edits in this browser are lost.")) {
        reset();
      }
    }));
    bar.appendChild(button("Download .ipynb", "download", download));
    statusLine.insertAdjacentElement("afterend", bar);
  }

  function button(text, name, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.className = "live-button " + name;
    b.addEventListener("click", onClick);
    return b;
  }

  // A cell's live parts: Run and Stop, the running indicator, the editor (shown once the student edits or runs), the outputs.
  function makeLive(cell) {
    if (cell.kind === "setup") {
      return;   // the runtime starts with the kit loaded
    }

    var section = document.getElementById(cell.id);
    var head = section.querySelector(".cell-head");
    var pre = section.querySelector("pre.source");
    cell.section = section;
    cell.pre = pre;
    cell.badge = head.querySelector(".check-result");
    cell.badgeHtml = cell.badge ? cell.badge.outerHTML : null;
    cell.editor = document.createElement("textarea");
    cell.editor.className = "live-editor";
    cell.editor.spellcheck = false;
    cell.editor.setAttribute("autocapitalize", "off");
    cell.editor.setAttribute("aria-label", "Code of " + cell.id);
    cell.editor.value = cell.source;
    cell.editor.hidden = true;
    pre.insertAdjacentElement("afterend", cell.editor);
    cell.editor.addEventListener("input", function () {
      cell.source = cell.editor.value;
      grow(cell.editor);
      saveEdits();
    });
    cell.editor.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && e.shiftKey) {
        e.preventDefault();
        run(cell);
      } else if (e.key === "Tab" && !e.ctrlKey && !e.altKey && !e.metaKey) {
        e.preventDefault();
        document.execCommand("insertText", false, "    ");
      }
    });
    pre.title = "Click to edit";
    pre.addEventListener("click", function () { showEditor(cell, true); });
    var controls = document.createElement("span");
    controls.className = "live-controls";
    cell.running = document.createElement("span");
    cell.running.className = "live-running";
    cell.running.hidden = true;
    cell.stop = button("Stop", "stop", stop);
    cell.stop.hidden = true;
    controls.appendChild(cell.running);
    controls.appendChild(cell.stop);
    controls.appendChild(button("Run ▶", "run", function () { run(cell); }));
    head.appendChild(controls);
    cell.live = document.createElement("div");
    cell.live.className = "outputs live-outputs";
    cell.live.hidden = true;
    section.appendChild(cell.live);
    if (cell.source !== cell.original) {
      showEditor(cell, false);
    }
  }

  function showEditor(cell, focus) {
    if (!cell.editor) {
      return;
    }

    var fold = cell.pre.closest("details");   // a check's code is folded: opened when the student edits it, not when it runs
    if (fold && (focus || cell.source !== cell.original)) {
      fold.open = true;
    }

    cell.pre.hidden = true;
    cell.editor.hidden = false;
    grow(cell.editor);
    if (focus) {
      cell.editor.focus();
    }
  }

  function grow(editor) {
    editor.style.height = "auto";
    editor.style.height = editor.scrollHeight + 2 + "px";
  }

  function setSource(cell, text) {
    cell.source = text;
    if (cell.editor) {
      cell.editor.value = text;
      showEditor(cell, false);
    }

    saveEdits();
  }

  // ---- running ----

  function run(cell) {
    if (cell.kind === "setup") {
      return Promise.resolve({ ok: true, text: "" });   // the runtime starts with the kit loaded: nothing to send
    }

    var mine = generation;
    var result = queue.then(function () { return mine === generation ? runNow(cell) : stoppedBeforeStart(cell); });
    queue = result.catch(function () { });
    return result;
  }

  async function runNow(cell) {
    await ready;
    showEditor(cell, false);
    var started = Date.now();
    cell.section.classList.add("running");
    cell.running.hidden = false;
    cell.stop.hidden = false;
    cell.running.textContent = "running… 0 s";
    var timer = setInterval(function () {
      cell.running.textContent = "running… " + Math.floor((Date.now() - started) / 1000) + " s";
    }, 250);
    var result;
    try {
      result = await runtime.run(cell.source, cell.id);
    } catch (e) {
      result = { ok: false, text: String(e && e.message || e), outputs: [{ type: "error", text: String(e && e.message || e) }], ms: Date.now() - started };
    } finally {
      clearInterval(timer);
      cell.section.classList.remove("running");
      cell.running.hidden = true;
      cell.stop.hidden = true;
    }

    show(cell, result);
    if (result.stopped) {
      sessionEmptied(cell);
    }

    return { ok: !!result.ok, text: result.text || "" };
  }

  function stoppedBeforeStart(cell) {
    show(cell, { ok: false, stopped: true, text: "Stopped.", outputs: [], ms: 0 });
    return { ok: false, text: "Stopped." };
  }

  async function runAll() {
    var last = { ok: true, text: "" };
    for (var i = 0; i < cells.length; i++) {
      if (cells[i].kind === "setup") {
        continue;
      }

      last = await run(cells[i]);
      if (!last.ok) {
        return last;   // as in the notebook: a failing cell stops the run
      }
    }

    return last;
  }

  async function stop() {
    generation++;
    if (runtime) {
      await runtime.stop();
    }
  }

  // After Stop the runtime's session is empty: the cells above must run again before the next one can use them.
  function sessionEmptied(cell) {
    var above = cells.filter(function (c) { return c.kind !== "setup" && c.index < cell.index; });
    setStatus("Stopped: the session restarted empty — the variables and methods of the cells above are gone.", "stopped");
    if (above.length > 0) {
      statusLine.appendChild(document.createTextNode(" "));
      statusLine.appendChild(button("Run the " + above.length + " cell" + (above.length === 1 ? "" : "s") + " above " + cell.id + " again", "run-above", async function () {
        setStatus("Running the cells above " + cell.id + " again…", "loading");
        for (var i = 0; i < above.length; i++) {
          var result = await run(above[i]);
          if (!result.ok) {
            setStatus(above[i].id + " failed: fix it, then run on from there.", "error");
            return;
          }
        }

        setStatus("The cells above " + cell.id + " ran again: the session is back.", "ready");
      }));
    }
  }

  // The student's outputs in place of the instructor run's (hidden, kept for Reset); a check cell's badge gives the student's verdict.
  function show(cell, result) {
    var original = cell.section.querySelector(".outputs:not(.live-outputs)");
    if (original) {
      original.hidden = true;
    }

    cell.live.hidden = false;
    cell.live.textContent = "";
    (result.outputs || []).forEach(function (output) { cell.live.appendChild(outputElement(output)); });
    if (!result.ok && !(result.outputs || []).some(function (o) { return o.type === "error"; }) && result.text) {
      cell.live.appendChild(outputElement({ type: "error", text: result.stopped ? "Stopped." : lastLines(result.text) }));
    }

    var note = document.createElement("div");
    note.className = "live-note";
    note.textContent = result.stopped ? "stopped" : (result.ok ? "ran" : "failed") + " in " + ((result.ms || 0) / 1000).toFixed(2) + " s (your run)";
    cell.live.appendChild(note);
    if (cell.kind === "check" && cell.badge && !result.stopped) {
      var badge = document.createElement("span");
      badge.className = "check-result live " + (result.ok ? "pass" : "fail");
      badge.textContent = (result.ok ? "✔ check " + cell.exercise + " passed in your run" : "✘ check " + cell.exercise + " failed in your run");
      cell.badge.replaceWith(badge);
      cell.badge = badge;
    }
  }

  function lastLines(text) { return text.split("\n").slice(-20).join("\n"); }

  function outputElement(output) {
    if (output.type === "html") {
      var box = document.createElement("div");
      box.className = /backprop-chart|Plotly\.newPlot/.test(output.html) ? "output chart" : "output html";
      box.innerHTML = output.html;
      // Scripts set by innerHTML do not run: each is replaced by a copy that does (a chart draws with the page's plotly.js).
      box.querySelectorAll("script").forEach(function (old) {
        var script = document.createElement("script");
        Array.prototype.forEach.call(old.attributes, function (a) { script.setAttribute(a.name, a.value); });
        script.textContent = old.textContent;
        old.replaceWith(script);
      });
      return box;
    }

    var pre = document.createElement("pre");
    pre.className = output.type === "error" ? "output error" : "output stdout";
    pre.textContent = output.text;
    return pre;
  }

  // ---- reset and download ----

  async function reset() {
    generation++;
    localStorage.removeItem(storageKey);
    cells.forEach(function (cell) {
      cell.source = cell.original;
      if (!cell.editor) {
        return;
      }

      cell.editor.value = cell.original;
      cell.editor.hidden = true;
      cell.pre.hidden = false;
      cell.live.hidden = true;
      cell.live.textContent = "";
      var original = cell.section.querySelector(".outputs:not(.live-outputs)");
      if (original) {
        original.hidden = false;
      }

      if (cell.badgeHtml && cell.badge) {
        cell.badge.outerHTML = cell.badgeHtml;
        cell.badge = cell.section.querySelector(".cell-head .check-result");
      }
    });
    if (runtime) {
      await runtime.reset();
      setStatus("Reset: every cell has its original code back and the session is empty.", "ready");
    }
  }

  // The lesson's notebook (as the release writes it) with the current code of every code cell, as Jupyter stores it.
  function notebookText() {
    var notebook = JSON.parse(JSON.stringify(lesson.notebook));
    cells.forEach(function (cell) {
      var lines = cell.source.split(/(?<=\n)/);
      notebook.cells[cell.index].source = cell.source === "" ? [] : lines;
    });
    return JSON.stringify(notebook, null, 1) + "\n";
  }

  function download() {
    var blob = new Blob([notebookText()], { type: "application/x-ipynb+json" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = lesson.lesson + ".ipynb";
    document.body.appendChild(link);
    link.click();
    setTimeout(function () {
      URL.revokeObjectURL(link.href);
      link.remove();
    }, 1000);
  }
})();
