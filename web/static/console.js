// yuqing console: progressive enhancement only — every page works without this file.
(function () {
  "use strict";
  // Review queue keyboard shortcuts: j/k move, c confirm, d dismiss.
  var posts = Array.prototype.slice.call(document.querySelectorAll(".queue article.post"));
  var current = -1;
  function select(i) {
    if (!posts.length) return;
    if (current >= 0) posts[current].classList.remove("current");
    current = Math.max(0, Math.min(posts.length - 1, i));
    posts[current].classList.add("current");
    posts[current].focus();
    posts[current].scrollIntoView({ block: "nearest" });
  }
  function act(value) {
    if (current < 0) return;
    var btn = posts[current].querySelector('.act-confirm button[value="' + value + '"]');
    if (btn) btn.click();
  }
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (!posts.length || e.ctrlKey || e.metaKey || e.altKey) return;
    if (t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA")) return;
    if (e.key === "j") { select(current + 1); e.preventDefault(); }
    else if (e.key === "k") { select(current - 1); e.preventDefault(); }
    else if (e.key === "c") { act("confirm"); }
    else if (e.key === "d") { act("dismiss"); }
  });
  // Select all on the page.
  var all = document.querySelector(".select-all");
  if (all) all.addEventListener("change", function () {
    document.querySelectorAll('input[name="post_id"]').forEach(function (c) { c.checked = all.checked; });
  });
  // Similar posts load when their section is opened (the fragment is server-rendered and escaped).
  document.querySelectorAll("details.similar[data-src]").forEach(function (d) {
    d.addEventListener("toggle", function () {
      if (!d.open || d.dataset.loaded) return;
      d.dataset.loaded = "1";
      fetch(d.dataset.src, { credentials: "same-origin" }).then(function (r) { return r.text(); }).then(function (html) {
        var body = d.querySelector(".similar-body");
        var doc = new DOMParser().parseFromString(html, "text/html");
        body.replaceChildren.apply(body, Array.prototype.slice.call(doc.body.childNodes));
      });
    });
  });
  // Deadline countdowns tick once a minute.
  document.querySelectorAll("[data-due]").forEach(function (el) {
    // the page's "now" comes from the server's clock (a demo may run on a scenario clock)
    var skew = el.dataset.now ? Date.parse(el.dataset.now) - Date.now() : 0;
    function tick() {
      var ms = Date.parse(el.dataset.due) - (Date.now() + skew), over = ms < 0, s = Math.abs(ms) / 1000;
      var d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
      el.textContent = (over ? "已超期 " : "剩余 ") + (d ? d + "天" + h + "小时" : h + "小时" + m + "分");
      el.classList.remove("overdue", "soon", "ok");
      el.classList.add(over ? "overdue" : (ms < 86400000 ? "soon" : "ok"));
    }
    tick(); setInterval(tick, 60000);
  });
})();
