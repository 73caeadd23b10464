// The web book's charts fit their column. A chart output calls Plotly.newPlot with the size the notebook drew it at
// (about 880 px wide); in the book, Plotly.newPlot draws it as wide as its box instead and redraws it when the window
// changes (Plotly's responsive layout), the notebook's outputs unchanged. Titles too long for the width are wrapped (Plotly
// does not); in a narrow column (a phone) the margins and fonts shrink, the legend moves under the plot, the chart
// growing by its rows, and panels side by side (a grid of one row) are stacked, each as wide as the column.
(function () {
  var narrow = 560;   // px: a column narrower than this is a phone's
  var newPlot = Plotly.newPlot;
  var charts = [];

  function copy(value) { return value === undefined ? undefined : JSON.parse(JSON.stringify(value)); }

  // The layout for a box `width` px wide, from the chart's own layout (which is not changed).
  function fitted(data, layout, width) {
    var fit = copy(layout) || {};
    delete fit.width;
    fit.autosize = true;
    var small = width < narrow;
    var title = fit.title && (typeof fit.title === "string" ? { text: fit.title } : fit.title);
    if (title && title.text) {
      var size = small ? 13 : (title.font && title.font.size) || 17;
      fit.title = Object.assign(title, { text: wrapped(title.text, Math.floor(width / (0.55 * size))), font: Object.assign({}, title.font, { size: size }) });
    }

    if (!small) {
      return withWrappedAxisTitles(fit, width, 7);
    }

    // The legend under everything, anchored to the chart's bottom edge, the chart taller by the legend's rows.
    var legend = legendHeight(data, width - 24);
    fit.legend = Object.assign(fit.legend || {}, { orientation: "h", x: 0, xanchor: "left", y: 0, yanchor: "bottom", yref: "container" });
    fit.margin = Object.assign({}, fit.margin, { l: 48, r: 12, b: 72 + legend });
    fit.height = (fit.height || 450) + legend;
    fit.font = Object.assign({}, fit.font, { size: 11 });
    stacked(fit);
    return withWrappedAxisTitles(fit, width, 6.5);
  }

  // A grid of one row and several panels, on a phone: one panel under the other (side by side, three panels of a 390 px
  // column are 90 px wide each, their tick labels turned on end). Each panel gets its own domain and anchors in place of
  // the grid; the panel titles (annotations on the top edge of the paper, one per column, left to right) move to the top of
  // their panel; a panel without a y title or tick labels takes the first panel's (beside each other they shared them). A grid whose axes
  // already have domains of their own is left as it is.
  function stacked(fit) {
    var grid = fit.grid;
    var n = grid && (grid.rows || 1) === 1 ? grid.columns || 1 : 1;
    var suffix = function (k) { return k === 1 ? "" : String(k); };
    var keys = [];
    for (var k = 1; k <= n; k++) {
      keys.push(["xaxis" + suffix(k), "yaxis" + suffix(k)]);
    }

    if (n < 2 || keys.some(function (pair) { return pair.some(function (key) { return fit[key] && fit[key].domain; }); })) {
      return;
    }

    var panel = 210, gap = 95;   // px: a panel's plot, and the room under it for its x ticks and title and the next panel's title
    var area = n * panel + (n - 1) * gap;
    var titleOf = function (axis) { return axis && axis.title && (typeof axis.title === "string" ? axis.title : axis.title.text); };
    var firstY = titleOf(fit.yaxis);
    var titles = (fit.annotations || []).filter(function (a) {
      return a.xref === "paper" && a.yref === "paper" && a.y === 1 && a.yanchor === "bottom";
    }).sort(function (a, b) { return a.x - b.x; });
    delete fit.grid;
    keys.forEach(function (pair, i) {
      var top = 1 - i * (panel + gap) / area;
      fit[pair[0]] = Object.assign(fit[pair[0]] || {}, { domain: [0, 1], anchor: "y" + suffix(i + 1) });
      fit[pair[1]] = Object.assign(fit[pair[1]] || {}, { domain: [top - panel / area, top], anchor: "x" + suffix(i + 1) });
      if (i > 0 && firstY && !titleOf(fit[pair[1]])) {
        fit[pair[1]].title = Object.assign({}, typeof fit.yaxis.title === "string" ? { text: firstY } : fit.yaxis.title);
      }

      if (i > 0 && fit[pair[1]].showticklabels === false && fit.yaxis.showticklabels !== false) {
        fit[pair[1]].showticklabels = true;   // beside the first panel it shared its tick labels
      }

      if (titles.length === n) {
        titles[i].x = 0.5;
        titles[i].y = top;
      }
    });
    fit.height = ((fit.margin && fit.margin.t) || 100) + area + fit.margin.b;
  }

  // About how many pixels a horizontal legend of the traces' names takes `width` px wide (rows of ~19 px).
  function legendHeight(data, width) {
    var rows = 0, used = width;
    (data || []).filter(function (trace) { return trace.showlegend !== false && trace.name; }).forEach(function (trace) {
      var item = 45 + 6.5 * String(trace.name).replace(/<[^>]*>/g, "").length;
      if (used + item > width) {
        rows++;
        used = 0;
      }

      used += item;
    });
    return rows * 19 + (rows > 0 ? 8 : 0);
  }

  // Axis titles longer than their axis (at about `charWidth` px a character) on several lines.
  function withWrappedAxisTitles(fit, width, charWidth) {
    var columns = (fit.grid && fit.grid.columns) || 1;
    var rows = (fit.grid && fit.grid.rows) || 1;
    var plot = { x: width - 100, y: (fit.height || 450) - 180 };
    Object.keys(fit).filter(function (key) { return /^[xy]axis\d*$/.test(key) && fit[key] && fit[key].title; }).forEach(function (key) {
      var axis = fit[key];
      var title = typeof axis.title === "string" ? { text: axis.title } : axis.title;
      var domain = axis.domain || [0, 1 / (key[0] === "x" ? columns : rows)];
      if (title.text) {
        axis.title = Object.assign(title, { text: wrapped(title.text, Math.floor(plot[key[0]] * (domain[1] - domain[0]) / charWidth)) });
      }
    });
    return fit;
  }

  // A title on lines of at most `columns` characters (Plotly does not wrap titles); one with line breaks is kept.
  function wrapped(text, columns) {
    if (text.length <= columns || /<br/i.test(text)) {
      return text;
    }

    var visible = function (html) { return html.replace(/<[^>]*>/g, "").length; };
    var lines = [""];
    text.split(" ").forEach(function (word) {
      var line = lines[lines.length - 1];
      if (line && visible(line) + 1 + visible(word) > columns) {
        lines.push(word);
      } else {
        lines[lines.length - 1] = line ? line + " " + word : word;
      }
    });
    return lines.join("<br>");
  }

  function boxOf(target) { return typeof target === "string" ? document.getElementById(target) : target; }

  Plotly.newPlot = function (target, data, layout, config) {
    var box = boxOf(target);
    var fit = fitted(data, layout, box.clientWidth || 700);   // a box not shown yet (a folded cell) draws at Plotly's default
    var chart = { box: box, layout: layout, config: Object.assign({}, config, { responsive: true }), fit: JSON.stringify(fit) };
    charts.push(chart);
    return newPlot.call(Plotly, box, data, fit, chart.config);
  };

  // Plotly's responsive layout follows the width; where the width also changes the legend, margins or wrapped titles
  // (crossing the phone's width, say), the chart is drawn again with its new layout.
  var pending = 0;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () {
      charts.forEach(function (chart) {
        var fit = fitted(chart.box.data, chart.layout, chart.box.clientWidth || 700);
        var text = JSON.stringify(fit);
        if (text !== chart.fit && chart.box.data) {
          chart.fit = text;
          Plotly.react(chart.box, chart.box.data, fit, chart.config);
        }
      });
    }, 150);
  });
})();
