/* Engage interviews without a connection: the service worker that lets the offline
   page open again without a connection (a reload, a tab the phone closed). Network
   first, so a connected phone always gets the current survey; when the network fails,
   the copy kept at the last visit (the page, its CSS and script) is served, marked by
   an "X-Engage-Offline-Copy" header. Nothing else is touched: sending interviews, and
   every other page, go to the network as without it. */
"use strict";
var CACHE = "engage-offline-v1";
var PAGE = /\/interviews\/\d+\/offline$/;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) {
      return k.indexOf("engage-offline-") === 0 && k !== CACHE;
    }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function copy(cached) {
  var headers = new Headers(cached.headers);
  headers.set("X-Engage-Offline-Copy", "1");
  return new Response(cached.body, { status: cached.status, statusText: cached.statusText, headers: headers });
}

self.addEventListener("fetch", function (event) {
  var request = event.request, url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  var page = request.mode === "navigate" && PAGE.test(url.pathname);
  if (!page && url.pathname.indexOf("/static/") !== 0) return;
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && !response.redirected && response.type === "basic") {
      var kept = response.clone();
      caches.open(CACHE).then(function (cache) { return cache.put(request.url, kept); });
    }
    return response;
  }).catch(function (error) {
    return caches.open(CACHE).then(function (cache) {
      return cache.match(request.url).then(function (found) {
        return found || (page ? cache.match(request.url, { ignoreSearch: true }) : null);
      });
    }).then(function (found) {
      if (!found) throw error;
      return copy(found);
    });
  }));
});
