// Draw each chart from its Vega-Lite spec (a json_script beside it); the table below stays the
// accessible source of the same figures. Pages work without this script.
(function () {
  function draw() {
    document.querySelectorAll("[data-chart-spec]").forEach(function (element) {
      var source = document.getElementById(element.dataset.chartSpec);
      if (!source || !window.vegaEmbed) return;
      // No default styles: vega-embed and its tooltip would add <style> elements, which the policy refuses.
      window.vegaEmbed(element, JSON.parse(source.textContent), { actions: false, renderer: "svg", defaultStyle: false, tooltip: { disableDefaultStyle: true } })
        .then(function () { element.dataset.drawn = "true"; })
        .catch(function (error) { element.textContent = "The chart could not be drawn; the table below has the figures."; console.error(error); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
