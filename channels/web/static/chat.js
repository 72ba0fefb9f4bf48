// Web chat for the gateway's web channel: POST /api/web/messages, long-poll
// GET /api/web/replies. No framework, no CDN.
(function () {
  "use strict";

  var log = document.getElementById("log");
  var form = document.getElementById("composer");
  var input = document.getElementById("input");
  var sendButton = document.getElementById("send");
  var statusLine = document.getElementById("status");

  function randomId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    var s = "";
    for (var i = 0; i < 32; i++) s += Math.floor(Math.random() * 16).toString(16);
    return s;
  }

  function sessionId() {
    var key = "tlcd-web-session";
    var id = null;
    try { id = localStorage.getItem(key); } catch (e) { /* private mode */ }
    if (!id || !/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
      id = randomId();
      try { localStorage.setItem(key, id); } catch (e) { /* keep it for this page */ }
    }
    return id;
  }

  var session = sessionId();
  var cursor = null;

  function setStatus(text) { statusLine.textContent = text || ""; }

  function isLink(payload) { return /^https?:\/\//.test(payload); }

  // Text with URLs turned into links; everything else as text (never as HTML).
  function fillText(el, text) {
    var re = /(https?:\/\/[^\s<>"']+)/g;
    var last = 0, m;
    while ((m = re.exec(text)) !== null) {
      el.appendChild(document.createTextNode(text.slice(last, m.index)));
      var a = document.createElement("a");
      a.href = m[1]; a.textContent = m[1]; a.target = "_blank"; a.rel = "noopener";
      el.appendChild(a);
      last = m.index + m[1].length;
    }
    el.appendChild(document.createTextNode(text.slice(last)));
  }

  function add(who, text, buttons) {
    var li = document.createElement("li");
    li.className = "msg " + who;
    var bubble = document.createElement("div");
    bubble.className = "bubble";
    fillText(bubble, text);
    li.appendChild(bubble);
    if (buttons && buttons.length) {
      var row = document.createElement("div");
      row.className = "buttons";
      buttons.forEach(function (b) {
        var el;
        if (isLink(b.payload)) {
          el = document.createElement("a");
          el.href = b.payload; el.target = "_blank"; el.rel = "noopener";
        } else {
          el = document.createElement("button");
          el.type = "button";
          el.addEventListener("click", function () {
            row.querySelectorAll("button").forEach(function (x) { x.disabled = true; });
            send({ text: b.title, payload: b.payload });
          });
        }
        el.textContent = b.title;
        row.appendChild(el);
      });
      li.appendChild(row);
    }
    log.appendChild(li);
    log.scrollTop = log.scrollHeight;
  }

  function send(message, attempt) {
    attempt = attempt || 0;
    if (!attempt) {
      message.id = randomId();
      add("user", message.text);
    }
    var body = { session: session, id: message.id, text: message.text };
    if (message.payload) body.payload = message.payload;
    return fetch("/api/web/messages", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    }).then(function (resp) {
      if (resp.status === 429) { setStatus("Bạn gửi nhanh quá, vui lòng chờ một chút."); return; }
      if (resp.status >= 500) throw new Error("server " + resp.status);
      if (!resp.ok) { setStatus("Tin nhắn chưa gửi được, bạn thử lại nhé."); return; }
      setStatus("");
    }).catch(function () {
      // Same id on retry: the gateway drops the copy if the first one did arrive.
      setStatus("Mất kết nối, đang gửi lại…");
      if (attempt < 5) {
        return new Promise(function (r) { setTimeout(r, 1000 * (attempt + 1)); })
          .then(function () { return send(message, attempt + 1); });
      }
      setStatus("Không gửi được tin nhắn. Bạn kiểm tra kết nối rồi thử lại nhé.");
    });
  }

  function poll(failures) {
    var url = "/api/web/replies?session=" + encodeURIComponent(session);
    if (cursor !== null) url += "&after=" + encodeURIComponent(cursor);
    fetch(url).then(function (resp) {
      if (!resp.ok) throw new Error("poll " + resp.status);
      return resp.json();
    }).then(function (data) {
      var first = cursor === null;
      (data.replies || []).forEach(function (r) { add("bot", r.text, r.buttons); });
      cursor = data.cursor;
      if (first) { input.disabled = false; sendButton.disabled = false; input.focus(); }
      if (failures) setStatus("");
      poll(0);
    }).catch(function () {
      setTimeout(function () { poll((failures || 0) + 1); }, Math.min(10000, 500 * ((failures || 0) + 1)));
      if ((failures || 0) >= 2) setStatus("Đang kết nối lại…");
    });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    send({ text: text });
  });

  add("bot", "Xin chào! Bạn cần hỏi gì về thủ tục hành chính hoặc hồ sơ của mình?");
  poll(0);
})();
