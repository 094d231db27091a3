// The finder: filter the datasets by text and facets, from the JSON index the build writes.
// The filter state lives in the URL (?words=...&publisher=...), so a search can be shared and survives a reload.
// Not ?q=: the theme opens its own search dialog over the page for ?q=.
// Every value from a record is inserted with textContent, never as HTML. Results are sorted by relevance (words
// in the title count most, then keywords, then the summary, then the rest; the series people come for first
// among equals), by latest edition, or by title; each result names its comparability breaks.
(function () {
  "use strict";
  const FACETS = ["publisher", "theme", "status", "geography", "frequency", "breakdown", "access"];
  const LABELS = {publisher: "Publisher", theme: "Theme", status: "Statistics status", geography: "Geography",
                  frequency: "Frequency", breakdown: "Can be broken down by", access: "Access"};

  function start() {
    const root = document.querySelector("[data-finder]");
    if (!root) return;
    fetch(root.dataset.index).then((r) => r.json()).then((index) => render(root, index));
  }

  function render(root, index) {
    root.textContent = "";
    const controls = document.createElement("form");
    controls.className = "finder-controls";
    controls.setAttribute("role", "search");
    controls.addEventListener("submit", (event) => event.preventDefault());
    const params = new URLSearchParams(location.search);

    const text = field(controls, "q", "Words");
    const input = document.createElement("input");
    input.type = "search"; input.id = "finder-q"; input.name = "words";
    input.value = params.get("words") || "";
    text.appendChild(input);

    const selects = {};
    for (const facet of FACETS) {
      const wrap = field(controls, facet, LABELS[facet]);
      const select = document.createElement("select");
      select.id = "finder-" + facet; select.name = facet;
      const any = document.createElement("option");
      any.value = ""; any.textContent = "Any";
      select.appendChild(any);
      const used = new Set(index.datasets.flatMap((d) => d[facet]));
      for (const [value, label] of Object.entries(index.facets[facet])) {
        if (!used.has(value)) continue;
        const option = document.createElement("option");
        option.value = value; option.textContent = label;
        select.appendChild(option);
      }
      select.value = params.get(facet) || "";
      wrap.appendChild(select);
      selects[facet] = select;
    }
    root.appendChild(controls);

    const sortWrap = document.createElement("div");
    sortWrap.className = "finder-sort";
    const sortLabel = document.createElement("label");
    sortLabel.htmlFor = "finder-sort"; sortLabel.textContent = "Sort by";
    const sort = document.createElement("select");
    sort.id = "finder-sort"; sort.name = "sort";
    for (const [value, label] of [["relevance", "Relevance"], ["latest", "Latest edition"], ["title", "Title"]]) {
      const option = document.createElement("option");
      option.value = value; option.textContent = label;
      sort.appendChild(option);
    }
    sort.value = ["relevance", "latest", "title"].includes(params.get("sort")) ? params.get("sort") : "relevance";
    sortWrap.appendChild(sortLabel); sortWrap.appendChild(sort);
    root.appendChild(sortWrap);

    const count = document.createElement("p");
    count.setAttribute("aria-live", "polite"); count.id = "finder-count";
    root.appendChild(count);
    const list = document.createElement("ul");
    list.className = "finder-results"; list.id = "finder-results";
    root.appendChild(list);

    function update() {
      const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      const chosen = {};
      const state = new URLSearchParams();
      if (input.value) state.set("words", input.value);
      for (const facet of FACETS) {
        if (selects[facet].value) { chosen[facet] = selects[facet].value; state.set(facet, selects[facet].value); }
      }
      if (sort.value !== "relevance") state.set("sort", sort.value);
      const query = state.toString();
      history.replaceState(null, "", query ? "?" + query : location.pathname);
      const found = index.datasets.filter((d) =>
        words.every((w) => d.text.includes(w)) &&
        Object.entries(chosen).every(([facet, value]) => d[facet].includes(value)));
      const byTitle = (a, b) => a.title.localeCompare(b.title, "en");
      const score = (d) => words.reduce((sum, w) => sum +
        (d.title.toLowerCase().includes(w) ? 8 : d.keywords.includes(w) ? 4 : d.summary.toLowerCase().includes(w) ? 2 : 1), 0);
      if (sort.value === "title") found.sort(byTitle);
      else if (sort.value === "latest") found.sort((a, b) => (b.latest || "").localeCompare(a.latest || "") || byTitle(a, b));
      else found.sort((a, b) => score(b) - score(a) || b.prominence - a.prominence || byTitle(a, b));
      count.textContent = found.length + " of " + index.datasets.length + " datasets";
      list.textContent = "";
      for (const d of found) {
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = "../dataset/" + encodeURIComponent(d.id) + "/";
        link.textContent = d.title;
        item.appendChild(link);
        if (d.latest) {
          const latest = document.createElement("span");
          latest.className = "finder-latest";
          latest.textContent = " (latest edition " + d.latest + ")";
          item.appendChild(latest);
        }
        for (const title of d.breaks) {
          const flag = document.createElement("div");
          flag.className = "finder-break";
          flag.textContent = "Comparability break: " + title;
          item.appendChild(flag);
        }
        const summary = document.createElement("div");
        summary.textContent = d.summary;
        item.appendChild(summary);
        list.appendChild(item);
      }
    }
    controls.addEventListener("input", update);
    controls.addEventListener("change", update);
    sort.addEventListener("change", update);
    update();
  }

  function field(form, name, label) {
    const wrap = document.createElement("div");
    const caption = document.createElement("label");
    caption.htmlFor = "finder-" + name; caption.textContent = label;
    wrap.appendChild(caption);
    form.appendChild(wrap);
    return wrap;
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
