// yuqing console: progressive enhancement only — every page works without this file.
(function () {
  "use strict";
  // Review queue: actions without a reload (the forms still work without this script), an undo toast,
  // keyboard shortcuts: j/k move, c confirm, d dismiss, e correct, o open a case, x select, u undo.
  var queue = document.querySelector(".queue");
  var toast = document.getElementById("toast");
  var bulk = document.getElementById("bulk");
  var current = -1;
  var lastUndo = null;
  function cards() { return Array.prototype.slice.call(document.querySelectorAll(".queue article.post")); }
  function select(i) {
    var posts = cards();
    if (!posts.length) return;
    posts.forEach(function (p) { p.classList.remove("current"); });
    current = Math.max(0, Math.min(posts.length - 1, i));
    posts[current].classList.add("current");
    posts[current].focus();
    posts[current].scrollIntoView({ block: "nearest" });
  }
  function currentCard() { var posts = cards(); return current >= 0 && current < posts.length ? posts[current] : null; }
  function showToast(message, undoToken, link) {
    if (!toast) return;
    toast.replaceChildren();
    var text = document.createElement("span");
    text.className = "toast-text";
    text.textContent = message;
    toast.appendChild(text);
    if (link) {
      var a = document.createElement("a");
      a.href = link; a.textContent = "查看"; a.className = "toast-link";
      toast.appendChild(a);
    }
    if (undoToken) {
      var b = document.createElement("button");
      b.type = "button"; b.className = "link undo"; b.textContent = "撤销";
      b.addEventListener("click", function () { undo(undoToken); });
      toast.appendChild(b);
    }
    toast.classList.add("shown");
  }
  function post(url, data) {
    return fetch(url, { method: "POST", body: data, credentials: "same-origin",
                        headers: { "X-Requested-With": "fetch", "Accept": "application/json" } })
      .then(function (r) {
        return r.json().catch(function () { return { ok: false, message: "操作失败（" + r.status + "）" }; });
      });
  }
  // cards taken off the page, by undo token, to put back where they were
  var removed = {};
  function removeCards(ids) {
    var gone = [];
    cards().forEach(function (card, index) {
      var members = (card.dataset.members || "").split(",");
      if (members.some(function (m) { return ids.indexOf(m) >= 0; })) {
        gone.push({ card: card, index: index });
      }
    });
    gone.forEach(function (g) { g.card.remove(); });
    current = Math.min(current, cards().length - 1);
    if (current >= 0) select(current);
    return gone;
  }
  function undo(token) {
    var data = new FormData();
    data.append("csrf", bulk ? bulk.dataset.csrf : "");
    data.append("token", token);
    post("/review/undo", data).then(function (res) {
      if (!res.ok) { showToast(res.message || "无法撤销"); return; }
      (removed[token] || []).forEach(function (g) {
        var list = cards();
        if (g.index < list.length) queue.insertBefore(g.card, list[g.index]); else queue.appendChild(g.card);
      });
      delete removed[token];
      lastUndo = null;
      showToast(res.message);
    });
  }
  function submitAjax(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    if (form === bulk && !data.getAll("post_id").length) { showToast("请先选择帖子"); return; }
    post(form.getAttribute("action"), data).then(function (res) {
      if (res.choose_place) {  // posts naming different places: the server's page asks which place the case takes
        var a = document.createElement("input");
        a.type = "hidden"; a.name = "action"; a.value = submitter ? submitter.value : "open_case";
        form.appendChild(a);
        HTMLFormElement.prototype.submit.call(form);
        return;
      }
      if (!res.ok) { showToast(res.message || "操作失败"); return; }
      var gone = removeCards(res.posts || []);
      if (res.undo) { removed[res.undo] = gone; lastUndo = res.undo; }
      showToast(res.message, res.undo, res.location);
      if (form === bulk) document.querySelectorAll('input[name="post_id"][form="bulk"]').forEach(function (c) { c.checked = false; });
    }).catch(function () { showToast("网络错误，操作未完成"); });
  }
  if (queue && window.fetch && window.FormData) {
    document.addEventListener("submit", function (e) {
      var form = e.target;
      if (!(queue.contains(form) || form === bulk)) return;
      e.preventDefault();
      submitAjax(form, e.submitter);
    });
  }
  function clickIn(card, selector) { var b = card && card.querySelector(selector); if (b) b.click(); }
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (!queue || e.ctrlKey || e.metaKey || e.altKey) return;
    if (t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA")) return;
    var card = currentCard();
    if (e.key === "j") { select(current + 1); e.preventDefault(); }
    else if (e.key === "k") { select(current - 1); e.preventDefault(); }
    else if (e.key === "c") { clickIn(card, '.act-confirm button[value="confirm"]'); }
    else if (e.key === "d") { clickIn(card, '.act-confirm button[value="dismiss"]'); }
    else if (e.key === "o") { clickIn(card, '.correct button[value="open_case"]'); }
    else if (e.key === "e" && card) {
      var more = card.querySelector("details.more");
      if (more) { more.open = true; var first = more.querySelector("select, input:not([type=hidden])"); if (first) first.focus(); }
      e.preventDefault();
    }
    else if (e.key === "x" && card) { var box = card.querySelector('input[name="post_id"][form="bulk"]'); if (box) box.checked = !box.checked; }
    else if (e.key === "u" && lastUndo) { undo(lastUndo); }
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
  // Long place dropdowns get a box to type in: the list keeps only the places whose name has what is typed (groups
  // kept), and the first of them is chosen, so typing a name and pressing Enter filters by it.
  document.querySelectorAll("select.place-select").forEach(function (sel) {
    var original = Array.prototype.slice.call(sel.children).map(function (n) { return n.cloneNode(true); });
    var box = document.createElement("input");
    box.type = "search"; box.className = "place-filter"; box.size = 10;
    box.placeholder = sel.dataset.filter || "筛选"; box.setAttribute("aria-label", box.placeholder);
    sel.parentNode.insertBefore(box, sel);
    box.addEventListener("input", function () {
      var q = box.value.trim().toLowerCase(), chosen = sel.value, first = null;
      var kept = [];
      original.forEach(function (node) {
        if (node.tagName !== "OPTGROUP") { kept.push(node.cloneNode(true)); return; }  // 全部
        var group = node.cloneNode(false);
        Array.prototype.forEach.call(node.children, function (o) {
          var hit = !q || o.textContent.toLowerCase().indexOf(q) >= 0;
          if (hit || o.value === chosen) group.appendChild(o.cloneNode(true));
          if (hit && q && first === null) first = o.value;
        });
        if (group.children.length) kept.push(group);
      });
      sel.replaceChildren.apply(sel, kept);
      sel.value = first !== null ? first : chosen;
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
