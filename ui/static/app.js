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

  // Re-enable fields if the page comes back from the back/forward cache.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-autosubmit] input:disabled").forEach(function (el) {
      el.disabled = false;
    });
  });
})();
