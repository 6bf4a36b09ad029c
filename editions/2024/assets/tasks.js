// The task explorer (Plan 46 tasks page): filters the table of every task by group, lead
// agency, deadline kind and status, and by its words. Everything it needs is in the page:
// each row's data attributes, the filters' options, the sentence that counts the rows
// (data-count-text, in the page's language). The filters live in the page's address
// (?group=3&lead=…&status=past_due&q=…), so a filtered view can be linked, and a link
// restores it. Without this script the page shows the whole table.
(function () {
  var box = document.querySelector(".task-explorer");
  if (!box) return;
  var form = box.querySelector(".task-filters");
  var count = box.querySelector(".task-count");
  var rows = Array.prototype.slice.call(box.querySelectorAll("tr.task"));
  var bodies = Array.prototype.slice.call(box.querySelectorAll("tbody[data-group]"));
  var fields = ["q", "group", "lead", "kind", "status"];

  // Search ignores case and diacritics ("tien si" finds "tiến sĩ"; đ reads as d).
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d")
      .replace(/Đ/g, "D").toLowerCase().replace(/\s+/g, " ").trim();
  }
  var texts = rows.map(function (row) { return fold(row.textContent); });

  function state() {
    var found = {};
    fields.forEach(function (name) { found[name] = form.elements[name].value.trim(); });
    return found;
  }

  function matches(row, i, s) {
    if (s.group && row.dataset.group !== s.group) return false;
    if (s.lead && row.dataset.leads.split(" ").indexOf(s.lead) < 0) return false;
    if (s.kind && row.dataset.kind !== s.kind) return false;
    if (s.status && row.dataset.status !== s.status) return false;
    if (s.q) {
      var words = fold(s.q).split(" ");
      for (var w = 0; w < words.length; w++) if (texts[i].indexOf(words[w]) < 0) return false;
    }
    return true;
  }

  function apply(record) {
    var s = state();
    var shown = 0;
    rows.forEach(function (row, i) {
      var on = matches(row, i, s);
      row.hidden = !on;
      if (on) shown++;
    });
    // A group's heading row shows while one of its tasks does.
    bodies.forEach(function (body) {
      body.hidden = !body.querySelector("tr.task:not([hidden])");
    });
    count.textContent = box.dataset.countText
      .replace("{shown}", shown).replace("{total}", box.dataset.total);
    if (record) {
      var params = new URLSearchParams(location.search);
      fields.forEach(function (name) {
        if (s[name]) params.set(name, s[name]); else params.delete(name);
      });
      var query = params.toString();
      history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
    }
  }

  // The address's filters, and only they: a filter the address does not name is cleared
  // (a browser may restore the controls of an earlier visit); a value no option offers is
  // left out.
  var params = new URLSearchParams(location.search);
  fields.forEach(function (name) {
    var value = params.get(name);
    var field = form.elements[name];
    if (value === null || (field.tagName === "SELECT" &&
        !Array.prototype.some.call(field.options, function (o) { return o.value === value; }))) {
      value = "";
    }
    field.value = value;
  });
  form.hidden = false;
  form.addEventListener("input", function () { apply(true); });
  form.addEventListener("change", function () { apply(true); });
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(true); });
  form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
  apply(false);
  // A linked task (#task-57) hidden by the filters is shown anyway: the link names it.
  var target = location.hash && document.getElementById(location.hash.slice(1));
  if (target && target.hidden) {
    form.reset();
    apply(true);
    target.scrollIntoView();
  }
})();
