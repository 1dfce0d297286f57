/* Engage interviews without a connection, optional: without it (or without storage)
   each interview is posted when it is saved, like any form.
   1. Saving keeps the interview in localStorage, in a queue, with its own random key,
      and clears the form for the next one. What is being typed is kept too.
   2. The queue is sent, one interview at a time, when the page opens, when the
      connection comes back, and on the "Send now" button. An interview leaves the
      queue only when the server says it is stored (201, or 200: stored before, since
      its key makes a resend harmless). One the server refuses stays, with its reasons,
      to be corrected; an ended session stops the sending and keeps everything. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-offline-form]");
  var box = document.querySelector("[data-queue]");
  var s = null;
  try {
    s = window.localStorage;
    s.setItem("engage:probe", "1");
    s.removeItem("engage:probe");
  } catch (e) { s = null; }
  if (!form || !box || !s || !window.fetch || !window.Promise) return;

  var QUEUE = "engage:offline:" + form.getAttribute("data-survey");
  var DRAFT = QUEUE + ":draft", PLACE = QUEUE + ":place";
  var url = form.getAttribute("data-sync"), lang = form.getAttribute("data-language");
  // On a shared phone each interviewer sends the interviews they took down, so that each
  // response names who entered it; the others' wait for them to sign in.
  var me = Number(form.getAttribute("data-interviewer")) || null;
  function mine(item) { return !item.interviewer || item.interviewer === me; }
  var questions = form.querySelector("[data-questions]");
  var place = form.querySelector("[name='interview:place']");
  var note = form.querySelector("[data-correcting-note]");
  var count = box.querySelector("[data-count]"), problem = box.querySelector("[data-problem]");
  var signin = box.querySelector("[data-signin]"), list = box.querySelector("[data-refused-list]");
  var sending = false, timer = 0, delay = 0, editing = null, started = null;

  function text(name) { return box.getAttribute("data-" + name) || ""; }
  function read(key, fallback) {
    try { return JSON.parse(s.getItem(key)) || fallback; } catch (e) { return fallback; }
  }
  function queue() { return read(QUEUE, []); }
  function find(key) { return queue().filter(function (i) { return i.key === key; })[0]; }
  function change(key, update) { // update(item) returns the new item, or null to drop it
    var items = [];
    queue().forEach(function (item) {
      var kept = item.key === key ? update(item) : item;
      if (kept) items.push(kept);
    });
    s.setItem(QUEUE, JSON.stringify(items));
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16)), h = [];
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    for (var i = 0; i < 16; i++) h.push((b[i] + 256).toString(16).slice(1));
    h = h.join("");
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }

  function fields() {
    return [].filter.call(questions.querySelectorAll("input, select, textarea"), function (el) {
      return el.name;
    });
  }
  function isBox(el) { return el.type === "checkbox" || el.type === "radio"; }
  function collect() {
    var data = {};
    fields().forEach(function (el) {
      var list = data[el.name] || (data[el.name] = []);
      if (!isBox(el) || el.checked) list.push(el.value);
    });
    return data;
  }
  function fill(data) {
    var seen = {};
    fields().forEach(function (el) {
      var values = data[el.name] || [], i = seen[el.name] = (seen[el.name] || 0);
      if (isBox(el)) el.checked = values.indexOf(el.value) >= 0;
      else if (el.type !== "hidden") { el.value = values[i] === undefined ? "" : values[i]; seen[el.name] = i + 1; }
    });
    // choices.js offers again the options these answers allow
    document.dispatchEvent(new CustomEvent("engage:filled"));
  }
  function blank(data) {
    return !Object.keys(data).some(function (k) { return data[k].join("") !== ""; });
  }

  function say(el, message) { if (el.textContent !== message) el.textContent = message; }
  function keepDraft() {
    try {
      s.setItem(DRAFT, JSON.stringify({ fields: collect(), editing: editing, started: started }));
      s.setItem(PLACE, place.value);
    } catch (e) { /* full: the form still holds it */ }
  }

  function render() {
    var items = queue(), refused = items.filter(function (i) { return i.refused; });
    var held = items.filter(function (i) { return !mine(i); }).length;
    box.hidden = false;
    say(count, items.length ? text("waiting").replace("{n}", items.length) : text("all-sent"));
    say(box.querySelector("[data-held-count]"), held ? text("held").replace("{n}", held) : "");
    list.textContent = "";
    refused.forEach(function (item) {
      var li = document.createElement("li"), p = document.createElement("p");
      var when = new Date(item.finished_at).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" });
      p.textContent = text("refused-time").replace("{time}", when) + " " + text("refused");
      li.appendChild(p);
      li.appendChild(reasons(item.refused));
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button--secondary";
      button.textContent = text("correct");
      button.addEventListener("click", function () { correct(item.key); });
      li.appendChild(button);
      list.appendChild(li);
    });
  }

  function reasons(refused) {
    var ul = document.createElement("ul");
    (refused.errors && refused.errors.length ? refused.errors : [{ message: refused.title }])
      .forEach(function (e) {
        var li = document.createElement("li");
        li.textContent = (e.label ? e.label + " " : "") + e.message;
        ul.appendChild(li);
      });
    return ul;
  }

  function correct(key, restored) { // restored: the form already holds the correction
    var item = find(key);
    if (!item) return render();
    if (!restored && editing !== key && !blank(collect())) return say(problem, text("busy"));
    editing = key;
    if (!restored) {
      fill(item.fields);
      place.value = item.place || "";
    }
    say(note, text("correcting"));
    note.hidden = false;
    note.appendChild(reasons(item.refused || {}));
    keepDraft();
    var first = item.refused && item.refused.errors && item.refused.errors[0];
    var target = (first && document.getElementById(first.field)) || questions;
    target.scrollIntoView();
    if (target.focus) target.focus();
  }

  function save(event) {
    event.preventDefault();
    if (blank(collect())) return; // a second tap on a form just cleared: nothing to keep
    var now = new Date().toISOString(), old = editing && find(editing);
    var item = {
      key: old ? old.key : uuid(),
      interviewer: old ? old.interviewer : me,
      language: old ? old.language : lang,
      place: place.value.trim(),
      fields: collect(),
      started_at: old ? old.started_at : started || now,
      finished_at: old ? old.finished_at : now
    };
    try {
      var items = queue().filter(function (i) { return i.key !== item.key; });
      items.push(item);
      s.setItem(QUEUE, JSON.stringify(items));
    } catch (e) { return say(problem, text("full")); }
    editing = started = null;
    fill({});
    note.hidden = true;
    s.removeItem(DRAFT);
    say(problem, "");
    render();
    say(box.querySelector("[data-message]"), text("saved"));
    window.scrollTo(0, 0);
    box.focus();
    send(false);
  }

  function call(method, headers, body) {
    headers.Accept = "application/json";
    return fetch(url, {
      method: method, headers: headers, body: body,
      credentials: "same-origin", redirect: "manual", cache: "no-store"
    });
  }

  function token() {
    return call("GET", {}).then(function (res) {
      if (!res.ok) throw { status: res.status };
      return res.json().then(function (body) { return body.csrf_token; });
    });
  }

  function sendOne(item, csrf) {
    var body = JSON.stringify({
      language: item.language, place: item.place, fields: item.fields, interviewer: item.interviewer,
      started_at: item.started_at, finished_at: item.finished_at
    });
    var headers = { "Content-Type": "application/json", "X-CSRFToken": csrf, "Idempotency-Key": item.key };
    return call("POST", headers, body).then(function (res) {
      if (res.status === 201 || res.status === 200) return change(item.key, function () { return null; });
      return res.json().catch(function () { return {}; }).then(function (body) {
        var error = body.error || {};
        if (error.code === "other_interviewer") return; // theirs to send: it stays
        var refused = res.status === 422 || (res.status === 409 && error.code !== "survey_closed");
        if (!refused) throw { status: res.status, error: error };
        change(item.key, function (kept) {
          kept.refused = { title: error.title, errors: error.errors || [] };
          return kept;
        });
      });
    });
  }

  function send(all) {
    if (sending) return;
    var items = queue().filter(function (i) {
      return (all || !i.refused) && i.key !== editing && mine(i);
    });
    if (!items.length) return render();
    clearTimeout(timer);
    if (navigator.onLine === false) return say(problem, text("offline"));
    sending = true;
    say(problem, text("sending"));
    token().then(function (csrf) {
      return items.reduce(function (done, item) {
        return done.then(function () { return sendOne(item, csrf); });
      }, Promise.resolve());
    }).then(function () {
      sending = false;
      delay = 0;
      signin.hidden = true;
      say(problem, "");
      render();
    }, function (why) {
      sending = false;
      render();
      var status = why && why.status;
      if (status === 0 || status === 401 || status === 403) {
        signin.hidden = false; // a new session: the queue stays, sent once signed in
        return say(problem, "");
      }
      if (why && why.error && why.error.code === "survey_closed") return say(problem, why.error.title);
      say(problem, status ? text("failed") : text("offline"));
      delay = Math.min(delay ? delay * 2 : 5000, 60000);
      timer = setTimeout(function () { send(false); }, delay);
    });
  }

  function keepForOffline() { // this page opens again without a connection
    var worker = form.getAttribute("data-worker");
    if (!worker || !navigator.serviceWorker || !window.caches) return;
    navigator.serviceWorker.register(worker).then(function () {
      return caches.open("engage-offline-v1");
    }).then(function (cache) {
      // The worker keeps each page it serves; what it has not served yet is kept here.
      var urls = [location.href.split("#")[0]].concat([].map.call(
        document.querySelectorAll("link[rel=stylesheet], script[src]"),
        function (el) { return el.href || el.src; }));
      urls.forEach(function (u) {
        cache.match(u).then(function (found) {
          return found || fetch(u, { credentials: "same-origin" }).then(function (res) {
            if (res.ok && !res.redirected) return cache.put(u, res);
          });
        }).catch(function () { /* offline now: kept from the last visit */ });
      });
    }).catch(function () { /* no worker (http, private mode): the page works while open */ });
  }

  var draft = read(DRAFT, null);
  if (draft) {
    fill(draft.fields || {});
    started = draft.started || null;
    if (draft.editing && find(draft.editing)) correct(draft.editing, true);
  }
  if (s.getItem(PLACE) !== null) place.value = s.getItem(PLACE);
  [].forEach.call(document.querySelectorAll("[data-without-script]"), function (el) { el.hidden = true; });
  form.addEventListener("input", function () { started = started || new Date().toISOString(); keepDraft(); });
  form.addEventListener("change", keepDraft);
  form.addEventListener("submit", save);
  box.querySelector("[data-send]").addEventListener("click", function () { send(true); });
  window.addEventListener("online", function () { send(false); });
  render();
  send(false);
  keepForOffline();
})();
