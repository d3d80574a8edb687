// Krafto's storefront enhancements, served at /assets/krafto.js (no inline script: pages
// are meant to run under a Content-Security-Policy without 'unsafe-inline'). Every page
// works without them.
(function () {
  "use strict";

  // Operator settings: the branding preview follows the form (valid colours only).
  var branding = document.getElementById("branding");
  var preview = document.getElementById("brand-preview");
  if (branding && preview) {
    var colour = /^#[0-9a-fA-F]{6}$/;
    var show = function () {
      var f = branding.elements;
      if (colour.test(f.primary_color.value)) preview.style.setProperty("--brand", f.primary_color.value);
      if (colour.test(f.accent_color.value)) preview.style.setProperty("--accent", f.accent_color.value);
      preview.querySelector("[data-preview=name]").textContent = f.display_name.value;
      preview.querySelector("[data-preview=tagline]").textContent = f.tagline.value;
    };
    show();
    branding.addEventListener("input", show);
  }

  // Search filters: folded behind their button on a phone, open beside the results on a
  // wide screen (browsers without ::details-content).
  var fold = document.getElementById("filters");
  if (fold && window.matchMedia && window.matchMedia("(min-width: 48rem)").matches) {
    fold.open = true;
  }

  // CSV import: a chosen file fills the text box.
  var file = document.getElementById("csv-file");
  var csv = document.getElementById("csv");
  if (file && csv) {
    file.addEventListener("change", function (e) {
      var f = e.target.files[0];
      if (!f) return;
      f.text().then(function (t) { csv.value = t; });
    });
  }
})();
