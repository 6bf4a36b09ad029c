// Search box (pagefind; it needs a web server, so it stays quiet under file://).
(function () {
  var box = document.getElementById("search");
  if (box && window.PagefindUI && location.protocol !== "file:") {
    new PagefindUI({ element: "#search", showImages: false, resetStyles: false,
                     translations: { placeholder: box.dataset.placeholder } });
  }
})();
