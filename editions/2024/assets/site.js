// Vega, Vega-Lite and vega-embed (one shared bundle, 1 MB) load only on pages with charts;
// the bundle draws them.
(function () {
  if (!document.querySelector(".vega-chart")) return;
  var vega = document.createElement("script");
  vega.src = document.currentScript.src.replace(/site\.js$/, "vega.js");
  document.body.appendChild(vega);
})();

// The task explorer's script loads only on the page that has one (Plan 46 tasks).
(function () {
  if (!document.querySelector(".task-explorer")) return;
  var script = document.createElement("script");
  script.src = document.currentScript.src.replace(/site\.js$/, "tasks.js");
  document.body.appendChild(script);
})();

// The page's tools (language switch, search box) come with its content, the same from both
// renderers; they belong in the page's header: pandoc's `.site-header`, or Quarto's navbar.
// Without scripts they stay at the top of the content.
(function () {
  var tools = document.querySelector(".page-tools");
  var header = document.querySelector(".site-header") ||
    document.querySelector("#quarto-header .navbar-collapse") ||
    document.querySelector("#quarto-header .navbar .container-fluid");
  if (tools && header) {
    header.appendChild(tools);
    tools.classList.add("in-header");
  }
})();

// Search box (pagefind; it needs a web server, so it stays quiet under file://).
(function () {
  var box = document.getElementById("search");
  if (box && window.PagefindUI && location.protocol !== "file:") {
    new PagefindUI({ element: "#search", showImages: false, resetStyles: false,
                     translations: { placeholder: box.dataset.placeholder } });
    // pagefind names its input by `title` alone, which assistive technology may not read
    // (axe: label-title-only): the same words as its accessible name.
    var input = box.querySelector("input");
    if (input) input.setAttribute("aria-label", box.dataset.placeholder);
  }
})();

// A figure's source and quote (its `title`) in one pop-up, on hover and on keyboard focus (a
// tap focuses it on a phone), kept inside the screen: below the figure, above it where the
// screen has no room below, its left edge moved in so that its right edge stays on screen.
(function () {
  var figures = document.querySelectorAll(".fig[title]");
  if (!figures.length) return;
  var MARGIN = 8, GAP = 6;  // px from the screen's edges; from the figure
  var popup = document.createElement("div");
  popup.id = "fig-popup";
  popup.className = "fig-popup";
  popup.setAttribute("role", "tooltip");
  popup.hidden = true;
  document.body.appendChild(popup);
  document.documentElement.classList.add("fig-popups");
  var shown = null;

  function place() {
    var width = document.documentElement.clientWidth, height = window.innerHeight;
    var at = shown.getClientRects()[0] || shown.getBoundingClientRect();
    popup.style.left = "0px";  // measured where it has the whole width to take
    popup.style.top = "0px";
    var box = popup.getBoundingClientRect();
    var left = Math.max(MARGIN, Math.min(at.left, width - MARGIN - box.width));
    var top = at.bottom + GAP;
    if (top + box.height > height - MARGIN && at.top - GAP - box.height >= MARGIN) {
      top = at.top - GAP - box.height;
    }
    popup.style.left = left + "px";
    popup.style.top = top + "px";
  }
  function show(figure) {
    shown = figure;
    popup.textContent = figure.dataset.trace;
    popup.hidden = false;
    figure.setAttribute("aria-describedby", popup.id);
    place();
  }
  function hide(figure) {
    if (shown !== figure) return;
    popup.hidden = true;
    figure.removeAttribute("aria-describedby");
    shown = null;
  }
  figures.forEach(function (figure) {
    // The pop-up replaces the browser's own tooltip, which would show the same words again.
    figure.dataset.trace = figure.title;
    figure.removeAttribute("title");
    figure.addEventListener("mouseenter", function () { show(figure); });
    figure.addEventListener("mouseleave", function () {
      if (document.activeElement !== figure) hide(figure);
    });
    figure.addEventListener("focus", function () { show(figure); });
    figure.addEventListener("blur", function () { hide(figure); });
    figure.addEventListener("keydown", function (event) {
      if (event.key === "Escape") hide(figure);
    });
  });
  window.addEventListener("scroll", function () { if (shown) place(); }, { passive: true });
  window.addEventListener("resize", function () { if (shown) place(); });
})();

// The navigation's menus (pandoc's header): on a wide screen, where they are drop-downs over
// the page, one open at a time, closed by a click elsewhere; by Escape (focus back on the
// menu's label) on any screen. On a phone they open below their labels, as many as the reader
// likes.
(function () {
  var menus = Array.prototype.slice.call(document.querySelectorAll(".nav-menu details"));
  if (!menus.length) return;
  var wide = window.matchMedia("(min-width: 48rem)");  // site.css: where menus drop down
  function closeAll(except) {
    menus.forEach(function (menu) { if (menu !== except) menu.open = false; });
  }
  menus.forEach(function (menu) {
    menu.addEventListener("toggle", function () { if (menu.open && wide.matches) closeAll(menu); });
  });
  document.addEventListener("click", function (event) {
    if (wide.matches && !event.target.closest(".nav-menu")) closeAll(null);
  });
  document.addEventListener("keydown", function (event) {
    var open = menus.filter(function (menu) { return menu.open; })[0];
    if (event.key === "Escape" && open) {
      open.open = false;
      open.querySelector("summary").focus();
    }
  });
})();
