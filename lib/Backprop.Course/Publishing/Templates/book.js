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
