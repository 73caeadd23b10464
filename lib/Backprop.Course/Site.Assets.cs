namespace Backprop.Course;

/// <summary>The web book's stylesheet and script (written to assets/ beside KaTeX and plotly.js).</summary>
internal static partial class Site
{
    /// <summary>Typesets every Markdig maths span with KaTeX (errors shown in place, in red, never thrown).</summary>
    private const string Script = """
        // The web book's script: typesets the maths Markdig marked (span.math inline, div.math display) with KaTeX.
        (function () {
          document.querySelectorAll(".math").forEach(function (element) {
            var display = element.tagName === "DIV" || element.classList.contains("display");
            var tex = element.textContent.trim()
              .replace(/^\\\(([\s\S]*)\\\)$/, "$1")
              .replace(/^\\\[([\s\S]*)\\\]$/, "$1");
            katex.render(tex, element, { displayMode: display, throwOnError: false, output: "htmlAndMathml" });
          });
        })();
        """;

    private const string Stylesheet = """
        /* The web book: a readable column, a lesson list beside it, code and outputs set apart. */
        :root {
          --ink: #1d232b; --muted: #5b6673; --rule: #dde3ea; --paper: #ffffff; --tint: #f6f8fa;
          --accent: #1f5fa8; --pass: #1a7f37; --fail: #b42318; --code: #f3f5f8;
        }
        * { box-sizing: border-box; }
        html { font-size: 17px; }
        body { margin: 0; color: var(--ink); background: var(--paper);
          font-family: "Charter", "Bitstream Charter", "Georgia", "DejaVu Serif", serif; line-height: 1.6; }
        a { color: var(--accent); }
        .book { display: grid; grid-template-columns: 15rem minmax(0, 1fr); max-width: 80rem; margin: 0 auto; }
        nav.toc { position: sticky; top: 0; align-self: start; height: 100vh; overflow-y: auto; padding: 1.5rem 1rem 1.5rem 1.25rem;
          border-right: 1px solid var(--rule); font-family: system-ui, "DejaVu Sans", sans-serif; font-size: 0.85rem; line-height: 1.4; }
        nav.toc .home { display: block; font-weight: 700; font-size: 1rem; color: var(--ink); text-decoration: none; margin-bottom: 1rem; }
        nav.toc ol { list-style: none; margin: 0; padding: 0; }
        nav.toc li { margin: 0 0 0.35rem; }
        nav.toc li a { display: block; padding: 0.3rem 0.5rem; border-radius: 4px; text-decoration: none; color: var(--ink); }
        nav.toc li a:hover { background: var(--tint); }
        nav.toc li.current a { background: #e7eef8; color: var(--accent); font-weight: 600; }
        main { min-width: 0; max-width: 60rem; padding: 1.5rem 2.5rem 4rem; }
        h1, h2, h3, h4 { font-family: system-ui, "DejaVu Sans", sans-serif; line-height: 1.25; margin: 2rem 0 0.75rem; }
        h1 { font-size: 2rem; margin-top: 0.5rem; }
        h2 { font-size: 1.4rem; padding-top: 0.5rem; border-top: 1px solid var(--rule); }
        h3 { font-size: 1.15rem; }
        p, ul, ol { margin: 0 0 0.9rem; }
        code { font-family: "DejaVu Sans Mono", "Consolas", monospace; font-size: 0.84em; background: var(--code); padding: 0.08em 0.3em; border-radius: 3px; }
        table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.9rem; }
        th, td { border: 1px solid var(--rule); padding: 0.25rem 0.6rem; text-align: left; }
        th { background: var(--tint); }
        blockquote { margin: 0 0 1rem; padding: 0.2rem 1rem; border-left: 4px solid var(--rule); color: var(--muted); }
        .math.display { display: block; margin: 0.6rem 0; }
        .katex-display { overflow-x: auto; overflow-y: hidden; padding: 0.2rem 0; margin: 0; }
        .lead { font-size: 1.1rem; color: var(--muted); }
        .lesson-links { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; margin-bottom: 1rem; font-family: system-ui, "DejaVu Sans", sans-serif; font-size: 0.85rem; }
        .lesson-links a { border: 1px solid var(--rule); border-radius: 999px; padding: 0.2rem 0.8rem; text-decoration: none; }
        .lesson-links code { background: none; padding: 0; }
        .cell.code { margin: 1rem 0 1.4rem; border: 1px solid var(--rule); border-radius: 6px; background: var(--paper); }
        .cell-head { display: flex; gap: 0.75rem; align-items: center; padding: 0.25rem 0.75rem; border-bottom: 1px solid var(--rule);
          background: var(--tint); font-family: system-ui, "DejaVu Sans", sans-serif; font-size: 0.75rem; color: var(--muted); border-radius: 6px 6px 0 0; }
        .cell-head a { color: var(--muted); text-decoration: none; }
        .check-result { margin-left: auto; font-weight: 700; font-size: 0.8rem; padding: 0.05rem 0.6rem; border-radius: 999px; }
        .check-result.pass { color: var(--pass); background: #dafbe1; }
        .check-result.fail { color: var(--fail); background: #ffebe9; }
        .exercise-label { margin-left: auto; font-weight: 700; color: var(--accent); }
        .cell.exercise { border-color: #9fbfe6; }
        .cell.check { border-color: #b7dfc0; }
        pre { margin: 0; overflow-x: auto; font-family: "DejaVu Sans Mono", "Consolas", monospace; font-size: 0.78rem; line-height: 1.45; }
        pre.source { padding: 0.7rem 0.9rem; background: var(--code); }
        pre.source code, .cell.markdown pre code { background: none; padding: 0; font-size: inherit; }
        .cell.markdown pre { margin: 0 0 0.9rem; padding: 0.6rem 0.9rem; background: var(--code); border-radius: 4px; font-size: 0.8rem; }
        .kw { color: #0b4fa3; font-weight: 600; } .str { color: #0a6b3a; } .num { color: #9a3b00; }
        .com { color: #6a737d; font-style: italic; } .dir { color: #6f42c1; } .fn { color: #7a3e9d; } .ty { color: #1b6f7a; }
        .outputs { border-top: 1px solid var(--rule); padding: 0.5rem 0.9rem; }
        .outputs > * + * { margin-top: 0.5rem; }
        pre.output { white-space: pre-wrap; word-break: break-word; }
        pre.stderr, pre.error { color: var(--fail); }
        .output.html { overflow-x: auto; font-family: system-ui, "DejaVu Sans", sans-serif; }
        .output.chart { overflow-x: auto; }
        .output.chart .backprop-chart { min-width: 0; }
        details.setup { margin: 1rem 0; font-family: system-ui, "DejaVu Sans", sans-serif; font-size: 0.9rem; }
        details.setup summary { cursor: pointer; color: var(--muted); }
        .pager { display: flex; justify-content: space-between; gap: 1rem; margin-top: 3rem; padding-top: 1rem; border-top: 1px solid var(--rule);
          font-family: system-ui, "DejaVu Sans", sans-serif; }
        .pager .next { margin-left: auto; text-align: right; }
        .lesson-map { list-style: none; padding: 0; counter-reset: lesson; }
        .lesson-map li { margin: 0 0 1.25rem; padding: 0.9rem 1.1rem; border: 1px solid var(--rule); border-radius: 8px; }
        .lesson-map .lesson-title { font-family: system-ui, "DejaVu Sans", sans-serif; font-size: 1.15rem; font-weight: 700; }
        .lesson-map .lesson-summary p { margin: 0.4rem 0 0.3rem; }
        .lesson-facts { font-family: system-ui, "DejaVu Sans", sans-serif; font-size: 0.8rem; color: var(--muted); }
        @media (max-width: 60rem) {
          .book { display: block; }
          nav.toc { position: static; height: auto; border-right: none; border-bottom: 1px solid var(--rule); }
          main { padding: 1rem; }
        }
        """;
}
