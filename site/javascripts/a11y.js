// What the theme (mkdocs-material) leaves undone for keyboard and screen-reader users; loaded on every page.
// - A wide table scrolls sideways inside its wrapper: the wrapper becomes a named region that takes the
//   keyboard focus (arrow keys scroll it) while it overflows, and stops being a Tab stop when it fits.
// - The phone header's menu and search buttons are <label>s the keyboard cannot reach: they become buttons.
// - The search dialog (role=dialog in the theme's partial) gets the accessible name it lacks.
// Runs after the theme has wrapped the tables (its document$ stream), and again whenever a wrapper resizes.
(function () {
  "use strict";

  function nameOf(wrapper) {
    var caption = wrapper.querySelector("caption");
    if (caption && caption.textContent.trim()) return "Table: " + caption.textContent.trim();
    for (var el = wrapper.previousElementSibling; el; el = el.previousElementSibling) {
      if (/^H[1-6]$/.test(el.tagName)) return "Table: " + el.textContent.replace(/¶$/, "").trim();
    }
    return "Table";
  }

  function markScrollable(wrapper) {
    var overflows = wrapper.scrollWidth > wrapper.clientWidth + 1;
    if (overflows && !wrapper.hasAttribute("tabindex")) {
      wrapper.setAttribute("tabindex", "0");
      wrapper.setAttribute("role", "region");
      wrapper.setAttribute("aria-label", nameOf(wrapper) + " (scrolls sideways)");
    } else if (!overflows && wrapper.getAttribute("role") === "region") {
      wrapper.removeAttribute("tabindex");
      wrapper.removeAttribute("role");
      wrapper.removeAttribute("aria-label");
    }
  }

  var watched = typeof ResizeObserver === "function"
    ? new ResizeObserver(function (entries) { entries.forEach(function (e) { markScrollable(e.target); }); })
    : null;

  function buttonFor(label, name) {
    if (!label || label.hasAttribute("tabindex")) return;
    var toggle = document.getElementById(label.htmlFor);
    label.setAttribute("tabindex", "0");
    label.setAttribute("role", "button");
    label.setAttribute("aria-label", name);
    var sync = function () { if (toggle) label.setAttribute("aria-expanded", String(toggle.checked)); };
    sync();
    if (toggle) toggle.addEventListener("change", sync);
    label.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        event.stopPropagation(); // the theme clicks a focused label on Enter too: once is a toggle, twice is not
        label.click();
        setTimeout(sync, 0);
      }
    });
    label.addEventListener("click", function () { setTimeout(sync, 0); });
  }

  function setUp() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrapper) {
      markScrollable(wrapper);
      if (watched) watched.observe(wrapper);
    });
    var dialog = document.querySelector(".md-search[role='dialog']");
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "Search the site");
    buttonFor(document.querySelector(".md-header label.md-header__button[for='__drawer']"), "Menu");
    buttonFor(document.querySelector(".md-header label.md-header__button[for='__search']"), "Search");
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { setTimeout(setUp, 0); });
  } else {
    window.addEventListener("load", setUp);
  }
})();
