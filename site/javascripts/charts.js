// Charts of a dataset's published figures (catalogue/site/figures.py writes each chart's data as a JSON block
// beside its <canvas data-chart="ID">; the table next to it is the text alternative). Drawn with Chart.js,
// served from the build (javascripts/vendor/), on the pages that have a chart only. The record's comparability
// breaks and method changes are numbered vertical lines on the time axis, the list under the charts saying
// what each number is. A point opens its source table. Nothing here writes record text as HTML: Chart.js draws
// text on the canvas.
(function () {
  "use strict";
  const BREAK = "#b71c1c";
  const METHOD = "#37474f";

  // Draws the markers: a line at each date, its number in a small box at the top, stacked when close.
  const markerPlugin = {
    id: "registryMarkers",
    afterDatasetsDraw(chart, _args, options) {
      const {ctx, chartArea, scales} = chart;
      const drawn = [];
      let lastX = -Infinity, row = 0;
      ctx.save();
      ctx.font = "bold 11px sans-serif";
      ctx.textAlign = "center"; ctx.textBaseline = "middle";
      for (const mark of options.markers || []) {
        if (mark.x < scales.x.min || mark.x > scales.x.max) continue;
        const x = Math.round(scales.x.getPixelForValue(mark.x)) + 0.5;
        row = x - lastX < 18 ? row + 1 : 0;
        lastX = x;
        const colour = mark.kind === "break" ? BREAK : METHOD;
        ctx.strokeStyle = colour; ctx.lineWidth = mark.kind === "break" ? 2 : 1;
        ctx.setLineDash(mark.kind === "break" ? [] : [4, 3]);
        ctx.beginPath(); ctx.moveTo(x, chartArea.top); ctx.lineTo(x, chartArea.bottom); ctx.stroke();
        const y = chartArea.top + 8 + row * 16;
        ctx.setLineDash([]);
        ctx.fillStyle = colour; ctx.fillRect(x - 8, y - 7, 16, 14);
        ctx.fillStyle = "#ffffff"; ctx.fillText(String(mark.n), x, y);
        drawn.push({n: mark.n, x: x, kind: mark.kind});
      }
      ctx.restore();
      chart.canvas.dataset.markers = JSON.stringify(drawn);
    },
  };

  function draw(canvas) {
    const block = document.getElementById(canvas.dataset.chart);
    if (!block || typeof Chart === "undefined") return;
    const data = JSON.parse(block.textContent);
    const points = data.points;
    const chart = new Chart(canvas, {
      type: "line",
      data: {datasets: [{
        label: data.unit,
        data: points,
        borderColor: "#303f9f",
        backgroundColor: "#303f9f",
        pointRadius: 5,
        pointHoverRadius: 7,
        spanGaps: false,
      }]},
      options: {
        maintainAspectRatio: false,
        animation: false,
        layout: {padding: {top: 4, right: 8}},
        scales: {
          x: {type: "linear", min: data.min, max: data.max,
              ticks: {stepSize: 1, precision: 0, autoSkip: true, maxRotation: 0, callback: (v) => String(v)},
              title: {display: false}},
          y: {beginAtZero: true, title: {display: true, text: data.unit},
              ticks: {callback: (v) => Number(v).toLocaleString("en-GB")}},
        },
        plugins: {
          legend: {display: false},
          registryMarkers: {markers: data.markers},
          tooltip: {
            filter: (item) => item.raw && item.raw.y !== null,
            callbacks: {
              title: (items) => items.length ? items[0].raw.period : "",
              label: (item) => item.raw.shown + " " + data.unit.toLowerCase(),
              footer: (items) => items.length ? "Source: " + items[0].raw.table + " (click to open)" : "",
            },
          },
        },
        onClick: (_event, elements) => {
          const point = elements.length ? points[elements[0].index] : null;
          if (point && point.url && /^https?:\/\//.test(point.url)) window.location.assign(point.url);
        },
        onHover: (event, elements) => {
          event.native.target.style.cursor = elements.length ? "pointer" : "default";
        },
      },
      plugins: [markerPlugin],
    });
    canvas.dataset.rendered = String(chart.data.datasets[0].data.filter((p) => p.y !== null).length);
  }

  function start() {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
