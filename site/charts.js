// The site's charts: bundled after Vega, Vega-Lite and vega-embed into assets/vega.js, which
// site.js loads only on pages with charts. Draws each chart from its inline spec (the SVG
// image inside stays for readers without JavaScript).
//
// The layout's numbers are not written here: the page carries them as JSON
// (`<script type="application/json" id="chart-layout">`, analysis.site.stage.chart_layout_numbers:
// the narrow layout the 85 mm export follows, the theme's smallest text, the smallest a
// screen shows).
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

// A chart fills its column, its text no smaller than `screen_text_px`: it is laid out at the
// column's width divided by the scale that brings the theme's smallest text (`text_px`) to
// that size, then its SVG is scaled by CSS to the column (site.css). A layout is never
// narrower than the narrowest the exports are checked at (the 85 mm column), unless the
// column itself is: on a phone the text then grows less.
function layoutWidth(layout, column) {
  var scale = layout.screen_text_px / layout.text_px;
  return Math.min(column, Math.max(layout.narrowest_px, Math.floor(column / scale)));
}
// Axis labels keep a gap between them: on a layout wider than the chart was drawn, Vega
// places more ticks, and labels that would touch are thinned out (every other one).
var LABEL_GAP_PX = 6;
function laidOut(spec, width, narrow) {
  var config = spec.config || (spec.config = {});
  config.axis = Object.assign({ labelSeparation: LABEL_GAP_PX }, config.axis);
  // The right margin holds the axis's last number, which a wider layout may place at the
  // plot's end (and the value written after the longest bar).
  spec.padding = { left: 5, top: 5, bottom: 5, right: narrow.right_px };
  var drawn = spec.width;
  spec.width = width;
  if (width >= drawn) return spec;
  // Narrower than the chart was drawn: laid out as analysis.report.charts.narrow lays out
  // the 85 mm export, its text at its size.
  spec.title.text = wrap(spec.title.text, Math.floor(width / narrow.title_char_px));
  var axisLimit = Math.floor(width * narrow.axis_labels);
  config.axis = Object.assign({}, config.axis, { labelLimit: axisLimit });
  config.legend = Object.assign({}, config.legend,
    { columns: 1, labelLimit: width - axisLimit - narrow.legend_symbol_px });
  return spec;
}

// A highlighted series: on a chart's own page and its embed (`data-state="url"`), a reader
// highlights one series of a chart coloured by series (a source, a status, a kind of
// deadline) by its legend or the buttons above it; the others fade. The choice is kept in
// the page's address (`?highlight=<series>`), so a link shows the same view.
var HIGHLIGHT = "highlight";  // the address's parameter and the chart's
var FADED = 0.2;
function colorUnits(spec) {  // the chart's layers coloured by a field
  return (spec.layer || [spec]).filter(function (unit) {
    return unit.encoding && unit.encoding.color && unit.encoding.color.field;
  });
}
function withHighlight(spec, value) {
  var units = colorUnits(spec);
  if (!units.length) return false;
  var datum = "datum[" + JSON.stringify(units[0].encoding.color.field) + "]";
  spec.params = (spec.params || []).concat([{ name: HIGHLIGHT, value: value }]);
  var shown = HIGHLIGHT + " === null || toString(" + datum + ") === " + HIGHLIGHT;
  units.forEach(function (unit) {
    var faded = { condition: { test: shown, value: 1 }, value: FADED };
    ["fillOpacity", "strokeOpacity"].forEach(function (channel) {
      if (!unit.encoding[channel]) unit.encoding[channel] = faded;
    });
  });
  return true;
}
function addressHighlight() {
  return new URLSearchParams(location.search).get(HIGHLIGHT);
}
function keepInAddress(value) {
  var url = new URL(location.href);
  if (value === null) url.searchParams.delete(HIGHLIGHT);
  else url.searchParams.set(HIGHLIGHT, value);
  history.replaceState(history.state, "", url.href);
  document.dispatchEvent(new CustomEvent("chartstate"));  // the embed code follows
}
function highlightControls(el, view) {
  var domain = view.scale("color").domain().map(String);
  var box = el.parentNode.querySelector(".chart-highlight");
  var buttons = [];
  function set(value) {
    if (domain.indexOf(value) < 0) value = null;
    view.signal(HIGHLIGHT, value).runAsync();
    buttons.forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.value === (value === null ? "" : value)));
    });
    return value;
  }
  if (box) {
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", box.dataset.label);
    var label = document.createElement("span");
    label.textContent = box.dataset.label + ":";
    box.appendChild(label);
    [""].concat(domain).forEach(function (value) {
      var button = document.createElement("button");
      button.type = "button";
      button.dataset.value = value;
      button.textContent = value || box.dataset.none;
      button.addEventListener("click", function () { keepInAddress(set(value || null)); });
      box.appendChild(button);
      buttons.push(button);
    });
    box.hidden = false;
  }
  view.addEventListener("click", function (event, item) {
    var role = item && item.mark && item.mark.role;
    if (role !== "legend-symbol" && role !== "legend-label") return;
    var value = String(item.datum.value);
    keepInAddress(set(value === String(view.signal(HIGHLIGHT)) ? null : value));
  });
  var restored = set(addressHighlight());
  if (restored === null && addressHighlight() !== null) keepInAddress(null);  // not a series
}

// The drawn chart is named by its title and described by the figure's description, which
// stays in the accessibility tree behind its disclosure (`aria-describedby`).
function describe(el) {
  var svg = el.querySelector("svg");
  if (!svg) return;
  svg.setAttribute("aria-label", el.dataset.title);
  svg.setAttribute("aria-describedby", el.dataset.description);
}

function drawCharts() {
  var layout = chartLayout();
  document.querySelectorAll(".vega-chart").forEach(function (el) {
    var spec = JSON.parse(document.getElementById(el.dataset.spec).textContent);
    var options = (spec.usermeta && spec.usermeta.embedOptions) || {};
    if (layout && typeof spec.width === "number" && el.clientWidth > 0) {
      spec = laidOut(spec, layoutWidth(layout, el.clientWidth), layout);
    }
    // Vega names the drawing by the spec's description; the figure's holds it in full.
    spec.description = el.dataset.title;
    var stateful = el.dataset.state === "url" && withHighlight(spec, null);
    vegaEmbed(el, spec, options).then(function (result) {
      describe(el);
      if (stateful) highlightControls(el, result.view);
      el.classList.add("drawn");
    }).catch(function (err) { console.error(err); });
  });
}

// A chart's own page: the access date of its citation (today's, in the page's language) and
// the page's address where it is read, and the embed code with the embed's address and the
// chart's highlight. The static page holds placeholders: two builds stay identical.
function chartPage() {
  var lang = document.documentElement.lang;
  document.querySelectorAll(".access-date").forEach(function (el) {
    var today = new Date();
    el.textContent = new Intl.DateTimeFormat(lang, { dateStyle: "long" }).format(today);
  });
  if (/^https?:$/.test(location.protocol)) {
    document.querySelectorAll(".page-address").forEach(function (el) {
      el.textContent = location.origin + location.pathname;
    });
  }
  var code = document.getElementById("embed-code");
  if (code) {
    var template = code.value;
    var src = /src="([^"]*)"/.exec(template)[1];
    var update = function () {
      var url = new URL(src, location.href);
      var value = addressHighlight();
      if (value !== null) url.searchParams.set(HIGHLIGHT, value);
      code.value = template.replace(/src="[^"]*"/, 'src="' + url.href.replace(/&/g, "&amp;") + '"');
    };
    update();
    document.addEventListener("chartstate", update);
  }
  document.querySelectorAll(".copy-button").forEach(function (button) {
    var source = document.getElementById(button.dataset.copy), label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      source.select();
      var done = function () {
        button.textContent = button.dataset.copied;
        setTimeout(function () { button.textContent = label; }, 2000);
      };
      if (navigator.clipboard) navigator.clipboard.writeText(source.value).then(done, function () {});
      else if (document.execCommand("copy")) done();
    });
  });
}

// Vega measures text to lay a chart out: drawn before the page's font has loaded, labels
// are measured in a fallback font and drawn wider, past the chart's edge.
function drawWhenFontsReady() {
  chartPage();
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
