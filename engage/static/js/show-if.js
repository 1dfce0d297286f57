/* Engage survey page, optional: hides a question that depends on an answer on the same
   page until that answer is given (data-show-if holds the condition, as in
   surveys/conditions.py). Without it the question stays visible, says when to answer
   it, and the server ignores it when its condition is false. */
(function () {
  "use strict";

  function answers(form, code) {
    return [].filter.call(form.elements, function (el) {
      var box = el.type === "checkbox" || el.type === "radio";
      return (el.name === code || el.name.indexOf(code + "__") === 0 && el.name !== code + "__other") &&
        (box ? el.checked : el.value.trim() !== "");
    }).map(function (el) { return el.value.trim(); });
  }

  function same(a, b) {
    var x = parseFloat(a), y = parseFloat(b);
    return a === String(b) || (!isNaN(x) && !isNaN(y) && x === y && /^-?[\d.]+$/.test(a));
  }

  function holds(c, form) {
    if (c.all) return c.all.every(function (d) { return holds(d, form); });
    if (c.any) return c.any.some(function (d) { return holds(d, form); });
    if (c.not) return !holds(c.not, form);
    var got = answers(form, c.question), given = got.length > 0, op = c.op;
    var multi = !!form.querySelector("input[type=checkbox][name='" + c.question + "']");
    var eq = given && (multi ? got.length === 1 : true) && same(got[0], c.value);
    if (op === "answered") return given;
    if (op === "not_answered") return !given;
    if (op.indexOf("count_") === 0) {  // how many boxes are ticked; none when unanswered
      var k = got.length, m = c.value;
      return { count_equals: k === m, count_not_equals: k !== m, count_gt: k > m,
        count_gte: k >= m, count_lt: k < m, count_lte: k <= m }[op] === true;
    }
    if (op === "not_equals") return !eq;
    if (!given) return false;
    if (op === "equals") return eq;
    if (op === "in") return got.some(function (a) { return c.value.some(function (v) { return same(a, v); }); });
    if (op === "contains") {
      return multi ? got.some(function (a) { return same(a, c.value); })
        : got[0].toLowerCase().indexOf(String(c.value).toLowerCase()) >= 0;
    }
    var n = parseFloat(got[0]);
    if (isNaN(n)) return false;
    return { gt: n > c.value, gte: n >= c.value, lt: n < c.value, lte: n <= c.value }[op] === true;
  }

  function apply() {
    var form = document.querySelector("form[data-draft]");
    if (!form) return;
    [].forEach.call(form.querySelectorAll("[data-show-if]"), function (el) {
      try { el.hidden = !holds(JSON.parse(el.getAttribute("data-show-if")), form); } catch (e) { el.hidden = false; }
    });
  }

  document.addEventListener("input", apply);
  document.addEventListener("change", apply);
  // survey.js swaps in the next page's <body>: check the new page's questions too.
  if (window.MutationObserver) new MutationObserver(apply).observe(document.documentElement, { childList: true });
  apply();
})();
