// Live preview (only in `catalogue serve --watch`): reload when a new build is ready, and show why not
// when the records stop validating or a build step fails. The error text is inserted with textContent.
(function () {
  "use strict";
  let seen = null;
  let banner = null;
  async function poll() {
    try {
      const state = await (await fetch("/__preview/state", {cache: "no-store"})).json();
      if (seen !== null && state.generation !== seen) { location.reload(); return; }
      seen = state.generation;
      if (state.error) {
        if (!banner) {
          banner = document.createElement("pre");
          banner.id = "preview-error";
          banner.setAttribute("role", "alert");
          banner.style.cssText = "position:fixed;bottom:0;left:0;right:0;max-height:40vh;overflow:auto;margin:0;" +
            "padding:1em;background:#b71c1c;color:#fff;z-index:1000;white-space:pre-wrap";
          document.body.appendChild(banner);
        }
        banner.textContent = "Showing the last good build.\n\n" + state.error;
      } else if (banner) { banner.remove(); banner = null; }
    } catch (e) { /* server restarting */ }
    setTimeout(poll, 1000);
  }
  poll();
})();
