// Kindred: small niceties on top of pages that work without this file.
(function () {
  "use strict";

  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  // "/" jumps to the search box, as on many sites; Escape leaves it.
  document.addEventListener("keydown", function (e) {
    var q = document.getElementById("q");
    if (!q) return;
    if (e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey && !typing(e.target)) {
      e.preventDefault();
      q.focus();
      q.select();
    } else if (e.key === "Escape" && e.target === q) {
      q.blur();
    }
  });

  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    // Choosing another ranking mode re-runs the current search.
    form.querySelectorAll("input[name=mode]").forEach(function (radio) {
      radio.addEventListener("change", function () {
        var q = form.querySelector("[name=q]");
        if (q && q.value.trim() !== "") {
          if (form.requestSubmit) form.requestSubmit(); else form.submit();
        }
      });
    });
    // Empty filters stay out of the address, which keeps shared links short.
    form.addEventListener("submit", function () {
      form.querySelectorAll("input[name=from], input[name=to], input[name=category]").forEach(function (el) {
        if (el.value.trim() === "") el.disabled = true;
      });
      var mode = form.querySelector("input[name=mode]:checked");
      if (mode && mode.value === "hybrid") mode.disabled = true;
    });
  });

  // The reading list: papers saved in this browser's localStorage as [{id, title}], oldest first.
  // Without this script the Save buttons stay hidden; /list?ids=... works without it.
  var LIST_KEY = "kindred.list";
  var MAX_LIST = 200; // the server names at most this many papers in one address

  function readList() {
    try {
      var v = JSON.parse(localStorage.getItem(LIST_KEY) || "[]");
      return Array.isArray(v) ? v.filter(function (e) { return e && typeof e.id === "string"; }) : [];
    } catch (err) {
      return [];
    }
  }

  function writeList(list) {
    try {
      localStorage.setItem(LIST_KEY, JSON.stringify(list));
      return true;
    } catch (err) {
      return false; // storage full or disabled: the buttons keep their state
    }
  }

  function has(list, id) {
    return list.some(function (e) { return e.id === id; });
  }

  // listURL is the list page for these entries. Commas separate IDs; encodeURIComponent escapes
  // the ones inside an ID (%2C), and the server splits before it unescapes.
  function listURL(list) {
    return list.length ? "/list?ids=" + list.map(function (e) { return encodeURIComponent(e.id); }).join(",") : "/list";
  }

  function showCount(list) {
    document.querySelectorAll(".list-count").forEach(function (el) {
      el.textContent = list.length ? " (" + list.length + ")" : "";
      el.hidden = list.length === 0;
    });
  }

  function showSaved(btn, saved) {
    btn.setAttribute("aria-pressed", saved ? "true" : "false");
    btn.textContent = saved ? "Saved" : "Save";
    btn.title = saved ? "Remove from your reading list" : "Add to your reading list (kept in this browser)";
  }

  function refreshButtons() {
    var list = readList();
    document.querySelectorAll("button.save[data-id]").forEach(function (btn) {
      showSaved(btn, has(list, btn.dataset.id));
      btn.hidden = false;
    });
    showCount(list);
  }

  document.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest("button.save[data-id]");
    if (!btn) return;
    var id = btn.dataset.id;
    var list = readList();
    var saved = has(list, id);
    if (saved) {
      list = list.filter(function (x) { return x.id !== id; });
    } else if (list.length < MAX_LIST) {
      list.push({ id: id, title: btn.dataset.title || id });
    }
    if (!writeList(list)) return;
    refreshButtons();
    // On the list page, the list shown is the saved one: show it again without the paper.
    if (saved && location.pathname === "/list" && document.querySelector("ol.reading-list")) {
      location.replace(listURL(list));
    }
  });

  // /list without IDs opens the saved list.
  if (location.pathname === "/list" && !new URLSearchParams(location.search).has("ids")) {
    var saved = readList();
    if (saved.length) location.replace(listURL(saved));
  }

  // Another tab changed the list.
  window.addEventListener("storage", function (e) {
    if (e.key === LIST_KEY) refreshButtons();
  });

  // Copy buttons fetch a citation and put it on the clipboard; the Download links beside them work
  // without this script.
  document.querySelectorAll("button.copy[data-copy-url]").forEach(function (btn) {
    btn.hidden = false;
    btn.addEventListener("click", function () {
      var status = btn.closest("details, section, div") && btn.closest("details, section, div").querySelector(".copy-status");
      var say = function (msg) { if (status) status.textContent = msg; };
      var name = btn.parentElement && btn.parentElement.querySelector(".cite-name");
      name = name ? name.textContent : "citation";
      fetch(btn.dataset.copyUrl, { credentials: "same-origin" })
        .then(function (res) {
          if (!res.ok) throw new Error("HTTP " + res.status);
          return res.text();
        })
        .then(function (text) { return navigator.clipboard.writeText(text); })
        .then(function () {
          btn.textContent = "Copied";
          say(name + " copied to the clipboard.");
          setTimeout(function () { btn.textContent = "Copy"; }, 2000);
        })
        .catch(function () { say("Could not copy the " + name + ": use Download instead."); });
    });
  });

  refreshButtons();

  // Re-enable fields if the page comes back from the back/forward cache.
  window.addEventListener("pageshow", function () {
    refreshButtons();
    document.querySelectorAll("form[data-autosubmit] input:disabled").forEach(function (el) {
      el.disabled = false;
    });
  });
})();
