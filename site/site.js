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
