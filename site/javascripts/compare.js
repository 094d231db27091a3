// The compare page: two sides (source, period, breakdown) kept in the page address as
// ?a=ID:PERIOD:BREAKDOWN&b=..., so a comparison can be shared; the answer comes from the server's
// /api/compare (the comparison engine, catalogue/compare). Every value from the records or the address is
// inserted with textContent, never as HTML; links go only to http(s) addresses or to the site's own pages.
(function () {
  "use strict";
  const SIDES = ["a", "b"];
  const HEADINGS = [
    ["not comparable", "Breaks comparability"],
    ["with care", "Needs care"],
    ["not known", "Not known"],
    ["comparable", "Comparable"],
    ["context", "For context"],
  ];

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function start() {
    const form = document.querySelector("[data-compare]");
    if (!form) return;
    const result = document.getElementById("compare-result");
    result.textContent = "";
    const fields = {};
    for (const side of SIDES) {
      fields[side] = {
        dataset: document.getElementById("compare-" + side + "-dataset"),
        period: document.getElementById("compare-" + side + "-period"),
        breakdown: document.getElementById("compare-" + side + "-breakdown"),
        problem: document.getElementById("compare-" + side + "-problem"),
      };
    }
    const params = new URLSearchParams(location.search);
    for (const side of SIDES) fill(fields[side], params.get(side) || "");

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const state = new URLSearchParams();
      for (const side of SIDES) state.set(side, sideText(fields[side]));
      history.replaceState(null, "", "?" + state.toString());
      ask(form.dataset.api, state, fields, result);
    });
    if (params.get("a") && params.get("b")) ask(form.dataset.api, params, fields, result);
  }

  // Put a side's text (ID:PERIOD:BREAKDOWN) into its controls; an unknown id or breakdown is left for the
  // server to explain, so the text is kept as the select's only matching option would lose it.
  function fill(controls, text) {
    const parts = text.split(":");
    setSelect(controls.dataset, parts[0] || "");
    controls.period.value = parts[1] || "";
    setSelect(controls.breakdown, parts[2] || "");
  }

  function setSelect(select, value) {
    if (!value) return;
    const known = Array.from(select.options).some((option) => option.value === value);
    if (!known) {
      const option = el("option", value);
      option.value = value;
      select.appendChild(option);
    }
    select.value = value;
  }

  function sideText(controls) {
    const parts = [controls.dataset.value, controls.period.value.trim(), controls.breakdown.value];
    while (parts.length > 1 && !parts[parts.length - 1]) parts.pop();
    return parts.join(":");
  }

  function ask(api, state, fields, result) {
    for (const side of SIDES) fields[side].problem.textContent = "";
    result.textContent = "";
    result.appendChild(el("p", "Comparing…"));
    const query = new URLSearchParams({a: state.get("a") || "", b: state.get("b") || ""});
    fetch(api + "?" + query.toString(), {headers: {Accept: "application/json"}})
      .then((response) => response.json())
      .then((body) => {
        result.textContent = "";
        if (body && body.success) {
          show(result, body.result);
          return;
        }
        const error = (body && body.error) || {};
        let placed = false;
        for (const side of SIDES) {
          if (Array.isArray(error[side])) {
            fields[side].problem.textContent = error[side].join(" ");
            placed = true;
          }
        }
        const message = el("p", (placed ? "Check the sides: " : "") + (error.message || "The comparison failed."));
        message.id = "compare-error";
        message.setAttribute("role", "alert");
        result.appendChild(message);
      })
      .catch(() => {
        result.textContent = "";
        const message = el("p", "The comparison needs the registry's server (catalogue serve); it did not answer.");
        message.id = "compare-error";
        result.appendChild(message);
      });
  }

  function siteRoot() {
    return new URL("../", location.href);
  }

  function show(result, comparison) {
    const verdict = el("h2", "Verdict: " + comparison.verdict, "compare-verdict");
    verdict.id = "compare-verdict";
    verdict.dataset.verdict = comparison.verdict;
    result.appendChild(verdict);
    const sides = el("p");
    sides.appendChild(el("strong", "A: "));
    sides.appendChild(document.createTextNode(comparison.a.title + " (" + comparison.a.side + ")"));
    sides.appendChild(el("br"));
    sides.appendChild(el("strong", "B: "));
    sides.appendChild(document.createTextNode(comparison.b.title + " (" + comparison.b.side + ")"));
    result.appendChild(sides);
    const summary = el("p", comparison.summary);
    summary.id = "compare-summary";
    result.appendChild(summary);
    for (const [effect, heading] of HEADINGS) {
      const group = comparison.reasons.filter((reason) => reason.effect === effect);
      if (!group.length) continue;
      result.appendChild(el("h3", heading));
      const list = el("ul", undefined, "compare-reasons");
      list.dataset.effect = effect;
      for (const reason of group) list.appendChild(reasonItem(reason));
      result.appendChild(list);
    }
  }

  function reasonItem(reason) {
    const item = el("li");
    item.dataset.topic = reason.topic;
    item.appendChild(el("span", reason.text, "compare-reason-text"));
    for (const cite of reason.cited) {
      const from = el("small", undefined, "compare-cited");
      from.appendChild(el("br"));
      from.appendChild(document.createTextNode("From "));
      const record = el("a", cite.record);
      record.href = new URL("dataset/" + encodeURIComponent(cite.record) + "/", siteRoot()).href;
      from.appendChild(record);
      from.appendChild(document.createTextNode(", "));
      from.appendChild(el("code", cite.field));
      cite.sources.forEach((source, index) => {
        from.appendChild(document.createTextNode(index === 0 ? "; sources: " : ", "));
        if (/^https?:\/\//i.test(source.url)) {
          const link = el("a", source.title);
          link.href = source.url;
          from.appendChild(link);
        } else {
          from.appendChild(document.createTextNode(source.title));
        }
      });
      item.appendChild(from);
    }
    return item;
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
