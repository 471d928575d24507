// Behaviour every page shares. The Content-Security-Policy allows no inline script, handler
// or style attribute, so templates mark elements with data- attributes and this file acts.
(function () {
  // <select data-autosubmit>: choosing an option submits its form (a filter bar).
  document.addEventListener("change", (event) => {
    const el = event.target;
    if (el instanceof HTMLSelectElement && el.hasAttribute("data-autosubmit") && el.form) {
      el.form.submit();
    }
  });

  // <div data-percent="40">: a progress bar's width, set through the CSSOM (allowed by the
  // policy, unlike a style attribute). Done on load and on every piece htmx swaps in.
  function applyPercents(root) {
    const nodes = root.querySelectorAll ? root.querySelectorAll("[data-percent]") : [];
    const all = root.matches && root.matches("[data-percent]") ? [root, ...nodes] : nodes;
    all.forEach((el) => {
      const value = Math.max(0, Math.min(100, parseFloat(el.dataset.percent) || 0));
      el.style.width = value + "%";
    });
  }
  document.addEventListener("htmx:load", (event) => applyPercents(event.target));
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => applyPercents(document));
  } else {
    applyPercents(document);
  }
})();
