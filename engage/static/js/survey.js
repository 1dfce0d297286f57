/* Engage survey page, optional: the survey works without it.
   1. Keeps what is typed on this page in localStorage, puts it back into empty fields
      if a reload lost it, and forgets it once the page is sent.
   2. Sends the form with fetch. If the connection drops, it says so, keeps the form,
      and tries again (backoff, back online, or another tap). The server keeps one
      response per draft, so a retry never stores twice. */
(function () {
  "use strict";
  var retry = null, shown = location.pathname;

  function store() { try { return window.localStorage; } catch (e) { return null; } }

  function fields(form) {
    return [].filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrf_token" && !el.closest(".hp") &&
        !/^(submit|button|hidden)$/.test(el.type);
    });
  }

  function isBox(el) { return el.type === "checkbox" || el.type === "radio"; }

  function collect(form) {
    var data = {};
    fields(form).forEach(function (el) {
      var list = data[el.name] || (data[el.name] = []);
      if (!isBox(el)) list.push(el.value);
      else if (el.checked) list.push(el.value);
    });
    return data;
  }

  function restore(form, saved) {
    var groups = {};
    fields(form).forEach(function (el) {
      (groups[el.name] = groups[el.name] || []).push(el);
    });
    Object.keys(groups).forEach(function (name) {
      var els = groups[name], values = saved[name];
      if (!values || !values.join("")) return;
      var empty = els.every(function (el) { return isBox(el) ? !el.checked : !el.value; });
      if (!empty) return;
      els.forEach(function (el, i) {
        if (isBox(el)) el.checked = values.indexOf(el.value) >= 0;
        else if (values[i] !== undefined) el.value = values[i];
      });
    });
  }

  function enhance(form) {
    var s = store(), key = "engage:" + form.getAttribute("data-draft");
    var status = form.querySelector("[data-status]");
    var busy = false, timer = 0, delay = 0, clicked = null, action = null;

    if (s) {
      try { restore(form, JSON.parse(s.getItem(key) || "{}")); } catch (e) { /* ignore */ }
      var save = function () {
        try { s.setItem(key, JSON.stringify(collect(form))); } catch (e) { /* full */ }
      };
      form.addEventListener("input", save);
      form.addEventListener("change", save);
    }
    function forget() { try { if (s) s.removeItem(key); } catch (e) { /* ignore */ } }

    function say(text) { if (status.textContent !== text) status.textContent = text; }

    function show(res, html) {
      if (res.ok) forget();
      var doc = new DOMParser().parseFromString(html, "text/html");
      if (res.url && res.url !== location.href) history.pushState(null, "", res.url);
      shown = location.pathname;
      document.title = doc.title;
      document.documentElement.lang = doc.documentElement.lang;
      document.documentElement.dir = doc.documentElement.dir;
      document.body.replaceWith(doc.body);
      window.scrollTo(0, 0);
      // After an error, the summary of what to fix; otherwise the page's content.
      var to = document.querySelector(".error-summary") || document.getElementById("main");
      if (to) to.focus();
      init();
    }

    function failed() {
      busy = false;
      say(form.getAttribute("data-offline"));
      delay = Math.min(delay ? delay * 2 : 2000, 30000);
      timer = setTimeout(send, delay);
      retry = send;
    }

    function send() {
      clearTimeout(timer);
      if (busy) return;
      busy = true;
      retry = null;
      var body = new URLSearchParams(new FormData(form));
      if (action && action.name) body.append(action.name, action.value);
      var ctrl = window.AbortController ? new AbortController() : null;
      var limit = ctrl && setTimeout(function () { ctrl.abort(); }, 20000);
      fetch(location.href, {
        method: "POST", body: body, credentials: "same-origin", signal: ctrl && ctrl.signal
      }).then(function (res) {
        return res.text().then(function (html) { clearTimeout(limit); show(res, html); });
      }).catch(function () { clearTimeout(limit); failed(); });
    }

    form.addEventListener("click", function (event) {
      clicked = event.target.closest("button[type=submit], button:not([type])");
    });
    form.addEventListener("submit", function (event) {
      if (!window.fetch || !window.URLSearchParams || !window.DOMParser) return forget();
      event.preventDefault();
      action = event.submitter || clicked;
      if (retry) { say(form.getAttribute("data-retrying")); delay = 0; }
      send();
    });
  }

  function init() {
    var form = document.querySelector("form[data-draft]");
    if (form) enhance(form);
  }

  window.addEventListener("online", function () { if (retry) retry(); });
  window.addEventListener("popstate", function () {
    // A page swapped in by fetch has its own address: going back loads the real one.
    if (location.pathname !== shown) location.reload();
  });
  init();
})();
