// The site's charts: bundled after Vega, Vega-Lite and vega-embed into assets/vega.js, which
// site.js loads only on pages with charts. Draws each chart from its inline spec (the SVG
// image inside stays for readers without JavaScript).
//
// The phone layout's numbers are not written here: the page carries them as JSON
// (`<script type="application/json" id="chart-layout">`, from analysis.report.charts.NARROW,
// the rule the 85 mm export follows).
function chartLayout() {
  var el = document.getElementById("chart-layout");
  if (!el) { console.error("no #chart-layout on a page with charts: charts keep their width"); }
  return el ? JSON.parse(el.textContent) : null;
}
function wrap(text, chars) {  // lines of at most `chars` characters, broken between words
  var lines = [], line = "";
  text.split(" ").forEach(function (word) {
    if (line && (line + " " + word).length > chars) { lines.push(line); line = word; }
    else { line = line ? line + " " + word : word; }
  });
  return lines.concat(line);
}
function drawCharts() {
  var narrow = chartLayout();
  document.querySelectorAll(".vega-chart").forEach(function (el) {
    var spec = JSON.parse(document.getElementById(el.dataset.spec).textContent);
    var options = (spec.usermeta && spec.usermeta.embedOptions) || {};
    // On a screen narrower than the chart (a phone), the chart is laid out to the screen's
    // width instead of being scaled down, as analysis.report.charts.narrow lays out the
    // 85 mm export: its text keeps its size.
    if (narrow && typeof spec.width === "number" && el.clientWidth > 0 && el.clientWidth < spec.width) {
      var width = el.clientWidth;
      spec.title.text = wrap(spec.title.text, Math.floor(width / narrow.title_char_px));
      spec.width = "container";
      spec.padding = { left: 5, top: 5, bottom: 5, right: narrow.right_px };
      var config = spec.config || (spec.config = {});
      var axisLimit = Math.floor(width * narrow.axis_labels);
      config.axis = Object.assign({}, config.axis, { labelLimit: axisLimit });
      config.legend = Object.assign({}, config.legend,
        { columns: 1, labelLimit: width - axisLimit - narrow.legend_symbol_px });
    }
    vegaEmbed(el, spec, options).catch(function (err) { console.error(err); });
  });
}
// Vega measures text to lay a chart out: drawn before the page's font has loaded, labels
// are measured in a fallback font and drawn wider, past the chart's edge.
function drawWhenFontsReady() {
  var fonts = document.fonts;
  if (!fonts) { drawCharts(); return; }
  Promise.all([fonts.load('10px "Noto Sans"'), fonts.load('bold 12px "Noto Sans"')])
    .then(drawCharts, drawCharts);
}
// site.js loads this bundle only on pages with charts, possibly after the page has loaded.
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", drawWhenFontsReady);
} else {
  drawWhenFontsReady();
}
