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

  // <form hx-post data-swap-refusals>: a refused post answers 400 or 403 with the form
  // again and its errors beside the fields (decision 0016); htmx swaps only 2xx by default.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const status = event.detail.xhr.status;
    const elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    if ((status === 400 || status === 403) && elt && elt.closest("[data-swap-refusals]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => applyPercents(document));
  } else {
    applyPercents(document);
  }
})();
