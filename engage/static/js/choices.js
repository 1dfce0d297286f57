/* Engage choices, optional: the forms work without it.
   1. An option's "please specify" box (data-specify holds the option's value) is shown
      only while that option is chosen: what is typed with another option is not kept,
      and the box's label says which option it belongs to for a page without script.
   2. A form that holds every page (the offline interview) offers, for a question with
      a choice filter (data-choice-filter, as in surveys/choice_filters.py), only the
      options the answers given above allow (data-attributes on each option); with none
      to offer, the question is not asked and is hidden. Without the script the options
      are grouped under the earlier answer each follows, and the server refuses any
      option the answers do not allow. */
(function () {
  "use strict";

  function isBox(el) { return el.type === "checkbox" || el.type === "radio"; }

  function values(form, code) {
    return [].filter.call(form.elements, function (el) {
      if (el.name !== code || el.disabled) return false;
      return isBox(el) ? el.checked : el.value.trim() !== "";
    }).map(function (el) { return el.value.trim(); });
  }

  function holds(clause, attributes, form) {
    var got = values(form, clause.question), mine = attributes[clause.attribute];
    if (clause.op === "selected_by") return mine !== undefined && got.indexOf(mine) >= 0;
    if (clause.op === "not_equals") return !got.length || mine !== got[0];
    return got.length > 0 && mine === got[0];
  }

  function filter(field, form) {
    var clauses;
    try { clauses = JSON.parse(field.getAttribute("data-choice-filter")); } catch (e) { return; }
    var offered = 0;
    [].forEach.call(field.querySelectorAll("[data-attributes]"), function (el) {
      var ok = false;
      try {
        var attributes = JSON.parse(el.getAttribute("data-attributes"));
        ok = clauses.every(function (c) { return holds(c, attributes, form); });
      } catch (e) { ok = true; }
      var input = el.tagName === "OPTION" ? el : el.querySelector("input");
      el.hidden = !ok;
      input.disabled = !ok;
      if (!ok && input.tagName === "INPUT") input.checked = false;
      if (ok) offered += 1;
    });
    [].forEach.call(field.querySelectorAll("select"), function (select) {
      var chosen = select.options[select.selectedIndex];
      if (chosen && chosen.disabled) select.value = "";
    });
    [].forEach.call(field.querySelectorAll("[data-choice-group]"), function (group) {
      group.hidden = !group.querySelector("[data-attributes]:not([hidden])");
    });
    [].forEach.call(field.querySelectorAll("[data-filter-hint]"), function (hint) { hint.hidden = true; });
    field.hidden = offered === 0; // nothing to offer: not asked
  }

  function specify(box, form) {
    var input = box.querySelector("input");
    if (!input) return;
    var code = input.name.replace(/__other$/, "");
    box.hidden = values(form, code).indexOf(box.getAttribute("data-specify")) < 0;
  }

  function apply() {
    [].forEach.call(document.querySelectorAll("form"), function (form) {
      // In page order: a filter looks only at questions above it.
      [].forEach.call(form.querySelectorAll("[data-choice-filter]"), function (field) { filter(field, form); });
      [].forEach.call(form.querySelectorAll("[data-specify]"), function (box) { specify(box, form); });
    });
  }

  document.addEventListener("input", apply);
  document.addEventListener("change", apply);
  document.addEventListener("engage:filled", apply); // offline.js put an interview back
  // survey.js swaps in the next page's <body>: check the new page's questions too.
  if (window.MutationObserver) new MutationObserver(apply).observe(document.documentElement, { childList: true });
  apply();
})();
